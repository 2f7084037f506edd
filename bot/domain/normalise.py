"""From a raw seed entry to a clean article: source split off, text repaired, summary made."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Final

from bot.domain.articles import CleanArticle, SeedEntry
from bot.domain.language import detect_language
from bot.domain.taxonomy import Language
from bot.domain.text_repair import (
    cut_on_word,
    is_broken_title,
    is_shouting,
    sentence_case,
    separate_glued_sentences,
    split_credits,
    split_sentences,
    summarise,
    title_from_body,
)
from bot.domain.urls import canonical_url, site_name

# "…last sentence.Source : https://…", also "…TazaQazBotSource : …" and "Источник: …".
_SOURCE: Final = re.compile(
    r"(?:Source|Источник|Дереккөз)\s*:\s*(?P<url>https?://\S+)\s*$", re.IGNORECASE
)
BODY_MAX: Final = 50_000


def split_source(body_line: str) -> tuple[str, str | None]:
    """The body without its trailing `Source : <url>`, and that URL (None when absent)."""
    match = _SOURCE.search(body_line)
    if match is None:
        return body_line.strip(), None
    return body_line[: match.start()].rstrip(), match["url"].rstrip(".,;)")


def content_hash(title: str, body: str) -> str:
    """Identity of an article's text, blind to case and white space."""
    normalised = " ".join(f"{title}\n{body}".lower().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def clean_entry(entry: SeedEntry, *, site: str, default_language: Language = "en") -> CleanArticle:
    """Repair one seed entry into the article we store and tag."""
    raw_body, url = split_source(entry.body_line)
    return clean_article(
        raw_title=entry.raw_title,
        raw_body=raw_body,
        url=url,
        published_on=entry.published_on,
        site=site,
        default_language=default_language,
    )


def clean_article(
    *,
    raw_title: str,
    raw_body: str,
    url: str | None,
    published_on: date | None,
    site: str,
    default_language: Language = "en",
) -> CleanArticle:
    """Repair an article from any source (seed file, feed item, web page)."""
    body = cut_on_word(separate_glued_sentences(raw_body), BODY_MAX)
    sentences = split_sentences(body)
    content, credits = split_credits(sentences)
    title = _repair_title(raw_title, body, content or sentences)
    canonical = canonical_url(url) if url else None
    return CleanArticle(
        title=title,
        body=body,
        summary=summarise(content),
        source_url=url if canonical else None,
        canonical_url=canonical,
        published_on=published_on,
        language=detect_language(f"{title}\n{body}", default=default_language),
        content_hash=content_hash(title, body),
        site_name=site_name(url) if canonical else site,
        credits=tuple(credits),
    )


def _repair_title(raw_title: str, body: str, sentences: list[str]) -> str:
    title = " ".join(raw_title.split())
    if is_broken_title(title):
        return title_from_body(sentences)
    if is_shouting(title):
        title = sentence_case(title, body)
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    return cut_on_word(title, 300)
