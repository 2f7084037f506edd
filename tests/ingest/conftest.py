"""Fixtures for the network layer: a local HTTP server and a client configured like the bot's."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.ingest.http_server import LocalServer, running_server

MAX_REDIRECTS = 5


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with running_server() as local:
        yield local


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        headers={"User-Agent": "newsdigest-tests/1.0"},
        timeout=httpx.Timeout(5.0),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
    ) as http:
        yield http
