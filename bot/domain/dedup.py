"""Near-duplicate detection: MinHash over word stems, LSH keys for candidates.

The same story from two sources must meet whether it was reworded or cut short; different
stories that share a press-service credit, a region or a topic must not. Rewording keeps the
facts (names, places, figures) and changes the phrasing, so shingles are single content words cut
to a stem, not word n-grams; a shortened copy keeps most of its words inside the longer text, so
the decision rests on containment (shared stems / stems of the shorter text) estimated from the
sketches. Band keys go into an index (in memory here, a (band_key, article_id) table in the
database), so candidates come from equal keys and never from a pairwise scan;
`is_near_duplicate` then decides from the two signatures alone.

Story facts (bot/domain/story_facts.py) add what words cannot: a veto on text matches whose
regions, towns or key figures differ, and matches across languages through fact keys indexed
beside the band keys (bot/domain/story_keys.py, bot/domain/story_match.py). The pair decision
on texts is bot/domain/text_match.py, the index bot/domain/cluster_index.py; this module signs
texts and gathers the names other modules use.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from bot.domain.cluster_index import CROWDED, ClusterIndex, index_keys
from bot.domain.minhash import U32, Signature, band_keys, distinct, sketch
from bot.domain.shingles import content_shingles
from bot.domain.text_match import is_near_duplicate, similarity
from bot.domain.tokens import normal_words

if TYPE_CHECKING:
    from bot.domain.reading import ArticleWords

__all__ = [
    "CROWDED",
    "ClusterIndex",
    "Signature",
    "article_signature",
    "band_keys",
    "index_keys",
    "is_near_duplicate",
    "signature",
    "similarity",
    "text_for_dedup",
]

# Credit lines, links and handles close a press release and are shared by unrelated stories of
# one publisher. They are cut from the end of the body only: scanning the whole text with these
# patterns would cost more than the rest of the signature. Each pattern runs only when a cheap
# substring test says it may match.
_TAIL_CHARS: Final = 400
_LINKS: Final = re.compile(r"https?://\S+|www\.\S+|@\w+")
_SOURCE: Final = re.compile(r"(?:source|источник|дереккөз)\s*:", re.IGNORECASE)
_PRESS: Final = re.compile(r"(?:press[- ]service|пресс-служб)[^.!?\n]{0,80}", re.IGNORECASE)
# Kazakh names the press service last ("Облыс әкімінің баспасөз қызметі"); a pattern that looks
# back from every position is slow, so it runs only when the phrase is there.
_KK_CREDIT: Final = re.compile(r"[^.!?\n]{0,60}баспасөз қызмет\w*", re.IGNORECASE)


def _cut_credits(tail: str) -> str:
    if "http" in tail or "www." in tail or "@" in tail:
        tail = _LINKS.sub(" ", tail)
    folded = tail.casefold()
    if "source" in folded or "источник" in folded or "дереккөз" in folded:
        tail = _SOURCE.sub(" ", tail)
    if "press" in folded or "пресс" in folded:
        tail = _PRESS.sub(" ", tail)
    if "аспасөз" in tail or "АСПАСӨЗ" in tail:
        tail = _KK_CREDIT.sub(" ", tail)
    return tail


def text_for_dedup(title: str, body: str) -> str:
    """Title and body with the closing credit lines and links removed."""
    head, tail = body[:-_TAIL_CHARS], body[-_TAIL_CHARS:]
    return f"{title}\n{head}{_cut_credits(tail)}"


def signature(text: str) -> Signature:
    """The signature of a text (use `text_for_dedup` to build one from a title and body)."""
    return _sign(content_shingles(normal_words(text)))


def article_signature(text: ArticleWords) -> Signature:
    """`signature(text_for_dedup(title, body))`, from the shingles already read when no credit
    line or link had to be cut."""
    tail = text.body[-_TAIL_CHARS:]
    if _cut_credits(tail) != tail:
        return signature(text_for_dedup(text.title, text.body))
    return _sign(text.shingles)


def _sign(shingles: U32) -> Signature:
    # `distinct` sorts: `np.unique` costs several times as much on a few hundred values.
    return Signature(sketch=sketch(shingles), size=distinct(shingles))
