"""Reading seed-format files and folders from disk into parsed pages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path

from bot.domain.articles import SeedPage
from bot.domain.seed_format import parse_seed_text
from bot.ingest.charsets import decode_document


@dataclass(frozen=True, slots=True)
class UnreadableFile:
    """A path that could not be read at all, and why (a message key and the OS error)."""

    path: Path
    reason: str
    detail: str


def expand_paths(paths: Iterable[Path]) -> Iterator[Path | UnreadableFile]:
    """Files as given, and the `*.txt` files of folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.txt"))
        elif path.is_file():
            yield path
        else:
            yield UnreadableFile(path, "ingest.not_found", str(path))


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM, a few damaged bytes and all), else the legacy code page
    `charsets` detects (windows-1251 for most old Cyrillic dumps); never fails."""
    return decode_document(data, content_type=None, markup="text").text


def read_seed_file(path: Path) -> SeedPage | UnreadableFile:
    """Parse one file; an OS error becomes an UnreadableFile instead of an exception."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return UnreadableFile(path, "ingest.unreadable", error.strerror or type(error).__name__)
    return parse_seed_text(decode(data), file_name=path.name)


def bundled_seed_dir() -> Path:
    """The sample articles shipped with the package (found without the source tree too)."""
    return Path(str(files("seeds")))


def newest_entry_date(folder: Path) -> date | None:
    """The newest article date of the seed files in a folder (None when there is none)."""
    dates = [
        entry.published_on
        for path in sorted(folder.glob("*.txt"))
        if isinstance(page := read_seed_file(path), SeedPage)
        for entry in page.entries
        if entry.published_on is not None
    ]
    return max(dates, default=None)
