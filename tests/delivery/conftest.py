"""The Bot API emulator every process-level delivery test talks to, flood limits off."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.emulator import Emulator, FloodLimits


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(flood=FloodLimits(enabled=False)) as emu:
        yield emu
