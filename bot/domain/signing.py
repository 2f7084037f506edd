"""Tags, dedup signature and story facts of repaired articles, from one reading of their text.

The story facts need the words the tagger read (for the gazetteer's places), its regions, and
the day each article was published, so all three are made here, batch by batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain.articles import CleanArticle
from bot.domain.dedup import Signature, article_signature
from bot.domain.story_facts import StoryFacts, extract_facts
from bot.domain.tagging import Tagger, Tags


@dataclass(frozen=True, slots=True)
class Signed:
    """An article's tags, its text signature and its story facts."""

    tags: Tags
    signature: Signature
    facts: StoryFacts


def sign_many(
    tagger: Tagger, articles: Sequence[CleanArticle], published: Sequence[date]
) -> list[Signed]:
    """`Signed` of each article (`published`: the day each was published), read in bulk; each
    batch goes through one step at a time, which keeps each step's tables in the caches."""
    signed: list[Signed] = []
    pairs = ((article.title, article.body) for article in articles)
    for texts in tagger.read_batches(pairs):
        done = len(signed)
        tags = tagger.tag_batch(articles[done : done + len(texts)], texts)
        signatures = [article_signature(text) for text in texts]
        facts = [
            extract_facts(
                text, gazetteer=tagger.gazetteer, regions=tag.regions.labels, published=day
            )
            for text, tag, day in zip(texts, tags, published[done : done + len(texts)], strict=True)
        ]
        signed += map(Signed, tags, signatures, facts)
    return signed
