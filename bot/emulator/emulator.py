"""The Emulator: a local Telegram Bot API server plus the Python control API for tests."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from bot.emulator.chatter import Chatter
from bot.emulator.control import ControlApi
from bot.emulator.faults import Fault, FaultKind
from bot.emulator.flood import FloodControl, FloodLimits
from bot.emulator.gateway import Gateway
from bot.emulator.http import HttpServer
from bot.emulator.models import CallbackAnswer, Chat, ChatMessage, User
from bot.emulator.state import EmulatorState
from bot.emulator.world import ChatRef


def _new_token(bot_id: int) -> str:
    return f"{bot_id}:AA{secrets.token_urlsafe(24)}"


class Emulator(Chatter):
    """`async with Emulator() as emu:` serves http://127.0.0.1:<port>/bot<token>/<method>."""

    def __init__(
        self,
        token: str | None = None,
        *,
        bot_username: str = "newsdigest_test_bot",
        bot_name: str = "News Digest",
        flood: FloodLimits | None = None,
        clock: Callable[[], float] = time.time,
        host: str = "127.0.0.1",
        port: int = 0,
        sink: bool = False,
    ) -> None:
        """`sink`: answer sendMessage with the least work, for delivery benchmarks (see
        `EmulatorState.sink`); flood limits, chat checks and the answers stay as Telegram's."""
        bot_id = int(token.split(":", 1)[0]) if token else 7_000_000_000 + secrets.randbelow(10**6)
        bot = User(bot_id, bot_name, bot_username, is_bot=True, language_code=None)
        super().__init__(EmulatorState.create(bot, clock, flood or FloodLimits()))
        self.state.sink = sink
        self._token = token or _new_token(bot_id)
        self._host = host
        self.port = 0
        control = ControlApi(self)
        self._server = HttpServer(
            Gateway(self.state, lambda: self._token, control.handle).handle, host, port
        )

    @property
    def token(self) -> str:
        return self._token

    def rotate_token(self) -> str:
        """Issue a new token; the old one answers 401 Unauthorized from now on."""
        self._token = _new_token(self.state.bot.id)
        return self._token

    @property
    def base_url(self) -> str:
        """What PTB takes as `base_url`: it appends `<token>/<method>`."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def control_url(self) -> str:
        return f"http://{self._host}:{self.port}/_control"

    async def start(self) -> None:
        self.port = await self._server.start()

    async def stop(self) -> None:
        self.state.closing = True
        self.state.signal.notify()
        await self._server.stop()

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- reading what the bot did -------------------------------------------------------
    def messages_to(self, chat: ChatRef, *, include_deleted: bool = False) -> list[ChatMessage]:
        chat_id = self.chat(chat).id
        return [m for m in self.state.bot_messages(chat_id) if include_deleted or not m.deleted]

    def last_message(self, chat: ChatRef) -> ChatMessage | None:
        sent = self.messages_to(chat)
        return sent[-1] if sent else None

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Return once predicate() holds; TimeoutError after `timeout` seconds."""
        if not await self.state.signal.wait_for(predicate, timeout):
            raise TimeoutError(f"condition not met within {timeout}s")

    async def wait_for_messages(
        self,
        chat: ChatRef,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[ChatMessage]:
        """Wait until the bot has sent at least `count` messages to `chat`."""
        chat_id = self.chat(chat).id
        if not await self.state.signal.wait_for(
            lambda: len(self.messages_to(chat_id)) >= count, timeout
        ):
            got = len(self.messages_to(chat_id))
            raise TimeoutError(f"chat {chat_id}: {got} of {count} messages after {timeout}s")
        return self.messages_to(chat_id)

    def callback_answer(self, query_id: str) -> CallbackAnswer | None:
        query = self.state.callback_queries.get(query_id)
        return None if query is None else query.answer

    async def wait_for_callback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        await self.wait_for(lambda: self.callback_answer(query_id) is not None, timeout)
        answer = self.callback_answer(query_id)
        assert answer is not None  # noqa: S101 - guaranteed by wait_for
        return answer

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        key = json.dumps(scope or {"type": "default"}, sort_keys=True)
        return self.state.commands.get((key, language_code), [])

    @property
    def retry_after_sent(self) -> int:
        """How many 429 answers the emulator gave in total."""
        return sum(self.state.retry_after_sent.values())

    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self.state.updates)

    # -- shaping the service ---------------------------------------------------------------
    def inject_fault(
        self,
        kind: FaultKind,
        *,
        method: str | None = None,
        chat: ChatRef | str | None = None,
        times: int = 1,
        **options: Any,
    ) -> Fault:
        """Make the next `times` matching calls fail (see Fault for the options)."""
        chat_id = chat.id if isinstance(chat, Chat) else chat
        fault = Fault(kind, method, chat_id, times, **options)
        self.state.faults.add(fault)
        return fault

    def set_flood_limits(self, limits: FloodLimits) -> None:
        self.state.flood = FloodControl(limits, self.state.clock)

    def set_privacy_mode(self, enabled: bool) -> None:
        self.state.privacy_mode = enabled
