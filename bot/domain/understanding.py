"""Everything the product knows of one article: repaired text, language, tags, dedup signature."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.articles import CleanArticle, SeedEntry
from bot.domain.dedup import Signature, signature, text_for_dedup
from bot.domain.normalise import clean_entry
from bot.domain.tagging import Tagger, Tags
from bot.domain.taxonomy import Language


@dataclass(frozen=True, slots=True)
class UnderstoodArticle:
    """A seed entry after repair, tagging and signing; shared by ingest and evaluation."""

    entry: SeedEntry
    article: CleanArticle
    tags: Tags
    signature: Signature


def understand(
    entry: SeedEntry, *, site: str, tagger: Tagger, default_language: Language = "en"
) -> UnderstoodArticle:
    """Repair, tag and sign one entry."""
    article = clean_entry(entry, site=site, default_language=default_language)
    tags = tagger.tag(title=article.title, body=article.body, source_url=article.source_url)
    return UnderstoodArticle(
        entry=entry,
        article=article,
        tags=tags,
        signature=signature(text_for_dedup(article.title, article.body)),
    )
