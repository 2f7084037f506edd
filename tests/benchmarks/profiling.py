"""Where a process spends its time: CPU seconds from /proc, and a py-spy profile when present."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

# Innermost matching frame decides a sample's category (py-spy's short file names).
CATEGORIES = (
    ("SQLite itself (aiosqlite worker threads)", ("aiosqlite/", "sqlite3/")),
    ("SQLAlchemy (ORM, Core, result rows)", ("sqlalchemy/",)),
    ("HTTP client (httpx, httpcore, h11, anyio)", ("httpx/", "httpcore/", "h11/", "anyio/")),
    ("python-telegram-bot (requests, objects, rate limiter)", ("telegram/", "aiolimiter/")),
    ("our code (bot/, storage/)", ("bot/", "storage/")),
    ("asyncio event loop", ("asyncio/", "selectors.py")),
)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process, all threads (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for pid {pid}")


def py_spy() -> str | None:
    return shutil.which("py-spy")


def record_profile(pid: int, output: Path) -> subprocess.Popen[bytes] | None:
    """Start sampling `pid` (stopped by profile_summary); None without py-spy."""
    binary = py_spy()
    if binary is None:
        return None
    options = ["--format", "raw", "--rate", "200", "--threads", "--nolineno", "--nonblocking"]
    return subprocess.Popen(
        [binary, "record", "--pid", str(pid), "--output", str(output), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def profile_summary(profiler: subprocess.Popen[bytes], output: Path, top: int = 8) -> list[str]:
    """Stop the profiler and summarise: share of samples by category and busiest functions."""
    profiler.send_signal(signal.SIGINT)
    try:
        profiler.wait(timeout=30)
    except subprocess.TimeoutExpired:
        profiler.kill()
        profiler.wait()
    deadline = time.monotonic() + 5
    while not output.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    if not output.exists():
        return ["py-spy wrote no profile"]
    return summarise(output.read_text(encoding="utf-8", errors="replace"), top)


def summarise(raw: str, top: int) -> list[str]:
    categories: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    threads: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        threads["worker threads" if "aiosqlite/core.py" in stack else "event loop thread"] += count
        leaves[frames[-1]] += count
        categories[_category(frames)] += count
        for frame in {f for f in frames if " (bot/" in f or " (storage/" in f}:
            ours[frame] += count
    if not total:
        return ["no samples"]
    lines = [f"{total} samples; " + ", ".join(f"{k} {v / total:.0%}" for k, v in threads.items())]
    lines += [f"{name}: {count / total:.0%}" for name, count in categories.most_common()]
    lines.append("busiest functions (self): " + "; ".join(
        f"{name} {count / total:.1%}" for name, count in leaves.most_common(top)
    ))  # fmt: skip
    lines.append("our functions (inclusive, event loop thread): " + "; ".join(
        f"{name} {count / total:.0%}" for name, count in ours.most_common(top + 4)
    ))  # fmt: skip
    return lines


def _category(frames: list[str]) -> str:
    for frame in reversed(frames):
        for name, markers in CATEGORIES:
            if any(marker in frame for marker in markers):
                return name
    return "other (stdlib, json, logging...)"
