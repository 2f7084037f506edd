"""Reading the seed text format: a site line, a section line, then `TITLE DD.MM.YYYY` + body lines.

The parser is forgiving: a missing header, blank lines, bodies broken over several lines and
malformed entries are handled, and each problem names its line so the rest of the file is kept.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from bot.domain.articles import SeedEntry, SeedPage, SeedProblem

_TITLE_LINE: Final = re.compile(
    r"^(?P<title>.*?)\s*(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\s*$"
)


# A body that happens to end in a date is far longer than any headline.
_MAX_TITLE_LINE: Final = 400


def is_title_line(line: str) -> bool:
    """A title line ends in a DD.MM.YYYY date and is headline-sized."""
    line = line.strip()
    return len(line) <= _MAX_TITLE_LINE and _TITLE_LINE.match(line) is not None


def parse_seed_text(text: str, *, file_name: str) -> SeedPage:
    """Split a seed file into entries; malformed entries become problems naming their line."""
    lines = text.lstrip("\ufeff").splitlines()
    position = 0
    header: list[str] = []
    while position < len(lines) and len(header) < 2:
        line = lines[position].strip()
        if line and is_title_line(line):
            break
        if line:
            header.append(line)
        position += 1
    site_name = header[0] if header else ""
    section = header[1] if len(header) > 1 else ""

    entries: list[SeedEntry] = []
    problems: list[SeedProblem] = []
    index = -1
    current: tuple[int, str] | None = None  # (line number, title line) awaiting its body
    body: list[str] = []

    def flush() -> None:
        if current is None:
            return
        line_no, title_line = current
        entry_or_problem = _make_entry(file_name, index, line_no, title_line, body)
        if isinstance(entry_or_problem, SeedEntry):
            entries.append(entry_or_problem)
        else:
            problems.append(entry_or_problem)

    for offset, raw in enumerate(lines[position:], start=position + 1):
        line = raw.strip()
        if not line:
            continue
        if is_title_line(line):
            flush()
            index += 1
            current = (offset, line)
            body = []
        elif current is None:
            problems.append(SeedProblem(file_name, offset, "seed.body_without_title", line[:80]))
        else:
            body.append(line)
    flush()
    return SeedPage(site_name, section, tuple(entries), tuple(problems))


def _make_entry(
    file_name: str, index: int, line_no: int, title_line: str, body: list[str]
) -> SeedEntry | SeedProblem:
    match = _TITLE_LINE.match(title_line)
    assert match is not None  # noqa: S101 - only title lines reach here
    try:
        published = date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return SeedProblem(file_name, line_no, "seed.invalid_date", title_line[-10:])
    body_text = " ".join(body).strip()
    if not body_text:
        return SeedProblem(file_name, line_no, "seed.missing_body", title_line[:80])
    return SeedEntry(
        file_name=file_name,
        index=index,
        line_no=line_no,
        title_line=title_line,
        raw_title=match["title"].strip(),
        published_on=published,
        body_line=body_text,
    )
