"""End-to-end harness: the real Application long-polling a local Bot API emulator.

The bot runs exactly as `newsdigest run` builds it, on a real database (a SQLite file, and
PostgreSQL when TEST_POSTGRES_URL is set), with a pinned clock; tests act as Telegram users
through the emulator and read what the bot sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from ipaddress import ip_network
from zoneinfo import ZoneInfo

import pytest

from bot.chat.application import build_bot
from bot.chat.lifecycle import start_bot, stop_bot
from bot.chat.runtime import Runtime
from bot.commands.common import load_tagger
from bot.delivery.ticker import DigestTicker
from bot.emulator import Chat, ChatMessage, Emulator, FloodLimits, User
from bot.i18n import default_translator
from bot.ingest.files import ingest_files
from bot.ingest.seed_files import bundled_seed_dir
from bot.services import Services
from bot.settings import Settings
from storage.engine import Database, create_database
from tests.clocks import SteppingClock

# The bundled articles are dated 11–13 January 2025; the bot lives on the morning after.
NOW = datetime(2025, 1, 14, 6, 0, tzinfo=UTC)  # 11:00 in Asia/Almaty
TAGGER = load_tagger()


# No generated repr: asyncio.Runner's SIGINT handler holds the task that set this fixture up, and
# the next Runner's signal.signal() formats that handler with %r (Python 3.11), result and all;
# a Harness repr walks the emulator's state and the tagger, 0.4 s for every test.
@dataclass(repr=False)
class Harness:
    """The emulator, the running bot's database and clock, and user-level helpers."""

    emulator: Emulator
    database: Database
    clock: SteppingClock
    services: Services
    operator: User
    ticker: DigestTicker
    runtime: Runtime

    def private_chat(self, name: str = "Alice", language: str | None = "en") -> tuple[User, Chat]:
        user = self.emulator.create_user(name, language_code=language)
        return user, self.emulator.create_private_chat(user)

    async def say(
        self, user: User, chat: Chat, text: str, *, replies: int = 1
    ) -> list[ChatMessage]:
        """Send a message as the user and wait for `replies` new bot messages."""
        before = len(self.emulator.messages_to(chat))
        self.emulator.send_message(user, chat, text)
        sent = await self.emulator.wait_for_messages(chat, before + replies)
        return sent[before:]

    async def press(
        self, user: User, message: ChatMessage, data: str, *, forged: bool = False
    ) -> str:
        """Press a button and wait until the bot answered the callback query; the answer text."""
        query_id = self.emulator.press_button(user, message, data, forged=forged)
        answer = await self.emulator.wait_for_callback_answer(query_id)
        return answer.text or ""

    def current(self, chat: Chat, message_id: int) -> ChatMessage:
        """A bot message as it is now (after edits)."""
        return next(m for m in self.emulator.messages_to(chat) if m.message_id == message_id)


@pytest.fixture
async def harness(database_url: str) -> AsyncIterator[Harness]:
    async with Emulator(flood=FloodLimits(enabled=False)) as emulator:
        operator = emulator.create_user("Operator", language_code="en")
        settings = Settings(
            admin_user_ids=(operator.id,),
            _env_file=None,
            telegram_bot_token=emulator.token,
            telegram_api_base_url=emulator.base_url,
            database_url=database_url,
            # Sources served by the tests' local servers; every other private address stays
            # refused. A short deadline keeps slow-source tests short.
            private_source_networks=(ip_network("127.0.0.1/32"),),
            poll_deadline_seconds=4,
        )
        database = create_database(settings.database_url)
        clock = SteppingClock(NOW)
        await ingest_files(
            database,
            [bundled_seed_dir()],
            tagger=TAGGER,
            zone=ZoneInfo("Asia/Almaty"),
            now=NOW,
            default_language="en",
        )
        services = Services(database, clock, settings, default_translator(), TAGGER)
        bot = build_bot(services, token=emulator.token)
        bot.runtime.sender.backoff = 0.01  # retries after 5xx need not wait in tests
        application = bot.application
        ticker = DigestTicker(services, bot.runtime.sender)
        await start_bot(application, services, poll_timeout=1)
        try:
            yield Harness(emulator, database, clock, services, operator, ticker, bot.runtime)
        finally:
            await stop_bot(application)
            await bot.runtime.close()
        await database.dispose()
