"""Digest composition and rendering: articles and a chat's interests in, Telegram HTML out."""

from bot.domain.digest.dates import format_date
from bot.domain.digest.listing import render_article_list
from bot.domain.digest.model import (
    KEYWORDS_SECTION,
    TOPICS_SECTION,
    Digest,
    DigestArticle,
    DigestItem,
    Interests,
    NumberedItem,
    Rendered,
    Section,
    Texts,
)
from bot.domain.digest.render import DigestRenderer, render_digest, render_no_news
from bot.domain.digest.select import DEFAULT_LIMIT, Window, build_window, compose
from bot.domain.digest.shares import source_share

__all__ = [
    "DEFAULT_LIMIT",
    "KEYWORDS_SECTION",
    "TOPICS_SECTION",
    "Digest",
    "DigestArticle",
    "DigestItem",
    "DigestRenderer",
    "Interests",
    "NumberedItem",
    "Rendered",
    "Section",
    "Texts",
    "Window",
    "build_window",
    "compose",
    "format_date",
    "render_article_list",
    "render_digest",
    "render_no_news",
    "source_share",
]
