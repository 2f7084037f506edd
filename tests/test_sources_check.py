"""`newsdigest sources check` as an operator runs it: a pack of local sources (a good feed, a
404, one slower than the poll deadline, the bundled sample) read once, a table, nothing stored."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from pathlib import Path

from aiohttp import web

from tests.ingest.http_server import LocalServer, respond, running_server
from tests.live.live import run_cli

ROOT = Path(__file__).parents[1]
FEED = (ROOT / "tests" / "data" / "feeds" / "rss-ru.xml").read_bytes()
DEADLINE_SECONDS = 5  # room for the parsing workers to start on a busy machine


async def _slow(request: web.Request) -> web.StreamResponse:
    """Answers long after the poll deadline (the check must not wait for it)."""
    await asyncio.sleep(DEADLINE_SECONDS * 10)
    return web.Response(body=FEED, content_type="application/rss+xml")


def _pack(folder: Path, server: LocalServer) -> Path:
    good = server.route(
        "/rss", respond(200, FEED, headers=[("Content-Type", "application/rss+xml")])
    )
    server.route("/slow.xml", _slow)
    pack = folder / "pack.toml"
    pack.write_text(
        f"""
[[source]]
name = "Good feed"
kind = "rss"
url = "{good}"

[[source]]
name = "Gone feed"
kind = "rss"
url = "{server.url("/gone.xml")}"

[[source]]
name = "Slow feed"
kind = "rss"
url = "{server.url("/slow.xml")}"

[[source]]
name = "Sample"
kind = "seed"
url = "bundled:enbekshi-qazaq-business-2025-01-13.txt"
minutes = 1440
""",
        encoding="utf-8",
    )
    return pack


async def _cli(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    """The real CLI in a subprocess, awaited so this loop's server keeps answering it."""
    run = await run_cli(env, cwd, *args)
    return run.returncode, run.stdout, run.stderr


def _rows(stdout: str) -> dict[str, list[str]]:
    """Table rows by source id (`#1`), split into columns."""
    return {line.split()[0]: line.split() for line in stdout.splitlines() if line.startswith("#")}


async def test_check_reads_every_source_once_and_stores_nothing(tmp_path: Path) -> None:
    database = tmp_path / "check.db"
    async with running_server() as server:
        env = {
            **{key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")},
            "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "SOURCE_PACK": str(_pack(tmp_path, server)),
            "POLL_DEADLINE_SECONDS": str(DEADLINE_SECONDS),
            "PRIVATE_SOURCE_NETWORKS": "127.0.0.1/32",
        }
        started = time.monotonic()
        status, stdout, stderr = await _cli(
            "sources", "check", "--now", "2025-01-14T08:00", env=env, cwd=tmp_path
        )
        elapsed = time.monotonic() - started
        assert status == 1, stderr  # two sources fail
        rows = _rows(stdout)
        assert stdout.splitlines()[0].split() == [
            "id", "kind", "status", "items", "newest", "reason", "address",
        ]  # fmt: skip
        # The feed's undated item is dated when it is read: the pinned now, 14 January.
        assert rows["#1"][1:5] == ["rss", "ok", "3", "2025-01-14"], stdout
        assert rows["#2"][1:6] == ["rss", "error", "—", "—", "fetch.http_404"], stdout
        assert rows["#3"][1:6] == ["rss", "error", "—", "—", "fetch.timeout"], stdout
        assert rows["#4"][1:5] == ["seed", "ok", "20", "2025-01-13"], stdout
        assert stdout.rstrip().endswith("2 of 4 sources work from here")
        assert elapsed < 60, "the slow source was given up at the deadline"
        assert len(server.hits("/rss")) == 1 and len(server.hits("/gone.xml")) == 1
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM article").fetchone() == (0,)
        polled = "SELECT count(*) FROM source WHERE last_polled_at IS NOT NULL OR etag IS NOT NULL"
        assert connection.execute(polled).fetchone() == (0,), "a check records no health"


async def test_check_exits_zero_when_every_source_works(tmp_path: Path) -> None:
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")},
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'ok.db'}",
        "SOURCE_PACK": "sample",
    }
    status, stdout, stderr = await _cli("sources", "check", env=env, cwd=tmp_path)
    assert status == 0, stderr
    [row] = _rows(stdout).values()
    assert row[1:4] == ["seed", "ok", "20"]
    assert "1 of 1 sources work from here" in stdout
