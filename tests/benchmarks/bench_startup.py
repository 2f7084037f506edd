"""`newsdigest run` on a big database: start-up time, peak memory, and the claim of one tick.

The database (100,000 chats, 1,000,000 articles of ~1 KB, 5,000 chats due) is built once by
`big_db` and cached under bench-data/; each run works on a copy, because the bot claims and
sends. Targets: polling (getUpdates seen) within 2 s of the start, peak RSS under 300 MB,
claiming 5,000 due chats under 1 s. Run:
    .venv/bin/python -m tests.benchmarks.bench_startup [--no-record]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bot.digests.window import WindowBounds, WindowPolicy
from bot.emulator import Emulator, FloodLimits
from storage.engine import create_database
from tests.benchmarks.big_db import CACHE, BigDb, ensure_big_db
from tests.benchmarks.profiling import peak_rss_mib
from tests.benchmarks.report import append_section
from tests.delivery.harness import Tap, bot_env, start_bot, wait_until

START_TARGET = 2.0
RSS_TARGET_MIB = 300.0
CLAIM_TARGET = 1.0
RUN_SECONDS = 8.0
STARTS = 3


class _Rollback(Exception):
    """Ends a timed claim without committing it."""


async def time_claims(url: str, info: BigDb, limit: int, repeats: int = 3) -> list[float]:
    """Seconds per claim_due(limit) at the benchmark instant, each rolled back."""
    from bot.delivery.planner import claim_due

    database = create_database(url)
    timings: list[float] = []
    try:
        for _ in range(repeats):
            with contextlib.suppress(_Rollback):
                async with database.write() as session:
                    started = time.perf_counter()
                    claimed = await claim_due(
                        session, now=info.instant, limit=limit, policy=WindowPolicy()
                    )
                    await session.flush()
                    timings.append(time.perf_counter() - started)
                    if claimed != min(limit, info.due_chats):
                        raise AssertionError(f"claimed {claimed}, expected {limit}")
                    raise _Rollback
    finally:
        await database.dispose()
    return timings


async def time_compose(url: str, info: BigDb, chats: int = 5) -> list[float]:
    """Seconds to compose one due chat's digest as the sender does (read only)."""
    from bot.clock import FixedClock
    from bot.commands.common import load_tagger
    from bot.digests.chat_digest import compose_for_chat
    from bot.i18n import default_translator
    from bot.services import Services
    from bot.settings import Settings
    from storage.queries import chats as chat_queries
    from storage.queries import deliveries as ledger
    from storage.queries import digests as digest_queries

    database = create_database(url)
    settings = Settings(_env_file=None)
    services = Services(
        database, FixedClock(info.instant), settings, default_translator(), load_tagger()
    )
    timings: list[float] = []
    try:
        async with database.read() as session:
            due = await ledger.due_chats(session, now=info.instant, limit=chats)
            marks = await ledger.watermarks(session, chat_ids=[chat.id for chat in due])
            newest = await digest_queries.latest_article_id(session)
            since = info.instant - timedelta(days=settings.article_max_age_days)
            for row in due:
                chat = await chat_queries.get_chat(session, chat_id=row.id)
                assert chat is not None
                bounds = WindowBounds(marks.get(row.id, 0), newest, since)
                started = time.perf_counter()
                await compose_for_chat(
                    session,
                    chat,
                    bounds=bounds,
                    now=info.instant,
                    translator=services.translator,
                    item_cap=settings.digest_item_cap,
                )
                timings.append(time.perf_counter() - started)
    finally:
        await database.dispose()
    return timings


def import_split() -> str:
    """What a bare start costs before any I/O: imports and loading the tagger."""
    script = (
        "import time; t0 = time.perf_counter()\n"
        "import bot.commands.run, bot.chat.application\n"
        "t1 = time.perf_counter()\n"
        "from bot.commands.common import load_tagger; load_tagger()\n"
        "t2 = time.perf_counter()\n"
        "print(f'imports {t1 - t0:.2f} s, tagger {t2 - t1:.2f} s')\n"
    )
    started = time.perf_counter()
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    total = time.perf_counter() - started
    return f"{found.stdout.strip()}, interpreter to exit {total:.2f} s"


@dataclass
class Start:
    polled: float  # spawn to the first getUpdates
    first_call: float  # spawn to the first Bot API call (getMe)
    rss_polling: float
    rss_peak: float
    sent: int


async def start_once(emulator: Emulator, url: str, info: BigDb, workdir: Path, run: float) -> Start:
    """Spawn `newsdigest run`, time it to polling, let it run `run` seconds, SIGTERM it."""
    async with Tap(emulator, "bot") as tap:
        env = bot_env(url, tap, digest_tick_seconds=1)
        spawned = time.monotonic()
        # The clock is pinned to the database's instant: 5,000 chats due, not all 100,000.
        bot = await start_bot(env, workdir, "bot", "--now", info.now)
        try:
            await wait_until(emulator, lambda: tap.count("getUpdates") > 0, 60, "polling", [bot])
            rss_polling = peak_rss_mib(bot.pid)
            await asyncio.sleep(run)  # let a few ticks claim, compose and send
            rss_peak = peak_rss_mib(bot.pid)
            bot.terminate()
            await bot.wait_exit(30)
        finally:
            await bot.stop()
        return Start(
            polled=(tap.first("getUpdates") or spawned) - spawned,
            first_call=(tap.calls[0][0] if tap.calls else spawned) - spawned,
            rss_polling=rss_polling,
            rss_peak=rss_peak,
            sent=tap.answered["sendMessage", 200],
        )


async def measure_run(url: str, info: BigDb, workdir: Path) -> list[str]:
    """Start-up time (three starts), then peak RSS of the first over a few ticks."""
    async with Emulator(flood=FloodLimits()) as emulator:
        for number in range(info.chats):  # user ids 10001.. match the database's chat ids
            emulator.create_private_chat(emulator.create_user(f"Reader{number}"))
        starts = [await start_once(emulator, url, info, workdir, RUN_SECONDS)]
        for _ in range(STARTS - 1):
            starts.append(await start_once(emulator, url, info, workdir, 0.0))
    median = statistics.median(start.polled for start in starts)
    first = starts[0]
    verdict = "ok" if median < START_TARGET else "MISSED"
    rss_verdict = "ok" if first.rss_peak < RSS_TARGET_MIB else "MISSED"
    each = ", ".join(f"{start.polled:.2f}" for start in starts)
    return [
        f"- start-up to first getUpdates: median {median:.2f} s of {each} "
        f"(target < {START_TARGET} s): {verdict}",
        f"  - first Bot API call (getMe) after {first.first_call:.2f} s; "
        f"bare start: {import_split()}",
        f"- peak RSS (VmHWM): {first.rss_polling:.0f} MiB when polling starts, "
        f"{first.rss_peak:.0f} MiB after {RUN_SECONDS:.0f} s more of ticks "
        f"(target < {RSS_TARGET_MIB:.0f} MiB): {rss_verdict}",
        f"- delivery on this database: {first.sent} digests in the {RUN_SECONDS:.0f} s after "
        f"polling began ({first.sent / RUN_SECONDS:.1f}/s; RATE_OVERALL_PER_SECOND is 25)",
    ]


def copy_database(info: BigDb) -> Path:
    target = CACHE / f"run-{os.getpid()}.db"
    shutil.copyfile(info.path, target)
    return target


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def benchmark(info: BigDb, copy: Path) -> list[str]:
    url = f"sqlite+aiosqlite:///{copy}"
    lines: list[str] = []
    for limit in (info.due_chats, 1_000):
        timings = await time_claims(url, info, limit)
        verdict = "ok" if statistics.median(timings) < CLAIM_TARGET else "MISSED"
        lines.append(
            f"- claim_due(limit={limit:,}): first {timings[0]:.3f} s, median "
            f"{statistics.median(timings):.3f} s of {len(timings)} (target: median < "
            f"{CLAIM_TARGET} s for 5,000): {verdict}"
        )
        print(lines[-1], flush=True)
    composing = await time_compose(url, info)
    window = statistics.mean(composing)
    lines.append(
        f"- composing one due chat's digest as the sender does (window: the last day, "
        f"{info.articles // 365:,} articles): {window:.3f} s mean of {len(composing)} chats, "
        f"so one event loop delivers at most {1 / window:.1f} digests/s"
    )
    print(lines[-1], flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        lines += await measure_run(url, info, Path(folder))
    return lines


def main(argv: list[str] | None = None) -> None:
    """Print the figures; append them to BENCHMARKS.md unless `--no-record`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-record", action="store_true")
    arguments = parser.parse_args(argv)
    info = ensure_big_db()
    size = Path(info.path).stat().st_size / 2**20
    lines = [
        f"- database: {info.chats:,} chats ({info.due_chats:,} due), {info.articles:,} articles, "
        f"{size:,.0f} MiB (built once in {info.build_seconds:.0f} s)"
    ]
    copy = copy_database(info)
    try:
        lines += asyncio.run(benchmark(info, copy))
    finally:
        remove_database(copy)
    print("\n".join(lines))
    if not arguments.no_record:
        append_section(
            "Start-up and claim on a big database",
            "python -m tests.benchmarks.bench_startup",
            lines,
        )


if __name__ == "__main__":
    main()
