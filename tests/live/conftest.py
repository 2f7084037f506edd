"""Fixtures of the live-chain tests: the Bot API emulator and a local feed server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.emulator import Emulator, FloodLimits
from tests.ingest.http_server import LocalServer, running_server


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(flood=FloodLimits(enabled=False)) as emu:
        yield emu


@pytest.fixture
async def feeds() -> AsyncIterator[LocalServer]:
    async with running_server() as server:
        yield server
