"""A generated corpus for the tagging benchmark: seeded, in en/ru/kk, 150-400 words per article.

Words come from three sources, so the taggers' caches meet a realistic vocabulary: the words of
the labelled dev corpora (real press-release language, in their natural frequencies), the place
names of seeds/regions.toml and the entries of seeds/topics.toml, and a long Zipf tail of
made-up words and figures (names, rare words: most of a real corpus's distinct words), tuned so
that unrelated articles of one language share about 4% of their stems, as the dev corpora do.
About one article in twenty is a reworded (10-40% of words swapped) and perhaps shortened copy
of a recent one, as two sites retell a story.
"""

from __future__ import annotations

import itertools
import random
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.domain.articles import SeedEntry
from bot.domain.taxonomy import TOPIC_SLUGS

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("ru", "kk", "en")
LANGUAGE_WEIGHTS = (50, 30, 20)
MIN_WORDS, MAX_WORDS = 150, 400
COPY_SHARE = 0.05
RARE_WORDS = 60_000
RARE_SHARE = 0.45
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_KK_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
# Consonants and vowels of made-up words, per language.
_LETTERS = {
    "en": ("bdfgklmnprstvz", "aeiou"),
    "ru": ("бвгджзклмнпрстфхцчш", "аеиоуыя"),
    "kk": ("бгджзйклмнпрстшқғң", "аеоұүөәыі"),
}
_ENDINGS = {
    "en": ("", "", "s", "ing", "ed"),
    "ru": ("", "а", "ой", "ы", "ов", "ение", "ами", "е"),
    "kk": ("", "ы", "лар", "ға", "да", "ның", "тың"),
}
_PLACE_ENDINGS = {"en": ("",), "ru": ("", "", "е", "а", "ом"), "kk": ("", "", "да", "ның", "ға")}
_SITES = ("https://steppedaily.kz/news/", "https://inform.kz/ru/", "https://kaz.kz/aimaq/")


@dataclass(frozen=True, slots=True)
class Article:
    """One generated article: a seed entry, and the story it tells (copies share it)."""

    entry: SeedEntry
    site: str
    story: int


@dataclass(frozen=True, slots=True)
class _Lang:
    common: tuple[str, ...]
    rare: tuple[str, ...]
    rare_weights: tuple[float, ...]
    places: tuple[tuple[str, tuple[str, ...]], ...]  # (region, names written in this script)
    topics: tuple[tuple[str, ...], ...]  # entries per topic


class Corpus:
    """Articles from a seeded generator; the same seed gives the same articles."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._langs = _vocabularies(self._rng)
        self._entities = _entities()
        self._recent: list[tuple[int, str, str, str]] = []  # (story, language, title, body)
        self._count = 0

    def articles(self, count: int) -> Iterator[Article]:
        """The next `count` articles."""
        for _ in range(count):
            self._count += 1
            if self._recent and self._rng.random() < COPY_SHARE:
                yield self._copy()
            else:
                yield self._original()

    def _original(self) -> Article:
        rng = self._rng
        language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        vocab = self._langs[language]
        regions = rng.sample(vocab.places, rng.choice((0, 1, 1, 1, 2)))
        topics = rng.sample(vocab.topics, rng.choice((1, 1, 2, 3)))
        special = [_place(rng, names, language) for _, names in regions for _ in range(3)]
        special += [_term(rng, entries, language) for entries in topics for _ in range(4)]
        words = self._filler(vocab, language, rng.randint(MIN_WORDS, MAX_WORDS) - len(special))
        for word in special:
            words.insert(rng.randrange(len(words) + 1), word)
        title = " ".join([special[0], *self._filler(vocab, language, rng.randint(5, 11))])
        body = _sentences(rng, words)
        story = self._count - 1  # the 0-based index of this article
        self._recent = [*self._recent[-199:], (story, language, title, body)]
        region = regions[0][0] if regions and rng.random() < 0.4 else None
        return self._article(title, body, story, region)

    def _copy(self) -> Article:
        """A retelling: 10-40% of the words swapped, cut to 40-100%, the title shuffled."""
        rng = self._rng
        story, language, title, body = rng.choice(self._recent)
        vocab = self._langs[language]
        words = body.split()
        words = words[: max(60, int(len(words) * rng.uniform(0.4, 1.0)))]
        for i in rng.sample(range(len(words)), int(len(words) * rng.uniform(0.1, 0.4))):
            words[i] = self._filler(vocab, language, 1)[0]
        title_words = title.split()
        rng.shuffle(title_words)
        return self._article(" ".join(title_words).capitalize(), " ".join(words), story, None)

    def _filler(self, vocab: _Lang, language: str, count: int) -> list[str]:
        rng = self._rng
        out = rng.choices(vocab.common, k=count)
        for i in range(count):
            roll = rng.random()
            if roll < RARE_SHARE:
                out[i] = rng.choices(vocab.rare, cum_weights=vocab.rare_weights)[0]
            elif roll < RARE_SHARE + 0.04:
                out[i] = str(rng.choice((rng.randint(1, 99), rng.randint(100, 99_999))))
        return out

    def _article(self, title: str, body: str, story: int, region: str | None) -> Article:
        rng = self._rng
        if region is not None:
            url = f"https://www.gov.kz/memleket/entities/{self._entities[region]}/press/news/"
        else:
            url = rng.choice(_SITES)
        url += f"details/{rng.randint(100_000, 999_999)}"
        title = title[:1].upper() + title[1:]
        entry = SeedEntry(
            file_name="generated.txt",
            index=self._count,
            line_no=2 * self._count + 3,
            title_line=f"{title} 13.01.2025",
            raw_title=title,
            published_on=date(2025, 1, 13),
            body_line=f"{body}Source : {url}",
        )
        return Article(entry=entry, site="Generated", story=story)


def _sentences(rng: random.Random, words: list[str]) -> str:
    """Sentences of 6-22 words; some glued to the next without a space, as in the seed."""
    out: list[str] = []
    i = 0
    while i < len(words):
        size = rng.randint(6, 22)
        chunk = words[i : i + size]
        i += size
        if len(chunk) > 4 and rng.random() < 0.3:
            chunk[2] += ","
        sentence = " ".join(chunk)
        out.append(sentence[:1].upper() + sentence[1:] + ".")
        if i < len(words):
            out.append("" if rng.random() < 0.3 else " ")
    return "".join(out)


def _place(rng: random.Random, names: tuple[str, ...], language: str) -> str:
    return rng.choice(names) + rng.choice(_PLACE_ENDINGS[language])


def _term(rng: random.Random, entries: tuple[str, ...], language: str) -> str:
    entry = rng.choice(entries)
    return " ".join(
        part[:-1] + rng.choice(_ENDINGS[language]) if part.endswith("*") else part
        for part in entry.split()
    )


def _script(text: str) -> str:
    if not any("\u0400" <= char <= "\u04ff" for char in text):
        return "en"
    return "kk" if _KK_LETTERS.intersection(text) else "ru"


def _vocabularies(rng: random.Random) -> dict[str, _Lang]:
    common: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for path in sorted((ROOT / "tests" / "data").glob("*.txt")):
        named = [part for part in path.stem.split("-") if part in LANGUAGES]
        language = named[0] if path.name.startswith("dev-") and named else "en"
        lines = path.read_text(encoding="utf-8").splitlines()[4:]
        for line in lines:
            common[language] += _WORD.findall(line.split("Source :")[0])
    regions = tomllib.loads((ROOT / "seeds" / "regions.toml").read_text(encoding="utf-8"))
    places: dict[str, list[tuple[str, tuple[str, ...]]]] = {language: [] for language in LANGUAGES}
    for slug, table in regions["regions"].items():
        names = table.get("names", []) + table.get("places", [])
        for language in LANGUAGES:
            written = tuple(name for name in names if _script(name) in (language, "ru"))
            if language == "en":
                written = tuple(name for name in names if _script(name) == "en")
            places[language].append((slug, written))
    lexicon = tomllib.loads((ROOT / "seeds" / "topics.toml").read_text(encoding="utf-8"))
    topics: dict[str, list[tuple[str, ...]]] = {language: [] for language in LANGUAGES}
    for topic, table in lexicon.items():
        if topic not in TOPIC_SLUGS:  # [scoring], [ignore], [[rules]]
            continue
        for language in LANGUAGES:
            tiers = table.get(language, {})
            entries = tiers.get("strong", []) + tiers.get("weak", [])
            # "school* @facility": the entry, without the cues it marks for the labelling rules
            topics[language].append(tuple(entry.split(" @")[0] for entry in entries))
    out = {}
    for language in LANGUAGES:
        consonants, vowels = _LETTERS[language]
        rare = tuple(
            "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
            + rng.choice(_ENDINGS[language])
            for _ in range(RARE_WORDS)
        )
        # Zipf-like, with a flattened head: the head of real text is the common words above.
        weights = tuple(itertools.accumulate(1.0 / (rank + 100) for rank in range(RARE_WORDS)))
        out[language] = _Lang(
            common=tuple(common[language]),
            rare=rare,
            rare_weights=weights,
            places=tuple(places[language]),
            topics=tuple(topics[language]),
        )
    return out


def _entities() -> dict[str, str]:
    regions = tomllib.loads((ROOT / "seeds" / "regions.toml").read_text(encoding="utf-8"))
    return {slug: table["entities"][0] for slug, table in regions["regions"].items()}
