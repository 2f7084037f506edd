"""`python -m tests.benchmarks [NAME...]`: run every bench_*.py module's main(), or those named.

Each benchmark prints its figures and appends a dated section to BENCHMARKS.md; one that
fails is reported and the others still run.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path


def modules(names: list[str]) -> list[str]:
    found = sorted(path.stem for path in Path(__file__).parent.glob("bench_*.py"))
    wanted = [name if name.startswith("bench_") else f"bench_{name}" for name in names]
    unknown = sorted(set(wanted) - set(found))
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(unknown)} (have: {', '.join(found)})")
    return wanted or found


def main(argv: list[str] | None = None) -> int:
    failed: list[str] = []
    for name in modules(sys.argv[1:] if argv is None else argv):
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"tests.benchmarks.{name}").main([])
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
        print(f"== {name}: {time.perf_counter() - started:.0f} s", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
