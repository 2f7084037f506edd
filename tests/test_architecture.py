"""The directions STYLE.md asks for, read from the imports of `bot/` and `storage/`.

A ladder: the chat surface and the jobs call use cases; use cases call delivery, digests and
ingest; those call the pure domain and storage. Nothing imports upward, no packages import
each other in a circle, the domain does no I/O and never reads the clock, and handlers never
touch storage. `python -m tests.architecture` prints the graph this reads.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Final

import pytest

from tests.architecture import (
    LONGEST_FUNCTION,
    ROOT,
    cycles,
    imports,
    long_functions,
    package_graph,
    package_of,
)

# Higher rungs may import lower ones (or their own); the composition roots sit on top.
RUNGS: Final = {
    "bot.cli": 5,
    "bot.commands": 5,
    "bot.chat": 4,
    "bot.jobs": 4,
    "bot.usecases": 3,
    "bot.delivery": 2,
    "bot.digests": 2,
    "bot.ingest": 2,
    "bot.services": 2,
    "bot.reference_data": 1,
    "bot.topic_data": 1,
    "bot.alert_data": 1,
    "bot.i18n": 1,
    "bot.settings": 1,
    "bot.clock": 1,
    "bot.logs": 1,
    "bot.metrics": 1,  # counters the layers above move; the listener the composition root starts
    "bot.emulator": 1,  # the Bot API stand-in imports nothing of the bot
    "bot.domain": 0,
    "bot.locales": 0,  # message catalogues, data only
    "bot": 0,  # the package's own __init__
    "storage": 0,
}
IO_LIBRARIES: Final = (
    "telegram", "sqlalchemy", "sqlmodel", "aiosqlite", "asyncpg", "sqlite3", "httpx",
    "aiohttp", "feedparser", "apscheduler", "socket", "urllib.request", "storage", "bot.clock",
    "asyncio", "subprocess", "logging",
)  # fmt: skip
CLOCK_CALLS: Final = ("datetime.now", "datetime.utcnow", "date.today", "time.time")


def _imported(prefix: str, target: str) -> bool:
    return target == prefix or target.startswith(prefix + ".")


def test_every_package_has_a_rung() -> None:
    assert set(package_graph()) <= set(RUNGS), "a new package needs its place on the ladder"


def test_no_package_imports_upward() -> None:
    upward = [
        f"{source} → {target}"
        for source, targets in package_graph().items()
        for target in targets
        if RUNGS[target] > RUNGS[source]
    ]
    assert upward == []


def test_no_packages_import_each_other_in_a_circle() -> None:
    assert cycles(package_graph()) == []


def test_the_cycle_finder_finds_a_circle() -> None:
    circle = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(circle) == [["a", "b", "c"]]


def test_the_domain_does_no_io() -> None:
    found = [
        f"{i.path.relative_to(ROOT)}:{i.line} {i.target}"
        for i in imports()
        if i.module.startswith("bot.domain")
        and any(_imported(library, i.target) for library in IO_LIBRARIES)
    ]
    assert found == []


def test_the_domain_never_reads_the_clock() -> None:
    found = []
    for path in (ROOT / "bot" / "domain").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(CLOCK_CALLS):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_storage_imports_nothing_of_the_bot() -> None:
    found = [
        i.target for i in imports() if i.module.startswith("storage") and _imported("bot", i.target)
    ]
    assert found == []


def test_handlers_never_touch_storage() -> None:
    found = [
        f"{i.path.relative_to(ROOT)}:{i.line} {i.target}"
        for i in imports()
        if i.module.startswith("bot.chat.handlers")
        and any(_imported(banned, i.target) for banned in ("storage", "sqlalchemy", "sqlmodel"))
    ]
    assert found == []


def test_use_cases_never_see_telegram() -> None:
    found = [
        f"{i.path.relative_to(ROOT)}:{i.line}"
        for i in imports()
        if package_of(i.module) == "bot.usecases" and _imported("telegram", i.target)
    ]
    assert found == []


def test_no_function_is_longer_than_a_screen() -> None:
    assert long_functions() == [], f"functions over {LONGEST_FUNCTION} lines"


HANDLER_MODULES: Final = sorted((ROOT / "bot" / "chat" / "handlers").glob("*.py"))


@pytest.mark.parametrize("path", HANDLER_MODULES, ids=lambda path: path.name)
def test_handlers_are_short_module_level_functions(path: Path) -> None:
    """Every handler is a module-level function of ~20 lines (no factory of closures)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    too_long = []
    for node in tree.body:
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > 22:
                too_long.append(f"{node.name}: {length} lines")
            nested = [
                inner.name
                for inner in ast.walk(node)
                if inner is not node and isinstance(inner, ast.AsyncFunctionDef)
            ]
            assert nested == [], f"{node.name} defines handlers inside itself: {nested}"
    assert too_long == []
