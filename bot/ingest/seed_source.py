"""A seed-format text fetched over HTTP(S) or read from a path, parsed like a seed file."""

from __future__ import annotations

from bot.domain.articles import SeedPage
from bot.domain.seed_format import parse_seed_text
from bot.ingest.errors import SourceError
from bot.ingest.html_text import looks_like_html_page
from bot.ingest.seed_files import decode


def parse_seed_source(body: bytes, *, name: str) -> SeedPage:
    """Entries and per-line problems of a seed text; `name` names it in problems.

    Raises SourceError("seed.empty") for an empty body and ("seed.html_page") for an HTML
    page; a text with no title line at all is a SeedPage with problems and no entries.
    """
    if not body.strip():
        raise SourceError("seed.empty")
    if looks_like_html_page(body):
        raise SourceError("seed.html_page")
    return parse_seed_text(decode(body), file_name=name)
