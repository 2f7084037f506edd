"""`newsdigest playground`: chat with the real bot in the terminal, no Telegram needed.

The real Application long-polls the bundled Bot API emulator on 127.0.0.1, over the demo
database with its pinned clock. Type messages and commands; press a button by its number.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.chat.application import build_bot
from bot.chat.lifecycle import start_bot, stop_bot
from bot.clock import Clock
from bot.commands.common import load_tagger, running
from bot.commands.demo_data import demo_world
from bot.domain.plain_text import plain_text
from bot.emulator import Chat, ChatMessage, Emulator, FloodLimits, User
from bot.i18n import default_translator
from bot.services import Services
from bot.settings import Settings

REPLY_WAIT = 5.0
QUIET = 0.4


@dataclass
class Screen:
    """What the terminal has shown, so only new messages and edits are printed."""

    seen: dict[int, str] = field(default_factory=dict)
    buttons: list[tuple[ChatMessage, str]] = field(default_factory=list)

    def changes(self, messages: list[ChatMessage]) -> list[ChatMessage]:
        fresh = [m for m in messages if self.seen.get(m.message_id) != _fingerprint(m)]
        for message in fresh:
            self.seen[message.message_id] = _fingerprint(message)
        return fresh


def _fingerprint(message: ChatMessage) -> str:
    return f"{message.text}|{message.reply_markup}"


def render(message: ChatMessage, screen: Screen, write: Callable[[str], None]) -> None:
    """A bot message as text, its buttons numbered for the user to press."""
    write(plain_text(message.raw_text or message.text or ""))
    screen.buttons = []
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    for row in rows:
        labels = []
        for button in row:
            if "callback_data" in button:
                screen.buttons.append((message, button["callback_data"]))
                labels.append(f"[{len(screen.buttons)}] {button['text']}")
        if labels:
            write("   " + "   ".join(labels))
    write("")


async def converse(
    emulator: Emulator,
    user: User,
    chat: Chat,
    lines: asyncio.Queue[str | None],
    write: Callable[[str], None],
) -> None:
    """Send each line as the user (a number presses that button), print what the bot does."""
    screen = Screen()
    while (line := await lines.get()) is not None:
        line = line.strip()
        if not line:
            continue
        before = {m.message_id: _fingerprint(m) for m in emulator.messages_to(chat)}
        if line.isdigit() and 1 <= int(line) <= len(screen.buttons):
            message, data = screen.buttons[int(line) - 1]
            emulator.press_button(
                user, emulator.messages_to(chat)[-1] if message.deleted else message, data
            )
        else:
            emulator.send_message(user, chat, line)

        def changed(before: dict[int, str] = before) -> bool:
            now = {m.message_id: _fingerprint(m) for m in emulator.messages_to(chat)}
            return now != before

        try:
            await emulator.wait_for(changed, REPLY_WAIT)
        except TimeoutError:
            write("(no reply)")
            continue
        await asyncio.sleep(QUIET)  # a digest may come in several parts
        for message in screen.changes(emulator.messages_to(chat)):
            render(message, screen, write)


async def playground_command(settings: Settings, clock: Clock | None) -> int:
    """Run the bot against the emulator and chat with it from the terminal."""
    async with (
        demo_world(settings, clock) as world,
        Emulator(flood=FloodLimits(enabled=False)) as emulator,
    ):
        bot_settings = settings.model_copy(
            update={"telegram_api_base_url": emulator.base_url, "source_pack": "sample"}
        )
        services = Services(
            world.database, running(world.clock), bot_settings, default_translator(), load_tagger()
        )
        bot = build_bot(services, token=emulator.token)
        application = bot.application
        user = emulator.create_user("You", language_code=settings.default_language)
        chat = emulator.create_private_chat(user)
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def read_stdin() -> None:
            for line in sys.stdin:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            loop.call_soon_threadsafe(lines.put_nowait, None)

        await start_bot(application, services, poll_timeout=1)
        try:
            print("newsdigest playground: you are chatting with the real bot (offline).")
            print("Type /start, then press buttons by number; Ctrl-D to leave.\n")
            reader = loop.run_in_executor(None, read_stdin)
            await converse(emulator, user, chat, lines, print)
            reader.cancel()
        finally:
            await stop_bot(application)
            await bot.runtime.close()
    return 0
