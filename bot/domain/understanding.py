"""Everything the product knows of one article: repaired text, language, tags, dedup signature."""

from __future__ import annotations

from collections.abc import Sequence
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
    return tag_and_sign_many(tagger, [article])[0]


def tag_and_sign_many(
    tagger: Tagger, articles: Sequence[CleanArticle]
) -> list[tuple[Tags, Signature]]:
    """`tag_and_sign` of many articles: their texts are read in bulk, and each batch goes
    through one step at a time (regions, topics, signatures), which keeps each step's tables
    in the processor's caches."""
    signed: list[tuple[Tags, Signature]] = []
    pairs = ((article.title, article.body) for article in articles)
    for texts in tagger.read_batches(pairs):
        tags = tagger.tag_batch(articles[len(signed) : len(signed) + len(texts)], texts)
        signed += zip(tags, [article_signature(text) for text in texts], strict=True)
    return signed
