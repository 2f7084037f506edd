"""The package graph of `bot/` and `storage/`, read from the source (no import is run).

`python -m tests.architecture` prints it, with the import cycles and the functions over the
size limit; `tests/test_architecture.py` holds the directions STYLE.md asks for.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[1]
SOURCES: Final = ("bot", "storage")
LONGEST_FUNCTION: Final = 60  # lines, decorators and docstring included


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement: the module it is in, what it imports, and where."""

    module: str
    target: str
    path: Path
    line: int
    type_checking_only: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(module: str) -> str:
    """`bot.chat.handlers.start` → `bot.chat`; `bot.cli` → `bot.cli`; `storage.x` → `storage`."""
    parts = module.split(".")
    if parts[0] != "bot":
        return parts[0]
    return ".".join(parts[:2]) if len(parts) > 1 else "bot"


def source_files() -> Iterator[Path]:
    for top in SOURCES:
        yield from sorted((ROOT / top).rglob("*.py"))


def _type_checking_lines(tree: ast.Module) -> set[int]:
    """Lines inside `if TYPE_CHECKING:` blocks: imports for annotations only."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def imports() -> Iterator[Import]:
    """Every absolute import in the sources (relative imports are not used here)."""
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = _type_checking_lines(tree)
        module = module_name(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module]
                targets += [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                yield Import(module, target, path, node.lineno, node.lineno in guarded)


def package_graph() -> dict[str, set[str]]:
    """Package → the packages of ours it imports (annotation-only imports count too)."""
    ours = {module_name(path) for path in source_files()}
    graph: dict[str, set[str]] = {package_of(module): set() for module in ours}
    for found in imports():
        if found.target not in ours:
            continue
        source, target = package_of(found.module), package_of(found.target)
        if source != target:
            graph[source].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one package (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def long_functions(limit: int = LONGEST_FUNCTION) -> list[tuple[int, str]]:
    """(lines, "path:line name") of every function in `bot/` longer than `limit` lines."""
    found = []
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = (node.end_lineno or node.lineno) - start + 1
                if length > limit:
                    where = f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
                    found.append((length, where))
    return sorted(found, reverse=True)


def main() -> None:
    graph = package_graph()
    for package in sorted(graph):
        print(f"{package} -> {', '.join(sorted(graph[package])) or '(nothing of ours)'}")
    print("cycles:", "; ".join(" ↔ ".join(group) for group in cycles(graph)) or "none")
    print(f"functions over {LONGEST_FUNCTION} lines:")
    for length, where in long_functions() or [(0, "none")]:
        print(f"  {length:4} {where}" if length else "  none")


if __name__ == "__main__":
    sys.exit(main())
