"""Value types that flow through ingestion and tagging."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class SeedEntry:
    """One article as written in a seed-format file, before any repair.

    `index` counts every title line of the file (0-based), whatever becomes of the article.
    """

    file_name: str
    index: int
    line_no: int
    title_line: str
    raw_title: str
    published_on: date | None
    body_line: str


@dataclass(frozen=True, slots=True)
class SeedProblem:
    """A part of a seed file that could not be read; `reason` is a message key."""

    file_name: str
    line_no: int
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class SeedPage:
    """A parsed seed file: the site and section it came from, its entries and its problems."""

    site_name: str
    section: str
    entries: tuple[SeedEntry, ...]
    problems: tuple[SeedProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article after repair: what gets tagged and stored."""

    title: str
    body: str
    summary: str
    source_url: str | None
    canonical_url: str | None
    published_on: date | None
    language: str
    content_hash: str
    site_name: str
    credits: tuple[str, ...] = ()


class Evidence(NamedTuple):
    """Why a label was given: which signal (title, body, publisher) and which words.

    A named tuple: an article carries a dozen, made in the tagging loop, where a frozen
    dataclass costs several times as much to build."""

    label: str
    signal: str
    text: str
    weight: float


@dataclass(frozen=True, slots=True)
class Decision:
    """Labels in order of importance (main one first) with the evidence behind them."""

    labels: tuple[str, ...]
    evidence: tuple[Evidence, ...] = field(default=())

    def explain(self, label: str) -> tuple[Evidence, ...]:
        """The evidence that supports one label."""
        return tuple(item for item in self.evidence if item.label == label)
