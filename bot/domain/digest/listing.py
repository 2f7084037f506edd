"""Compact numbered lists for `/latest` and `/search`: linked title, then site and date (and
the official-source mark)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, tzinfo
from typing import Final

from bot.domain.digest.dates import format_date
from bot.domain.digest.model import DigestArticle, NumberedItem, Rendered, Texts
from bot.domain.digest.split import SEPARATOR_UNITS, Block, Group, join, pack
from bot.domain.digest.text import one_line, safe_href, shorten, site_label
from bot.domain.telegram_html import MAX_MESSAGE_UNITS, escape, link, utf16_len, visible_len

TITLE_UNITS: Final = 200


def render_article_list(
    articles: Sequence[DigestArticle],
    texts: Texts,
    *,
    heading: str | None = None,
    start: int = 1,
    tz: tzinfo = UTC,
    max_units: int = MAX_MESSAGE_UNITS,
) -> Rendered:
    """Articles in the given order, numbered from `start`; `heading` is Telegram HTML (or None)
    placed atop the first message. Dates are local to `tz`. No articles -> no messages."""
    if not articles:
        return Rendered((), ())
    head = None if heading is None else Block(heading, visible_len(heading))
    blocks = [_line(start + offset, article, texts, tz) for offset, article in enumerate(articles)]
    first_budget = max_units - (0 if head is None else head.units + SEPARATOR_UNITS)
    parts = pack([Group(None, blocks)], None, first_budget=first_budget, next_budget=max_units)
    if head is not None:
        parts[0].insert(0, head)
    numbered = tuple(
        NumberedItem(start + offset, article.id) for offset, article in enumerate(articles)
    )
    return Rendered(tuple(join(part) for part in parts), numbered)


def _line(number: int, article: DigestArticle, texts: Texts, tz: tzinfo) -> Block:
    title = shorten(one_line(article.title), TITLE_UNITS)
    if title:
        href = safe_href(article.source_url)
        title_html: str = link(href, title) if href else escape(title)
        title_units = utf16_len(title)
    else:
        title_html = texts("digest.untitled")
        title_units = visible_len(title_html)
    day = format_date(article.published_at.astimezone(tz).date(), texts)
    site = site_label(article.source_url)
    details = f"{escape(site)} · {day}" if site else day
    details_units = (utf16_len(site) + 3 if site else 0) + visible_len(day)
    if article.official:
        mark = texts("official.mark")
        details, details_units = f"{details} · {mark}", details_units + 3 + visible_len(mark)
    html = f"<b>{number}.</b> {title_html}\n<i>{details}</i>"
    return Block(html, len(str(number)) + 2 + title_units + 1 + details_units)
