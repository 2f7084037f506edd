"""What a worker process does with a source's bytes: parse, cap, repair, tag and sign.

Everything here is CPU work on untrusted input, so it runs in `ParsingPool` workers under a
time budget, never on the bot's event loop: a feed that makes a parser backtrack for minutes
costs one worker, which is killed and replaced, and the bot keeps answering chats.
The functions are module-level so they pickle by reference; the tagger is loaded once per
worker process.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final
from zoneinfo import ZoneInfo

from bot.domain.taxonomy import Language
from bot.ingest.errors import SourceError
from bot.ingest.feeds import parse_feed
from bot.ingest.gc_tuning import worker_tagger
from bot.ingest.govkz import read_news
from bot.ingest.items import FeedItem
from bot.ingest.prepare import Rejection, prepare_items, prepare_page
from bot.ingest.seed_source import parse_seed_source
from storage.queries.articles import ArticleInput

# Items of one feed document that are parsed at all: feedparser takes ~160 µs an item, so a
# runaway "feed" of 100,000 items would hold a worker for 16 s on every poll.
MAX_FEED_ITEMS: Final = 2_000
_ITEM_ENDS: Final = (b"</item>", b"</entry>")
_NEVER: Final = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PrepareContext:
    """Where the articles come from and when: what repair and tagging need besides the text."""

    site: str
    source_id: int | None
    now: datetime
    default_language: Language
    zone_name: str
    max_items: int


@dataclass(frozen=True, slots=True)
class Prepared:
    """Rows to store, what was rejected (by position, never by content), and how many items
    beyond the per-poll cap were left for later polls."""

    inputs: list[ArticleInput]
    rejections: list[Rejection]
    dropped: int = 0


def newest_first(items: Sequence[FeedItem], limit: int) -> tuple[list[FeedItem], int]:
    """At most `limit` items, the newest by date (undated ones after dated, in feed order),
    and how many were left out. A runaway feed of 100,000 items yields its newest few."""
    if len(items) <= limit:
        return list(items), 0
    order = sorted(
        range(len(items)),
        key=lambda i: (items[i].published is not None, items[i].published or _NEVER),
        reverse=True,
    )
    kept = sorted(order[:limit])  # back in feed order
    return [items[i] for i in kept], len(items) - limit


def first_items(body: bytes, limit: int) -> tuple[bytes, int]:
    """The document up to the end of its `limit`-th item, and how many items were cut off.

    Feeds list their newest items first, so what is kept is the newest; feedparser's lenient
    parser reads the unclosed rest (about 0.3 ms an item)."""
    for item_end in _ITEM_ENDS:
        total = body.count(item_end)
        if total > limit:
            end = -1
            for _ in range(limit):
                end = body.find(item_end, end + 1)
            return body[: end + len(item_end)], total - limit
    return body, 0


def prepare_feed(
    body: bytes, *, url: str, content_type: str | None, context: PrepareContext
) -> Prepared:
    """An RSS or Atom feed's newest items, ready to store."""
    body, cut = first_items(body, MAX_FEED_ITEMS)
    parsed = parse_feed(body, url=url, content_type=content_type)
    items, dropped = newest_first(parsed, context.max_items)
    prepared = prepare_feed_items(items, context)
    return Prepared(prepared.inputs, prepared.rejections, dropped + cut)


def prepare_govkz(
    body: bytes, *, slug: str, language: Language, context: PrepareContext
) -> Prepared:
    """One language's page of a gov.kz entity's news (bot.ingest.govkz), ready to store;
    SourceError("govkz.not_json" or "govkz.empty") when it holds no list of releases."""
    items, unreadable, cut = read_news(body, slug=slug, language=language)
    kept, dropped = newest_first(items, context.max_items)
    prepared = prepare_feed_items(kept, context)
    return Prepared(prepared.inputs, [*unreadable, *prepared.rejections], dropped + cut)


def prepare_article_page(
    body: bytes, *, url: str, content_type: str | None, context: PrepareContext
) -> Prepared:
    """One article page; SourceError("page.no_content") when it holds no article (an empty
    JavaScript shell, a login or bot wall)."""
    item = extract_page(
        body, url=url, content_type=content_type, now=context.now, zone_name=context.zone_name
    )
    if item is None:
        raise SourceError("page.no_content")
    return prepare_feed_items([item], context)


def extract_page(
    body: bytes, *, url: str, content_type: str | None, now: datetime, zone_name: str
) -> FeedItem | None:
    """A page's article, or None when it has none. The HTTP charset helps decode it; `now`
    and the zone read relative dates such as «сегодня, 14:05»."""
    from bot.ingest.pages import extract_article

    return extract_article(
        body, url=url, content_type=content_type, now=now, zone=ZoneInfo(zone_name)
    )


def find_listing_links(body: bytes, *, url: str, limit: int, content_type: str | None) -> list[str]:
    """The article links of a news listing page, in page order."""
    from bot.ingest.pages import listing_links

    return listing_links(body, url=url, limit=limit, content_type=content_type)


def prepare_feed_items(items: Iterable[FeedItem], context: PrepareContext) -> Prepared:
    """Feed items or extracted pages: repaired, tagged and signed together."""
    results = prepare_items(
        items,
        site=context.site,
        tagger=worker_tagger(),
        now=context.now,
        default_language=context.default_language,
        source_id=context.source_id,
    )
    return _split(results)


def prepare_seed(body: bytes, *, name: str, context: PrepareContext) -> Prepared:
    """A seed-format text (file or URL): its entries, ready to store."""
    page = parse_seed_source(body, name=name)
    results = prepare_page(
        page,
        tagger=worker_tagger(),
        zone=ZoneInfo(context.zone_name),
        now=context.now,
        default_language=context.default_language,
        source_id=context.source_id,
    )
    prepared = _split(results)
    kept = prepared.inputs[: context.max_items]
    return Prepared(kept, prepared.rejections, len(prepared.inputs) - len(kept))


def _split(results: Iterable[ArticleInput | Rejection]) -> Prepared:
    inputs: list[ArticleInput] = []
    rejections: list[Rejection] = []
    for result in results:
        if isinstance(result, Rejection):
            rejections.append(result)
        else:
            inputs.append(result)
    return Prepared(inputs, rejections)
