"""Packing blocks of Telegram HTML into messages under a length budget, splitting between items.

Lengths are carried with each block (UTF-16 units of its visible text) so nothing is parsed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from bot.domain.telegram_html import Html, utf16_len

SEPARATOR: Final = "\n\n"
SEPARATOR_UNITS: Final = utf16_len(SEPARATOR)


class Block(NamedTuple):
    """A piece that is never split: an item, a heading, a closing line (a tuple: made often)."""

    html: str
    units: int


class Group(NamedTuple):
    """Items under an optional heading; the heading is repeated when the group spans parts."""

    heading: Block | None
    items: Sequence[Block]


@dataclass(slots=True)
class _Packer:
    first_budget: int
    next_budget: int
    parts: list[list[Block]] = field(default_factory=lambda: [[]])
    used: int = 0
    heading: Block | None = None

    @property
    def budget(self) -> int:
        return self.first_budget if len(self.parts) == 1 else self.next_budget

    def cost(self, blocks: Sequence[Block]) -> int:
        """Units `blocks` add to the current part, separators included."""
        count = len(blocks) if self.parts[-1] else len(blocks) - 1
        return sum(block.units for block in blocks) + SEPARATOR_UNITS * max(count, 0)

    def add(self, blocks: Sequence[Block]) -> None:
        """Append blocks to the current part, or to a new part when they do not fit."""
        if self.parts[-1] and self.used + self.cost(blocks) > self.budget:
            self.parts.append([])
            self.used = 0
            if self.heading is not None and blocks[0] is not self.heading:
                blocks = [self.heading, *blocks]
        cost = self.cost(blocks)
        if self.used + cost > self.budget:
            raise ValueError(f"a block of {cost} units does not fit a budget of {self.budget}")
        self.parts[-1].extend(blocks)
        self.used += cost


def pack(
    groups: Sequence[Group], tail: Block | None, *, first_budget: int, next_budget: int
) -> list[list[Block]]:
    """Blocks per part: a heading stays with its first item, and a part that starts inside a
    group repeats its heading. Raises ValueError when one item alone exceeds the budget."""
    everything = [block for group in groups for block in _with_heading(group)]
    if tail is not None:
        everything.append(tail)
    total = sum(block.units for block in everything) + SEPARATOR_UNITS * (len(everything) - 1)
    if total <= first_budget:
        return [everything] if everything else []
    packer = _Packer(first_budget, next_budget)
    for group in groups:
        packer.heading = group.heading
        for index, item in enumerate(group.items):
            if index == 0 and group.heading is not None:
                packer.add([group.heading, item])
            else:
                packer.add([item])
    packer.heading = None
    if tail is not None:
        packer.add([tail])
    return [part for part in packer.parts if part]


def _with_heading(group: Group) -> list[Block]:
    if group.heading is None or not group.items:
        return list(group.items)
    return [group.heading, *group.items]


def join(blocks: Sequence[Block]) -> Html:
    """The message text of one part."""
    return Html(SEPARATOR.join(block.html for block in blocks))
