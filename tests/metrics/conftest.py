"""Fixtures borrowed for counter tests: the chat harness (the real Application against the
emulator) and the ingest tests' local HTTP server and client."""

from tests.chat.conftest import harness
from tests.ingest.conftest import client, server

__all__ = ["client", "harness", "server"]
