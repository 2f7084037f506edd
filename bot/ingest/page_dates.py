"""When an article page says it was published: trafilatura's date, or the one the page writes
for people («12 марта 2025», «2025 жылғы 12 наурыз», «сегодня, 14:05») where trafilatura has
none, or only a year (it gives 1 January for «2025 жылғы 12 наурыз», reading just «2025»).

Where the page's own date is looked for, first found first: `<time>` elements (their
`datetime`, then their text), `datePublished` and `article:published_time` values, short
elements whose class names a date, and the few lines right after the first `<h1>`.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any, Final

from bot.domain.local_dates import find_local_date

_PLACES: Final = (
    "//time/@datetime",
    "//time",
    "//*[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished' or @itemprop='dateCreated']",
    "//meta[@property='article:published_time']/@content",
    "//*[contains(translate(@class, 'DATEIMPUBLS', 'dateimpubls'), 'date')"
    " or contains(translate(@class, 'DATEIMPUBLS', 'dateimpubls'), 'time')"
    " or contains(translate(@class, 'DATEIMPUBLS', 'dateimpubls'), 'publish')]",
)
_AFTER_TITLE: Final = "(//h1)[1]/following::text()[normalize-space()][position() <= 6]"
# A date element holds a date and perhaps an author or a view count; a longer one is a
# container (a "post-date" wrapper around the whole article), and its dates may be anyone's.
_MAX_PLACE_CHARS: Final = 120
_MAX_PLACES: Final = 40
_AFTER_TITLE_CHARS: Final = 200


def date_places(tree: Any) -> list[str]:
    """The texts that may hold the page's date, in the order they are tried. Read before
    trafilatura runs: it prunes the tree."""
    places: list[str] = []
    for path in _PLACES:
        for node in tree.xpath(path):
            text = " ".join((node if isinstance(node, str) else node.text_content()).split())
            if text and len(text) <= _MAX_PLACE_CHARS:
                places.append(text)
        if len(places) >= _MAX_PLACES:
            break
    after_title = " ".join(" ".join(str(text).split()) for text in tree.xpath(_AFTER_TITLE))
    return [*places[:_MAX_PLACES], after_title[:_AFTER_TITLE_CHARS]]


def page_date(
    extracted: str | None, places: list[str], *, now: datetime | None, zone: tzinfo
) -> datetime | None:
    """trafilatura's date (YYYY-MM-DD, as midnight UTC), or the page's own as the docstring
    of this module says; the time of day is kept when the page writes one."""
    found = _extracted(extracted)
    if found is not None and (found.month, found.day) != (1, 1):
        return found
    for text in places:
        written = find_local_date(text, now=now, zone=zone)
        if written is None:
            continue
        if found is None or written.astimezone(zone).year == found.year:
            return written
    return found


def _extracted(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None
