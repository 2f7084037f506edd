"""What every live-source adapter (feed, article page) hands to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final
from urllib.parse import urljoin, urlsplit

from bot.domain.taxonomy import Language

# A digest never shows more; a runaway feed body must not fill the database.
MAX_BODY_CHARS: Final = 50_000


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One article from a live source: plain-text title and body, absolute URL, aware UTC time.

    `language`: the language the source says the item is in (gov.kz asks for one per request),
    which outranks detection unless the text is plainly in another script (see `prepare`).
    `story_key`: shared by the language versions of one story, so they are stored as one
    story ("govkz:<entity>:<id>"); None for sources that publish one version.
    """

    title: str
    body: str
    url: str | None
    published: datetime | None
    language: Language | None = None
    story_key: str | None = None


def cap_body(text: str) -> str:
    """At most MAX_BODY_CHARS characters, cut at the last space before the limit when close."""
    if len(text) <= MAX_BODY_CHARS:
        return text
    cut = text[:MAX_BODY_CHARS]
    space = cut.rfind(" ", MAX_BODY_CHARS - 200)
    return (cut[:space] if space > 0 else cut).rstrip()


def absolute_http_url(link: str | None, *, base: str) -> str | None:
    """`link` resolved against `base`; None unless the result is an http(s) URL with a host."""
    if not link or not link.strip():
        return None
    try:
        resolved = urljoin(base, link.strip())
        parts = urlsplit(resolved)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts._replace(fragment="").geturl()
