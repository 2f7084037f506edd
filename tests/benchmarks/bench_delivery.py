"""Scheduled delivery against the emulator with Telegram's flood limits on.

1. 2,000 digests at the default settings: achieved rate >= 95% of RATE_OVERALL_PER_SECOND
   and not one 429 answer.
2. The highest configured rate (26..30) that still draws no 429, 500 digests per trial.
3. Paid broadcasts (PAID_BROADCAST=true): messages per second, and where the time goes
   (bot CPU, emulator CPU, and a py-spy profile of the bot when py-spy is installed).
4. Bot CPU per delivered one-part digest (target <= 1.25 ms): 400 digests of 150 distinct
   interests due at one minute, paid broadcasts, the emulator in its sink mode (it answers
   sendMessage with the least work, so it is not what limits the bot); the bot's CPU is
   counted from the due minute to the last digest, claims and composition included.
5. The same on the 100,000-chat / 1,000,000-article database (`big_db`, 5,000 chats due,
   windows of the last day's ~2,700 articles): the share of the default 25/s with flood
   limits on, then the CPU per digest for all 5,000 in paid mode against the sink.

The emulator runs in this process, the bot is a real `newsdigest run` subprocess: two
processes, two event loops, as in production. Run:
    .venv/bin/python -m tests.benchmarks.bench_delivery [--quick] [--cpu-only | --big-only]
        [--no-record]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import tempfile
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import make_url

from bot.emulator import Emulator, FloodLimits
from tests.benchmarks.bench_startup import copy_database, remove_database
from tests.benchmarks.big_db import BigDb, ensure_big_db
from tests.benchmarks.profiling import cpu_seconds, profile_summary, record_profile
from tests.benchmarks.report import append_section
from tests.delivery.harness import (
    Tap,
    add_exclusions,
    bot_env,
    next_minute,
    poll_database,
    prepare_database,
    prepare_url,
    private_chats,
    start_bot,
    utc_now,
    wait_until,
)
from tests.postgres import own_database

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"

TARGET_SHARE = 0.95
PAID_TARGET = 800.0
# 5,000 chats due at one minute, as on the big database: long enough that the claim before
# the first send (a few tenths of a second) does not decide a rate capped at 1,000/s.
SEVERAL_DIGESTS = 5_000
# A margin under Telegram's 1,000/s for paid broadcasts, as 25 is under 30: instances pacing
# at exactly the limit drew an occasional 429 from scheduling jitter (2 in 5,000, one run of 5).
SEVERAL_RATE = 950
CPU_TARGET_MS = 1.25
DISTINCT_INTERESTS = 150


@dataclass
class Trial:
    """One delivery run: what was configured and what came out."""

    label: str
    digests: int
    messages: int
    seconds: float
    retry_after: int
    bot_cpu: float
    emulator_cpu: float
    statuses: dict[str, int]
    profile: list[str]

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.label}: {self.messages} messages to {self.digests} chats in "
            f"{self.seconds:.1f} s = {self.rate:.1f}/s, 429 answers: {self.retry_after}, "
            f"CPU over the sending: bot {self.bot_cpu / self.seconds:.0%} of a core, "
            f"emulator {self.emulator_cpu / self.seconds:.0%}"
        )


async def run_trial(
    label: str, digests: int, settings: dict[str, object], *, profile: bool = False
) -> Trial:
    """Prepare `digests` due chats, start the bot, time from its first send to its last."""
    with tempfile.TemporaryDirectory(prefix="bench-delivery-") as folder:
        workdir = Path(folder)
        async with Emulator(flood=FloodLimits()) as emulator, Tap(emulator, label) as tap:
            chat_ids = private_chats(emulator, digests)
            database = workdir / "bot.db"
            url = await prepare_database(database, chat_ids, now=utc_now())
            env = bot_env(url, tap, digest_tick_seconds=1, **settings)
            bot = await start_bot(env, workdir, "bot")
            try:
                await wait_until(
                    emulator, lambda: tap.count("sendMessage") > 0, 60, "first digest", [bot]
                )
                cpu_bot, cpu_here = cpu_seconds(bot.pid), time.process_time()
                started = tap.first("sendMessage") or time.monotonic()
                profiler = record_profile(bot.pid, workdir / "profile.txt") if profile else None
                await wait_until(
                    emulator,
                    lambda: tap.answered["sendMessage", 200] >= digests,
                    digests / 10 + 60,
                    f"{digests} digests",
                    [bot],
                )
                finished = tap.answered_at["sendMessage"]
                bot_cpu = cpu_seconds(bot.pid) - cpu_bot
                emulator_cpu = time.process_time() - cpu_here
                lines = profile_summary(profiler, workdir / "profile.txt") if profiler else []
                await poll_database(
                    database,
                    "SELECT count(*) FROM delivery WHERE status = 'claimed'",
                    lambda rows: rows == [(0,)],
                    30,
                    "every digest finished",
                )
                counts = await asyncio.to_thread(_statuses, database)
                bot.terminate()
                await bot.wait_exit(30)
            finally:
                await bot.stop()
            return Trial(
                label=label,
                digests=digests,
                messages=tap.answered["sendMessage", 200],
                seconds=finished - started,
                retry_after=emulator.retry_after_sent,
                bot_cpu=bot_cpu,
                emulator_cpu=emulator_cpu,
                statuses=counts,
                profile=lines,
            )


@dataclass
class CpuTrial:
    """Bot CPU from the due minute to the last digest, and what it delivered."""

    digests: int
    seconds: float
    bot_cpu: float
    retry_after: int
    first_after: float  # seconds from the due minute to the first digest
    profile: list[str]
    label: str = f"one-part digests of {DISTINCT_INTERESTS} distinct interests"

    def line(self) -> str:
        per_digest = self.bot_cpu / self.digests * 1000
        verdict = "ok" if per_digest <= CPU_TARGET_MS else "MISSED"
        return (
            f"CPU per digest: {self.digests} {self.label}, paid broadcasts, emulator sink: "
            f"{per_digest:.2f} ms of bot CPU each (target <= {CPU_TARGET_MS} ms: {verdict}), "
            f"{self.digests / self.seconds:.0f} digests/s from the due minute, the first "
            f"{self.first_after:.1f} s after it, 429 answers: {self.retry_after}"
        )


async def cpu_per_digest(digests: int) -> CpuTrial:
    """Chats due a little after the bot is up; CPU and time counted from the due instant."""
    with tempfile.TemporaryDirectory(prefix="bench-delivery-cpu-") as folder:
        workdir = Path(folder)
        async with (
            Emulator(flood=FloodLimits(), sink=True) as emulator,
            Tap(emulator, "cpu") as tap,
        ):
            chat_ids = private_chats(emulator, digests)
            due = next_minute(utc_now() + timedelta(seconds=25))  # digest times are minutes
            database = workdir / "bot.db"
            url = await prepare_database(database, chat_ids, now=utc_now(), due_at=due)
            # Distinct interests (a phrase excluded that no article holds) keep the same
            # one-part digests while each of them is composed, as different chats' are.
            await add_exclusions(
                url, {c: f"zq{n % DISTINCT_INTERESTS}" for n, c in enumerate(chat_ids)}
            )
            env = bot_env(
                url,
                tap,
                paid_broadcast="true",
                rate_overall_per_second=1000,
                send_concurrency=16,
            )
            bot = await start_bot(env, workdir, "bot")
            try:
                await asyncio.sleep(max((due - utc_now()).total_seconds(), 0))
                cpu_at_due, started = cpu_seconds(bot.pid), time.monotonic()
                profiler = record_profile(bot.pid, workdir / "profile.txt")
                await wait_until(
                    emulator,
                    lambda: tap.answered["sendMessage", 200] >= digests,
                    digests / 10 + 90,
                    f"{digests} digests",
                    [bot],
                )
                bot_cpu = cpu_seconds(bot.pid) - cpu_at_due
                seconds = tap.answered_at["sendMessage"] - started
                first_after = (tap.first("sendMessage") or started) - started
                lines = profile_summary(profiler, workdir / "profile.txt") if profiler else []
                bot.terminate()
                await bot.wait_exit(30)
            finally:
                await bot.stop()
            return CpuTrial(
                digests, seconds, bot_cpu, emulator.retry_after_sent, first_after, lines
            )


async def several_senders(instances: int, digests: int) -> str:
    """`instances` bots on one PostgreSQL database, paid broadcasts against the sink: the
    messages per second they deliver together from the due minute (target >= 800/s where one
    core is not enough) and their CPU per digest. Skipped without a PostgreSQL server."""
    server = os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES
    address = make_url(server)
    try:
        socket.create_connection((address.host or "127.0.0.1", address.port or 5432), 2).close()
    except OSError as error:
        return f"- several senders: skipped, no PostgreSQL at {address.host} ({error})"
    async with own_database(server, "nd_bench") as url:
        return await _several_senders_on(url, instances, digests)


async def _several_senders_on(url: str, instances: int, digests: int) -> str:
    with tempfile.TemporaryDirectory(prefix="bench-delivery-pg-") as folder:
        workdir = Path(folder)
        async with Emulator(flood=FloodLimits(), sink=True) as emulator, AsyncExitStack() as taps:
            tapped = [
                await taps.enter_async_context(Tap(emulator, f"bot{n}")) for n in range(instances)
            ]
            chat_ids = private_chats(emulator, digests)
            # All prepared, up and counted by then (preparing 5,000 chats takes ~20 s).
            due = next_minute(utc_now() + timedelta(seconds=30 + digests / 200))
            await prepare_url(url, workdir, chat_ids, now=utc_now(), due_at=due)
            await add_exclusions(
                url, {c: f"zq{n % DISTINCT_INTERESTS}" for n, c in enumerate(chat_ids)}
            )
            settings = {
                "paid_broadcast": "true",
                "rate_overall_per_second": SEVERAL_RATE,
                "send_concurrency": 16,
                "lease_seconds": 6,  # heartbeats every 2 s: both count each other before due
            }
            bots = [
                await start_bot(bot_env(url, tap, **settings), workdir, tap.label) for tap in tapped
            ]
            try:
                await asyncio.sleep(max((due - utc_now()).total_seconds(), 0))
                cpu_at_due, started = sum(cpu_seconds(b.pid) for b in bots), time.monotonic()
                await wait_until(
                    emulator,
                    lambda: sum(t.answered["sendMessage", 200] for t in tapped) >= digests,
                    digests / 10 + 90,
                    f"{digests} digests",
                    bots,
                )
                bot_cpu = sum(cpu_seconds(b.pid) for b in bots) - cpu_at_due
                seconds = max(t.answered_at.get("sendMessage", started) for t in tapped) - started
                first = min((t.first("sendMessage") or started) for t in tapped) - started
                shares = [t.answered["sendMessage", 200] for t in tapped]
                for bot in bots:
                    bot.terminate()
                for bot in bots:
                    await bot.wait_exit(30)
            finally:
                for bot in bots:
                    await bot.stop()
    rate = digests / seconds
    verdict = "ok" if rate >= PAID_TARGET else "MISSED"
    return (
        f"- several senders: {instances} instances on one PostgreSQL database, paid broadcasts "
        f"(RATE_OVERALL_PER_SECOND={SEVERAL_RATE}, shared), emulator sink: {digests} digests in "
        f"{seconds:.1f} s from the due minute = {rate:.0f} msg/s (target >= {PAID_TARGET:.0f}/s: "
        f"{verdict}), the first {first:.2f} s after it ({digests / (seconds - first):.0f} msg/s "
        f"from the first to the last), sent {' + '.join(map(str, shares))}, "
        f"{bot_cpu / digests * 1000:.2f} ms of bot CPU per digest, "
        f"429 answers: {emulator.retry_after_sent}"
    )


async def big_database_trials(share_digests: int) -> list[str]:
    """On the 100,000-chat / 1,000,000-article database (5,000 chats due at 08:00, realistic
    windows of the last day): the share of the default 25/s over `share_digests` digests with
    flood limits on, then the bot's CPU per digest for all 5,000 in paid mode against the sink.
    Each trial runs on a fresh copy, the clock pinned to the database's instant."""
    info = ensure_big_db()
    lines: list[str] = []
    copy = copy_database(info)
    try:
        trial = await _big_run(info, copy, share_digests, sink=False, settings={})
        share = trial.digests / trial.seconds / 25.0
        verdict = "ok" if share >= TARGET_SHARE and trial.retry_after == 0 else "MISSED"
        lines.append(
            f"- big database, default settings (25/s): {trial.digests} digests in "
            f"{trial.seconds:.1f} s = {share:.1%} of 25/s (target >= 95%, zero 429): {verdict}; "
            f"429 answers: {trial.retry_after}; the first {trial.first_after:.1f} s after polling "
            f"began; bot CPU {trial.bot_cpu / trial.digests * 1000:.2f} ms per digest"
        )
        print(lines[-1], flush=True)
    finally:
        remove_database(copy)
    copy = copy_database(info)
    try:
        paid = {"paid_broadcast": "true", "rate_overall_per_second": 1000, "send_concurrency": 16}
        cpu = await _big_run(info, copy, info.due_chats, sink=True, settings=paid)
        lines.append(f"- big database: {cpu.line()}")
        print(lines[-1], flush=True)
    finally:
        remove_database(copy)
    return lines


async def _big_run(
    info: BigDb, copy: Path, digests: int, *, sink: bool, settings: dict[str, object]
) -> CpuTrial:
    """One bot on a copy of the big database: time and CPU from polling to `digests` sent."""
    url = f"sqlite+aiosqlite:///{copy}"
    with tempfile.TemporaryDirectory(prefix="bench-delivery-big-") as folder:
        async with (
            Emulator(flood=FloodLimits(), sink=sink) as emulator,
            Tap(emulator, "big") as tap,
        ):
            for number in range(info.chats):  # user ids 10001.. match the database's chat ids
                emulator.create_private_chat(emulator.create_user(f"Reader{number}"))
            env = bot_env(url, tap, **settings)
            bot = await start_bot(env, Path(folder), "bot", "--now", info.now)
            try:
                await wait_until(
                    emulator, lambda: tap.count("getUpdates") > 0, 60, "polling", [bot]
                )
                cpu_at_start, started = cpu_seconds(bot.pid), time.monotonic()
                await wait_until(
                    emulator,
                    lambda: tap.answered["sendMessage", 200] >= digests,
                    digests / 10 + 120,
                    f"{digests} digests",
                    [bot],
                )
                bot_cpu = cpu_seconds(bot.pid) - cpu_at_start
                first = (tap.first("sendMessage") or started) - started
                seconds = tap.answered_at["sendMessage"] - (tap.first("sendMessage") or started)
                bot.terminate()
                await bot.wait_exit(30)
            finally:
                await bot.stop()
    label = f"one-part digests of the big database's {info.due_chats:,} due chats"
    return CpuTrial(digests, seconds, bot_cpu, emulator.retry_after_sent, first, [], label)


def _statuses(database: Path) -> dict[str, int]:
    from tests.delivery.harness import read_rows

    rows = read_rows(database, "SELECT status, count(*) FROM delivery GROUP BY status")
    return {str(status): int(str(count)) for status, count in rows}


async def find_highest_rate(digests: int, rates: range) -> tuple[int | None, list[Trial]]:
    """Go up from the lowest rate; stop at the first one that draws a 429."""
    best: int | None = None
    trials: list[Trial] = []
    for rate in rates:
        trial = await run_trial(f"rate {rate}/s", digests, {"rate_overall_per_second": rate})
        trials.append(trial)
        print(trial.line(), flush=True)
        if trial.retry_after:
            break
        best = rate
    return best, trials


async def benchmark(
    quick: bool, *, cpu_only: bool = False, big: bool = False, several: bool = False
) -> list[str]:
    lines: list[str] = []
    if cpu_only:
        cpu = await cpu_per_digest(400)
        print(cpu.line(), *cpu.profile, sep="\n", flush=True)
        return [f"- {cpu.line()}", *(f"  - {entry}" for entry in cpu.profile)]
    if big:
        return await big_database_trials(1_000 if quick else 2_500)
    if several:
        line = await several_senders(2, SEVERAL_DIGESTS)
        print(line, flush=True)
        return [line]
    digests = 400 if quick else 2_000
    default = await run_trial("default settings (25/s)", digests, {})
    print(default.line(), flush=True)
    share = default.rate / 25.0
    verdict = "ok" if share >= TARGET_SHARE and default.retry_after == 0 else "MISSED"
    lines += [
        f"- {default.line()}",
        f"  - achieved {share:.1%} of the configured 25/s (target >= 95%, zero 429): {verdict}",
        f"  - ledger: {default.statuses}",
    ]
    best, trials = await find_highest_rate(200 if quick else 500, range(26, 31))
    lines.append(f"- highest RATE_OVERALL_PER_SECOND with zero 429 (26..30): {best or 'none'}")
    lines += [f"  - {trial.line()}" for trial in trials]
    paid_digests = 1_000 if quick else 2_000
    for concurrency in (4, 16):
        paid = await run_trial(
            f"paid broadcast, SEND_CONCURRENCY={concurrency}",
            paid_digests,
            {
                "paid_broadcast": "true",
                "rate_overall_per_second": 1000,
                "send_concurrency": concurrency,
            },
            profile=concurrency == 4,
        )
        print(paid.line(), flush=True)
        lines.append(f"- {paid.line()}")
        if paid.profile:
            lines.append("  - py-spy profile of the bot while sending (share of samples):")
            lines += [f"    - {entry}" for entry in paid.profile]
            print("\n".join(paid.profile), flush=True)
    cpu = await cpu_per_digest(400)
    print(cpu.line(), *cpu.profile, sep="\n", flush=True)
    lines += [f"- {cpu.line()}", *(f"  - {entry}" for entry in cpu.profile)]
    lines.append(await several_senders(2, 1_000 if quick else SEVERAL_DIGESTS))
    print(lines[-1], flush=True)
    return lines + await big_database_trials(1_000 if quick else 2_500)


def main(argv: list[str] | None = None) -> None:
    """Print the figures; append them to BENCHMARKS.md unless `--no-record`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer digests (a smoke run)")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--cpu-only", action="store_true", help="only the CPU-per-digest trial")
    parser.add_argument("--big-only", action="store_true", help="only the big-database trials")
    parser.add_argument(
        "--several-only", action="store_true", help="only the PostgreSQL several-senders trial"
    )
    arguments = parser.parse_args(argv)
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    lines = asyncio.run(
        benchmark(
            arguments.quick,
            cpu_only=arguments.cpu_only,
            big=arguments.big_only,
            several=arguments.several_only,
        )
    )
    if not arguments.no_record:
        profiler = "py-spy" if shutil.which("py-spy") else "no py-spy on PATH"
        append_section(
            "Scheduled delivery against the emulator (flood limits on)",
            "python -m tests.benchmarks.bench_delivery"
            + (" --quick" if arguments.quick else "")
            + (" --cpu-only" if arguments.cpu_only else "")
            + (" --big-only" if arguments.big_only else "")
            + (" --several-only" if arguments.several_only else ""),
            [*lines, f"- profiler: {profiler}"],
        )


if __name__ == "__main__":
    main()
