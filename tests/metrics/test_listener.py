"""The listener as Prometheus and a health check see it: real HTTP on 127.0.0.1."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from bot.metrics.health import Heartbeats
from bot.metrics.listener import serving
from bot.metrics.registry import Metrics
from bot.settings import Settings, SettingsError, host_and_port
from storage.engine import create_database
from storage.migrate import upgrade_schema
from tests.clocks import SteppingClock

START = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _settings(tmp_path: Path, listen: str | None) -> Settings:
    url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    database = create_database(url)
    try:
        await upgrade_schema(database)
    finally:
        await database.dispose()
    return Settings(
        _env_file=None,
        telegram_bot_token="123:secret-token",
        database_url=url,
        metrics_listen=listen,
        digest_tick_seconds=10,
        source_tick_seconds=10,
    )


async def test_metrics_and_health_over_http(tmp_path: Path) -> None:
    port = _free_port()
    settings = await _settings(tmp_path, f"127.0.0.1:{port}")
    clock, beats, metrics = SteppingClock(START), Heartbeats(), Metrics(CollectorRegistry())
    metrics.deliveries.labels(status="sent").inc(3)
    async with serving(settings, clock, beats, metrics), httpx.AsyncClient() as client:
        scraped = await client.get(f"http://127.0.0.1:{port}/metrics")
        assert scraped.status_code == 200
        families = {f.name: f for f in text_string_to_metric_families(scraped.text)}
        sent = [
            s for s in families["newsdigest_deliveries"].samples if s.labels["status"] == "sent"
        ]
        assert [s.value for s in sent] == [3]
        assert "secret-token" not in scraped.text

        healthy = await client.get(f"http://127.0.0.1:{port}/healthz")
        assert (healthy.status_code, healthy.json()["role"]) == (200, "standby")

        beats.become_sender(clock.now())
        beats.ticked(clock.now())
        beats.polled(clock.now())
        clock.advance(seconds=12)
        healthy = await client.get(f"http://127.0.0.1:{port}/healthz")
        assert healthy.status_code == 200
        assert healthy.json()["last_tick_age_seconds"] == 12.0

        clock.advance(seconds=20)  # 32 s: past three 10 s intervals
        stalled = await client.get(f"http://127.0.0.1:{port}/healthz")
        assert stalled.status_code == 503
        assert stalled.json()["stalled"] == ["digest_tick", "source_tick"]

        missing = await client.get(f"http://127.0.0.1:{port}/")
        assert missing.status_code == 404
    # Stopped with the block.
    with socket.socket() as again:
        again.bind(("127.0.0.1", port))


def _sockets() -> set[str]:
    """This process's open sockets (their inode names)."""
    found = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue  # closed while we looked
        if target.startswith("socket:"):
            found.add(target)
    return found


async def test_nothing_listens_when_metrics_listen_is_unset(tmp_path: Path) -> None:
    settings = await _settings(tmp_path, None)
    before = _sockets()
    async with serving(settings, SteppingClock(START), Heartbeats(), Metrics(CollectorRegistry())):
        assert _sockets() == before
    # The same block with an address does open one: the comparison can fail.
    settings = settings.model_copy(update={"metrics_listen": f"127.0.0.1:{_free_port()}"})
    async with serving(settings, SteppingClock(START), Heartbeats(), Metrics(CollectorRegistry())):
        assert _sockets() - before


def test_listen_addresses() -> None:
    assert host_and_port("127.0.0.1:9464") == ("127.0.0.1", 9464)
    assert host_and_port("[::1]:9100") == ("::1", 9100)
    assert host_and_port("0.0.0.0:80") == ("0.0.0.0", 80)  # noqa: S104


async def test_an_address_in_use_is_a_settings_error_naming_it(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        settings = await _settings(tmp_path, f"127.0.0.1:{port}")
        with pytest.raises(
            SettingsError, match=f"METRICS_LISTEN: cannot listen on 127.0.0.1:{port}"
        ):
            async with serving(
                settings, SteppingClock(START), Heartbeats(), Metrics(CollectorRegistry())
            ):
                pytest.fail("served on a taken port")
