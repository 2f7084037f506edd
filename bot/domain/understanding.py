"""Everything the product knows of one article: repaired text, language, tags, dedup signature."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.articles import CleanArticle, SeedEntry
from bot.domain.dedup import Signature, article_signature
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
    tags, sig = tag_and_sign(tagger, article)
    return UnderstoodArticle(entry=entry, article=article, tags=tags, signature=sig)


def tag_and_sign(tagger: Tagger, article: CleanArticle) -> tuple[Tags, Signature]:
    """Regions, topics and dedup signature of a repaired article, from one split of its text."""
    text = tagger.read(article.title, article.body)
    tags = tagger.tag(
        title=article.title, body=article.body, source_url=article.source_url, text=text
    )
    return tags, article_signature(text)
