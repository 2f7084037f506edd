"""From a parsed seed page to rows ready to store: repaired, tagged, signed for dedup."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.domain import story_record
from bot.domain.alerts import UrgentNotice
from bot.domain.articles import CleanArticle, SeedPage, SeedProblem
from bot.domain.cluster_index import index_keys
from bot.domain.normalise import clean_article, clean_entry, content_hash
from bot.domain.safe_text import safe_text, safe_title
from bot.domain.signing import Signed, sign_many
from bot.domain.tagging import Tagger
from bot.domain.taxonomy import Language
from bot.domain.text_repair import split_sentences, title_from_body
from bot.ingest.items import FeedItem
from storage.queries.articles import ArticleInput


@dataclass(frozen=True, slots=True)
class Rejection:
    """An article or line that was not stored, with where it was and why (a message key)."""

    where: str
    reason: str
    detail: str = ""

    def describe(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.where}: {self.reason}{detail}"


def start_of_local_day(day: date, zone: ZoneInfo) -> datetime:
    """A date-only article counts as published when its day begins where it was written."""
    return datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC)


def prepare_page(
    page: SeedPage,
    *,
    tagger: Tagger,
    zone: ZoneInfo,
    now: datetime,
    default_language: Language,
    source_id: int | None = None,
) -> Iterator[ArticleInput | Rejection]:
    """Repair, tag and sign every entry of a page; problems become rejections naming the line.

    Every entry is repaired first, so the texts are then tagged together (read in bulk)."""
    for problem in page.problems:
        yield _rejection(problem)
    articles = [
        clean_entry(entry, site=page.site_name, default_language=default_language)
        for entry in page.entries
    ]
    days = [article.published_on or now.date() for article in articles]
    for entry, article, signed in zip(
        page.entries, articles, _sign_kept(tagger, articles, days), strict=True
    ):
        if signed is None:
            yield Rejection(f"{entry.file_name}:{entry.line_no}", "ingest.empty_article")
            continue
        published = start_of_local_day(article.published_on, zone) if article.published_on else now
        yield to_input(
            article,
            signed,
            raw_title=entry.raw_title,
            published_at=min(published, now),
            precision="day" if article.published_on else "instant",
            source_id=source_id,
            urgent=tagger.urgent(title=article.title, body=article.body, published=published),
        )


def prepare_items(
    items: Iterable[FeedItem],
    *,
    site: str,
    tagger: Tagger,
    now: datetime,
    default_language: Language,
    source_id: int | None = None,
) -> Iterator[ArticleInput | Rejection]:
    """Feed items and web pages: repaired, tagged and signed like seed entries (in the
    language an item states, see `_stated_language`, and keeping its story key)."""
    items = list(items)
    articles = [
        _stated_language(
            clean_article(
                raw_title=item.title,
                raw_body=item.body,
                url=item.url,
                published_on=None,
                site=site,
                default_language=default_language,
            ),
            item.language,
        )
        for item in items
    ]
    published = [min(item.published, now) if item.published else now for item in items]
    days = [moment.date() for moment in published]
    for item, article, moment, signed in zip(
        items, articles, published, _sign_kept(tagger, articles, days), strict=True
    ):
        if signed is None:
            yield Rejection(item.url or site, "ingest.empty_article")
            continue
        yield to_input(
            article,
            signed,
            raw_title=item.title,
            published_at=moment,
            precision="instant",
            source_id=source_id,
            story_key=item.story_key,
            urgent=tagger.urgent(title=article.title, body=article.body, published=moment),
        )


def _stated_language(article: CleanArticle, stated: Language | None) -> CleanArticle:
    """The article in the language its source stated, unless the text is plainly in another
    script: a Cyrillic text stated English, or a Latin one stated Russian, keeps the detected
    language. Kazakh is written in both scripts, and between Russian and Kazakh detection is
    a vote on a few words (a Kazakh release quotes Russian names) that the publisher's own
    label outranks."""
    if stated is None or stated == article.language:
        return article
    if stated != "kk" and (stated == "en") != (article.language == "en"):
        return article
    return replace(article, language=stated)


def _sign_kept(
    tagger: Tagger, articles: list[CleanArticle], days: list[date]
) -> list[Signed | None]:
    """Tags, signature and story facts of each repaired article, read together (`days`: the
    day each was published); None for one left without a title or a body (not stored, so not
    tagged)."""
    kept = [k for k, article in enumerate(articles) if article.title and article.body]
    found: list[Signed | None] = [None] * len(articles)
    for k, signed in zip(
        kept, sign_many(tagger, [articles[k] for k in kept], [days[k] for k in kept]), strict=True
    ):
        found[k] = signed
    return found


def to_input(
    article: CleanArticle,
    signed: Signed,
    *,
    raw_title: str,
    published_at: datetime,
    precision: str,
    source_id: int | None,
    story_key: str | None = None,
    urgent: UrgentNotice | None = None,
) -> ArticleInput:
    """The row to store for a repaired, tagged and signed article (its signature BLOB holds
    the story facts too, and its index keys the fact keys: bot.domain.story_record).

    Every stored article passes here (feeds, pages, seed files), so here its texts are made
    safe: titles one line of at most TITLE_MAX_CHARS, no control or direction-override
    characters anywhere (bot.domain.safe_text). A title that was nothing but such characters
    is made from the body, as a broken title is. `urgent`: its alert, when it is one.
    """
    body = safe_text(article.body)
    title = safe_title(article.title) or safe_title(title_from_body(split_sentences(body)))
    unchanged = title == article.title and body == article.body
    return ArticleInput(
        title=title,
        raw_title=safe_title(raw_title),
        body=body,
        summary=safe_text(article.summary),
        source_url=article.source_url,
        canonical_url=article.canonical_url,
        site_name=article.site_name,
        language=article.language,
        content_hash=article.content_hash if unchanged else content_hash(title, body),
        published_at=published_at,
        published_precision=precision,
        regions=signed.tags.regions.labels,
        topics=signed.tags.topics.labels,
        signature=story_record.encode(signed.signature, signed.facts),
        band_keys=tuple(index_keys(signed.signature, signed.facts)),
        source_id=source_id,
        story_key=story_key,
        alert_category=urgent.category if urgent else None,
        alert_starts_at=urgent.starts_at if urgent else None,
        alert_ends_at=urgent.ends_at if urgent else None,
    )


def _rejection(problem: SeedProblem) -> Rejection:
    return Rejection(f"{problem.file_name}:{problem.line_no}", problem.reason, problem.detail)
