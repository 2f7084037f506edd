"""Routes HTTP requests: `/bot<token>/<method>` to the Bot API, `/_control/<action>` to tests."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.emulator.errors import NOT_FOUND, UNAUTHORIZED, ApiError, too_many_requests
from bot.emulator.faults import Fault
from bot.emulator.http import Request, Response
from bot.emulator.methods import call_method, is_known
from bot.emulator.state import EmulatorState

_API_PATH = re.compile(r"/bot([^/]*)/([A-Za-z0-9_]+)/?")
_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
ControlHandler = Callable[[str, Request], Awaitable[Response]]


def _error(error: ApiError) -> Response:
    return Response.json(error.code, error.body())


class Gateway:
    def __init__(
        self, state: EmulatorState, token: Callable[[], str], control: ControlHandler
    ) -> None:
        self._state = state
        self._token = token
        self._control = control

    async def handle(self, request: Request) -> Response | None:
        if request.path.startswith("/_control/"):
            return await self._control(request.path.removeprefix("/_control/"), request)
        match = _API_PATH.fullmatch(request.path)
        if match is None or not _TOKEN.fullmatch(match.group(1)):
            return _error(NOT_FOUND)  # Telegram answers 404 to malformed tokens
        token, method = match.groups()
        if token != self._token():
            return _error(UNAUTHORIZED)
        if not is_known(method):
            return _error(NOT_FOUND)
        try:
            params = request.form()
        except (ValueError, UnicodeDecodeError, KeyError):
            return _error(ApiError(400, "Bad Request: can't parse request parameters"))
        fault = self._state.faults.take(method, params)
        if fault is not None:
            return await self._faulty(fault, method, params)
        return await self._run(method, params)

    async def _run(self, method: str, params: dict[str, Any]) -> Response:
        try:
            result = await call_method(self._state, method, params)
        except ApiError as error:
            return _error(error)
        return Response.json(200, {"ok": True, "result": result})

    async def _faulty(self, fault: Fault, method: str, params: dict[str, Any]) -> Response | None:
        if fault.kind == "http_error":
            body = {"ok": False, "error_code": fault.status, "description": fault.description}
            return Response.json(fault.status, body)
        if fault.kind == "retry_after":
            chat_id = params.get("chat_id")
            if chat_id is not None and str(chat_id).lstrip("-").isdigit():
                self._state.count_retry_after(int(chat_id))
            return _error(too_many_requests(fault.retry_after))
        response = await self._run(method, params) if fault.deliver else None
        if fault.kind == "delay":
            await asyncio.sleep(fault.delay)
        return response if fault.kind == "delay" else None
