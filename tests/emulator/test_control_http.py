"""The control API over HTTP, and the emulator as its own process."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import httpx
import telegram

from bot.emulator import Emulator


async def _control(client: httpx.AsyncClient, url: str, action: str, **body: Any) -> Any:
    response = await client.post(f"{url}/{action}", json=body)
    payload = response.json()
    assert payload["ok"], payload
    return payload["result"]


async def test_drive_a_conversation_over_http(emu: Emulator, bot: telegram.Bot) -> None:
    async with httpx.AsyncClient() as client:
        user = await _control(client, emu.control_url, "create_user", first_name="Dana")
        chat = await _control(client, emu.control_url, "create_private_chat", user_id=user["id"])
        await _control(
            client, emu.control_url, "send_message", user_id=user["id"], chat_id=chat["id"],
            text="/digest",
        )  # fmt: skip
        (update,) = await bot.get_updates()
        assert update.message is not None and update.message.text == "/digest"
        assert update.message.entities[0].type == "bot_command"
        waiting = asyncio.create_task(
            _control(client, emu.control_url, "wait_for_messages", chat_id=chat["id"], count=1)
        )
        keyboard = telegram.InlineKeyboardMarkup(
            [[telegram.InlineKeyboardButton("More", callback_data="more")]]
        )
        await bot.send_message(chat["id"], "<i>today</i>", parse_mode="HTML", reply_markup=keyboard)
        (sent,) = await waiting
        assert sent["text"] == "today" and sent["raw_text"] == "<i>today</i>"
        pressed = await _control(
            client, emu.control_url, "press_button", user_id=user["id"], chat_id=chat["id"],
            message_id=sent["message_id"], callback_data="more",
        )  # fmt: skip
        await _control(client, emu.control_url, "inject_fault", kind="http_error", times=1)
        stats = await _control(client, emu.control_url, "stats")
        assert stats["pending_updates"] == 2 and pressed["callback_query_id"]
        missing = await client.post(f"{emu.control_url}/no_such_action", json={})
        assert missing.status_code == 404
        bad = await client.post(f"{emu.control_url}/create_private_chat", json={})
        assert bad.status_code == 400 and not bad.json()["ok"]


async def test_runs_as_a_separate_process() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.emulator", "--port", "0", "--token", "123456:test-token",
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 10)
        base_url = line.decode().strip().removeprefix("base_url=")
        async with httpx.AsyncClient() as client:
            me = (await client.post(f"{base_url}123456:test-token/getMe")).json()
            assert me["ok"] and me["result"]["id"] == 123456 and me["result"]["is_bot"]
            wrong = await client.get(f"{base_url}123456:other/getMe")
            assert wrong.status_code == 401
            assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    finally:
        process.terminate()
        await process.wait()


async def _raw(port: int, request: bytes, responses: int) -> list[tuple[int, dict[str, Any]]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    results = []
    for _ in range(responses):
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ")[1])
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        results.append((status, json.loads(await reader.readexactly(length))))
    writer.close()
    await writer.wait_closed()
    return results


async def test_keep_alive_json_and_chunked_bodies(emu: Emulator) -> None:
    path = f"/bot{emu.token}".encode()
    body = json.dumps({"limit": 1}).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    request = (
        b"GET " + path + b"/getMe HTTP/1.1\r\nHost: x\r\n\r\n"
        b"POST " + path + b"/getUpdates HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked
        + b"POST /botnot-a-token/getMe HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
    )  # fmt: skip
    (me, updates, malformed) = await _raw(emu.port, request, 3)
    assert me[0] == 200 and me[1]["result"]["username"] == emu.state.bot.username
    assert updates == (200, {"ok": True, "result": []})
    assert malformed == (404, {"ok": False, "error_code": 404, "description": "Not Found"})


async def test_json_and_multipart_requests_match_form_requests(emu: Emulator) -> None:
    user = emu.create_user("Erlan")
    chat = emu.create_private_chat(user)
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    url = f"{emu.base_url}{emu.token}/sendMessage"
    async with httpx.AsyncClient() as client:
        as_json = await client.post(
            url, json={"chat_id": chat.id, "text": "<b>j</b>", "parse_mode": "HTML",
                       "reply_markup": markup},
        )  # fmt: skip
        as_multipart = await client.post(
            url,
            data={"chat_id": str(chat.id), "text": "m", "reply_markup": json.dumps(markup)},
            files={"unused": ("note.txt", b"bytes")},
        )
    assert as_json.json()["result"]["entities"] == [{"type": "bold", "offset": 0, "length": 1}]
    assert as_multipart.json()["result"]["reply_markup"] == markup
    assert [m.callback_data for m in emu.messages_to(chat)] == [["a"], ["a"]]
