"""The control API over HTTP: `POST /_control/<action>` with a JSON object, for tests that
drive an emulator serving a bot in another process. Answers `{"ok": true, "result": ...}`."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from bot.emulator.faults import Fault
from bot.emulator.flood import FloodLimits
from bot.emulator.http import Request, Response
from bot.emulator.models import Chat, ChatMessage, User

if TYPE_CHECKING:
    from bot.emulator.emulator import Emulator

Action = Callable[["Emulator", dict[str, Any]], Awaitable[Any]]
_ACTIONS: dict[str, Action] = {}


def action(name: str) -> Callable[[Action], Action]:
    def register(handler: Action) -> Action:
        _ACTIONS[name] = handler
        return handler

    return register


def _out(value: Any) -> Any:
    if isinstance(value, ChatMessage):
        return value.summary()
    if isinstance(value, User | Chat):
        return value.to_api()
    if isinstance(value, list):
        return [_out(item) for item in value]
    return value


class ControlApi:
    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator

    async def handle(self, name: str, request: Request) -> Response:
        handler = _ACTIONS.get(name)
        if handler is None:
            return Response.json(404, {"ok": False, "description": f"unknown action {name!r}"})
        try:
            body = json.loads(request.body or b"{}")
            if not isinstance(body, dict):
                raise TypeError("the body must be a JSON object")
            result = await handler(self._emulator, body)
        except (KeyError, TypeError, ValueError, TimeoutError) as error:
            description = f"{type(error).__name__}: {error}"
            return Response.json(400, {"ok": False, "description": description})
        return Response.json(200, {"ok": True, "result": _out(result)})


def _message(emu: Emulator, body: dict[str, Any]) -> ChatMessage:
    found = emu.state.message(int(body["chat_id"]), int(body["message_id"]))
    if found is None:
        raise KeyError(f"no message {body['message_id']} in chat {body['chat_id']}")
    return found


@action("create_user")
async def _create_user(emu: Emulator, body: dict[str, Any]) -> Any:
    return emu.create_user(**body)


@action("create_private_chat")
async def _create_private_chat(emu: Emulator, body: dict[str, Any]) -> Any:
    return emu.create_private_chat(int(body["user_id"]))


@action("create_chat")
async def _create_chat(emu: Emulator, body: dict[str, Any]) -> Any:
    """body: {"type": "group"|"supergroup"|"channel", "title", ...keyword options}."""
    kind = body.pop("type")
    for key in ("members",):
        if key in body:
            body[key] = tuple(body[key])
    if kind == "group":
        return emu.create_group(**body)
    if kind == "supergroup":
        return emu.create_supergroup(**body)
    if kind == "channel":
        return emu.create_channel(**body)
    raise ValueError(f"unknown chat type {kind!r}")


@action("create_topic")
async def _create_topic(emu: Emulator, body: dict[str, Any]) -> Any:
    return asdict(emu.create_topic(int(body["chat_id"]), str(body["name"])))


@action("close_topic")
async def _close_topic(emu: Emulator, body: dict[str, Any]) -> Any:
    emu.close_topic(int(body["chat_id"]), int(body["message_thread_id"]))
    return True


@action("reopen_topic")
async def _reopen_topic(emu: Emulator, body: dict[str, Any]) -> Any:
    emu.close_topic(int(body["chat_id"]), int(body["message_thread_id"]), reopen=True)
    return True


@action("delete_topic")
async def _delete_topic(emu: Emulator, body: dict[str, Any]) -> Any:
    emu.delete_topic(int(body["chat_id"]), int(body["message_thread_id"]))
    return True


@action("send_message")
async def _send_message(emu: Emulator, body: dict[str, Any]) -> Any:
    return emu.send_message(
        int(body["user_id"]),
        int(body["chat_id"]),
        str(body["text"]),
        message_thread_id=body.get("message_thread_id"),
        reply_to=body.get("reply_to"),
    )


@action("edit_user_message")
async def _edit_user_message(emu: Emulator, body: dict[str, Any]) -> Any:
    return emu.edit_user_message(_message(emu, body), str(body["text"]))


@action("send_sticker")
async def _send_sticker(emu: Emulator, body: dict[str, Any]) -> Any:
    return emu.send_sticker(int(body["user_id"]), int(body["chat_id"]), body.get("emoji", "👍"))


@action("send_photo")
async def _send_photo(emu: Emulator, body: dict[str, Any]) -> Any:
    return emu.send_photo(int(body["user_id"]), int(body["chat_id"]), body.get("caption"))


@action("press_button")
async def _press_button(emu: Emulator, body: dict[str, Any]) -> Any:
    message = _message(emu, body)
    forged = bool(body.get("forged", False))
    query_id = emu.press_button(int(body["user_id"]), message, body["callback_data"], forged=forged)
    return {"callback_query_id": query_id}


@action("set_bot_status")
async def _set_bot_status(emu: Emulator, body: dict[str, Any]) -> Any:
    emu.set_bot_status(int(body["chat_id"]), str(body["status"]), by=body.get("by"))
    return True


@action("set_member_status")
async def _set_member_status(emu: Emulator, body: dict[str, Any]) -> Any:
    chat_id, user_id = int(body["chat_id"]), int(body["user_id"])
    emu.set_member_status(chat_id, user_id, str(body["status"]), by=body.get("by"))
    return True


@action("block_bot")
async def _block_bot(emu: Emulator, body: dict[str, Any]) -> Any:
    emu.block_bot(int(body["user_id"]))
    return True


@action("unblock_bot")
async def _unblock_bot(emu: Emulator, body: dict[str, Any]) -> Any:
    emu.unblock_bot(int(body["user_id"]))
    return True


@action("migrate_group")
async def _migrate_group(emu: Emulator, body: dict[str, Any]) -> Any:
    return emu.migrate_group(int(body["chat_id"]))


@action("post_to_channel")
async def _post_to_channel(emu: Emulator, body: dict[str, Any]) -> Any:
    return emu.post_to_channel(int(body["chat_id"]), str(body["text"]))


@action("forward_channel_post")
async def _forward(emu: Emulator, body: dict[str, Any]) -> Any:
    user_id, chat_id = int(body["user_id"]), int(body["chat_id"])
    return emu.forward_channel_post(user_id, chat_id, int(body["channel_id"]), str(body["text"]))


@action("messages")
async def _messages(emu: Emulator, body: dict[str, Any]) -> Any:
    return emu.messages_to(int(body["chat_id"]), include_deleted=bool(body.get("include_deleted")))


@action("wait_for_messages")
async def _wait_for_messages(emu: Emulator, body: dict[str, Any]) -> Any:
    timeout = float(body.get("timeout", 5.0))
    return await emu.wait_for_messages(int(body["chat_id"]), int(body.get("count", 1)), timeout)


@action("callback_answer")
async def _callback_answer(emu: Emulator, body: dict[str, Any]) -> Any:
    answer = emu.callback_answer(str(body["callback_query_id"]))
    return None if answer is None else asdict(answer)


@action("commands")
async def _commands(emu: Emulator, body: dict[str, Any]) -> Any:
    return emu.commands(body.get("scope"), str(body.get("language_code", "")))


@action("inject_fault")
async def _inject_fault(emu: Emulator, body: dict[str, Any]) -> Any:
    fault = Fault.from_json(body)
    emu.state.faults.add(fault)
    return asdict(fault)


@action("clear_faults")
async def _clear_faults(emu: Emulator, body: dict[str, Any]) -> Any:
    emu.state.faults.clear()
    return True


@action("set_flood_limits")
async def _set_flood_limits(emu: Emulator, body: dict[str, Any]) -> Any:
    emu.set_flood_limits(FloodLimits(**body))
    return True


@action("stats")
async def _stats(emu: Emulator, body: dict[str, Any]) -> Any:
    state = emu.state
    return {
        "retry_after_sent": {str(k): v for k, v in state.retry_after_sent.items()},
        "calls": len(state.calls),
        "pending_updates": len(state.updates),
        "bot": state.bot.to_api(),
        "token": emu.token,
        "base_url": emu.base_url,
    }
