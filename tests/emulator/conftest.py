"""Fixtures: an emulator on 127.0.0.1 with a fake flood clock, and PTB's own Bot on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import telegram

from bot.emulator import Chat, Emulator, FloodLimits, User


@dataclass
class FakeClock:
    now: float = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def emu(clock: FakeClock) -> AsyncIterator[Emulator]:
    async with Emulator(clock=clock, flood=FloodLimits(enabled=False)) as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: Emulator) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(emu.token, base_url=emu.base_url) as client:
        yield client


@pytest.fixture
def alice(emu: Emulator) -> User:
    return emu.create_user("Alice", username="alice")


@pytest.fixture
def dm(emu: Emulator, alice: User) -> Chat:
    return emu.create_private_chat(alice)
