"""Appending a dated section, with the machine it ran on, to BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "BENCHMARKS.md"


def machine() -> str:
    """`x86_64, 2 CPUs, Python 3.11.7 (load average ...)`: enough to compare runs."""
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    kind = f"{platform.machine()} {platform.processor() or ''}".strip()
    return (
        f"{kind}, {os.cpu_count()} CPUs, Python {platform.python_version()} (load average {load})"
    )


def append_section(title: str, command: str, lines: list[str]) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = [
        "",
        f"## {title} — {stamp}",
        "",
        f"Machine: {machine()}",
        f"Command: `.venv/bin/{command}`",
        "",
        *lines,
    ]
    if not BENCHMARKS.exists():
        BENCHMARKS.write_text("# Benchmarks\n", encoding="utf-8")
    with BENCHMARKS.open("a", encoding="utf-8") as file:
        file.write("\n".join(section) + "\n")
