"""A composed digest as Telegram HTML messages (parse mode HTML, link previews off by the sender).

Each item: number, title linked to its source, a short summary line, the site (marked when
the story has a version from an official source) and the cluster's other sources. Every
message stays within Telegram's 4,096 UTF-16 units of visible text; a long digest splits
between items and each part is marked "1/2", "2/2".
"""

from __future__ import annotations

from datetime import date
from typing import Final

from bot.domain.digest.dates import format_date
from bot.domain.digest.model import (
    KEYWORDS_SECTION,
    TOPICS_SECTION,
    Digest,
    DigestArticle,
    DigestItem,
    Interests,
    NumberedItem,
    Rendered,
    Texts,
)
from bot.domain.digest.split import SEPARATOR, SEPARATOR_UNITS, Block, Group, pack
from bot.domain.digest.text import one_line, safe_href, shorten, site_label
from bot.domain.taxonomy import region_name, topic_name
from bot.domain.telegram_html import MAX_MESSAGE_UNITS, Html, escape, link, utf16_len, visible_len

SUMMARY_UNITS: Final = 160
TITLE_UNITS: Final = (300, 120, 40)
"""Title lengths tried in turn until an item fits a message on its own."""
SOURCES_SHOWN: Final = 3
LANGUAGE_MARKS: Final = {"kk": "қаз", "ru": "рус", "en": "eng"}
"""Each language named in itself, so a reader spots their own in any interface language; listed
in this order (the state language first)."""
SCOPE_UNITS: Final = 600
ScopeKey = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]
"""What the scope line shows: regions, topics, keywords, and whether only official sources."""


class DigestRenderer:
    """Renders digests for one language; remembers fragments (articles, headings, catalogue
    lines) across the many chats of a delivery run, which is what makes 100,000 chats cheap.
    Make one per run: its memory grows with the articles it has seen."""

    def __init__(self, texts: Texts, language: str) -> None:
        self._texts = texts
        self._language = language
        self._fragments: dict[tuple[int, int, bool], Block] = {}
        self._lines: dict[tuple[str, tuple[tuple[str, object], ...]], Block] = {}
        self._sources_cache: dict[tuple[int, ...], Block | None] = {}
        self._headings: dict[str, Block] = {}
        self._items: dict[tuple[int, tuple[int, ...], bool], tuple[Block, NumberedItem]] = {}
        self._dates: dict[date, Html] = {}
        self._scopes: dict[ScopeKey, Block] = {}

    def render(
        self,
        digest: Digest,
        day: date,
        *,
        alerted: frozenset[int] = frozenset(),
        max_units: int = MAX_MESSAGE_UNITS,
    ) -> Rendered:
        """Messages for the digest (none when it is empty) and the numbers of its items.

        Stories in `alerted` (cluster ids) reached this chat as urgent alerts: their items are
        one short marked line instead of the full item. It is the chat's own, never part of a
        composition that chats share."""
        if digest.is_empty:
            return Rendered((), ())
        header = self._line("digest.header", date=self._date(day))
        scope = self._scope(digest.interests)
        # Room for the widest "(n/n)" mark: there are at most one part per item plus one.
        widest = 10 ** len(str(sum(len(section.items) for section in digest.sections) + 1)) - 1
        marker = self._line("digest.part", part=widest, total=widest)
        head_units = header.units + 1 + marker.units + SEPARATOR_UNITS
        first_budget = max_units - head_units - (scope.units + 1 if scope.html else 0)
        next_budget = max_units - head_units
        item_budget = min(first_budget, next_budget) - SEPARATOR_UNITS - self._max_heading(digest)
        groups: list[Group] = []
        numbered: list[NumberedItem] = []
        for section in digest.sections:
            blocks = []
            for item in section.items:
                marked = item.article.cluster_id in alerted
                block, number = self._item(len(numbered) + 1, item, item_budget, marked=marked)
                blocks.append(block)
                numbered.append(number)
            heading = self._heading(section.key) if digest.show_headings else None
            groups.append(Group(heading, blocks))
        tail = None
        if digest.overflow:
            more = self._line("digest.more", count=digest.overflow)
            tail = Block(f"<i>{more.html}</i>", more.units)
        parts = pack(groups, tail, first_budget=first_budget, next_budget=next_budget)
        messages = []
        for index, blocks in enumerate(parts):
            top = header.html
            if len(parts) > 1:
                top = f"{top} {self._line('digest.part', part=index + 1, total=len(parts)).html}"
            if index == 0 and scope.html:
                top = f"{top}\n{scope.html}"
            messages.append(SEPARATOR.join([top, *(block.html for block in blocks)]))
        return Rendered(tuple(messages), tuple(numbered))

    def _line(self, key: str, /, **params: object) -> Block:
        """A catalogue message with its visible length, remembered."""
        memo = (key, tuple(sorted(params.items())))
        block = self._lines.get(memo)
        if block is None:
            html = self._texts(key, **params)
            block = self._lines[memo] = Block(html, visible_len(html))
        return block

    def _scope(self, interests: Interests) -> Block:
        """The line under the header: regions, topics and keywords the digest is about."""
        key = (interests.regions, interests.topics, interests.keywords, interests.official_only)
        cached = self._scopes.get(key)
        if cached is None:
            cached = self._scopes[key] = self._build_scope(interests)
        return cached

    def _build_scope(self, interests: Interests) -> Block:
        pieces: list[Block] = []
        if interests.regions:
            names = ", ".join(region_name(slug, self._language) for slug in interests.regions)
            pieces.append(Block(escape(names), utf16_len(names)))
        elif interests.topics:
            pieces.append(self._line("digest.all_regions"))
        if interests.topics:
            names = ", ".join(topic_name(slug, self._language) for slug in interests.topics)
            pieces.append(Block(escape(names), utf16_len(names)))
        if interests.keywords:
            phrases = shorten(one_line(", ".join(interests.keywords)), SCOPE_UNITS // 2)
            pieces.append(self._line("digest.keywords_scope", keywords=phrases))
        if interests.official_only:
            pieces.append(self._line("official.scope"))
        return Block(
            " · ".join(piece.html for piece in pieces),
            sum(piece.units for piece in pieces) + 3 * max(len(pieces) - 1, 0),
        )

    def _heading(self, key: str) -> Block:
        block = self._headings.get(key)
        if block is None:
            if key == KEYWORDS_SECTION:
                name = self._texts("digest.section.keywords")
            elif key == TOPICS_SECTION:
                name = self._texts("digest.section.topics")
            else:
                name = escape(region_name(key, self._language))
            block = self._headings[key] = Block(f"<b>{name}</b>", visible_len(name))
        return block

    def _max_heading(self, digest: Digest) -> int:
        if not digest.show_headings:
            return 0
        return max(self._heading(section.key).units for section in digest.sections)

    def _date(self, day: date) -> Html:
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = format_date(day, self._texts)
        return text

    def _item(
        self, number: int, item: DigestItem, budget: int, *, marked: bool
    ) -> tuple[Block, NumberedItem]:
        """One numbered item (remembered: the same story often has the same number)."""
        key = (number, item.ids, marked)
        block_of = self._alerted if marked else self._numbered
        cached = self._items.get(key)
        if cached is None:
            numbered = NumberedItem(number, item.article.id)
            cached = self._items[key] = (block_of(number, item, MAX_MESSAGE_UNITS), numbered)
        if cached[0].units > budget:
            return block_of(number, item, budget), cached[1]
        return cached

    def _alerted(self, number: int, item: DigestItem, budget: int) -> Block:
        """A story the chat already had as an alert: its linked title and the mark, no more."""
        prefix = f"<b>{number}.</b> "
        mark = self._line("alert.digest_mark")
        fixed = len(str(number)) + 2 + 3 + mark.units
        title = ""
        for title_units in TITLE_UNITS:
            title = shorten(one_line(item.article.title), title_units)
            if fixed + utf16_len(title) <= budget:
                break
        href = safe_href(item.article.source_url)
        shown = link(href, title) if href else escape(title)
        return Block(f"{prefix}{shown} · <i>{mark.html}</i>", fixed + utf16_len(title))

    def _numbered(self, number: int, item: DigestItem, budget: int) -> Block:
        """The item's text, its title shortened further if it would not fit a message alone."""
        prefix = f"<b>{number}.</b> "
        prefix_units = len(str(number)) + 2
        sources = self._sources(item.article, item.others)
        extra = 0 if sources is None else sources.units + 1
        for title_units in TITLE_UNITS:
            fragment = self._fragment(item.article, title_units, official=item.official)
            if prefix_units + fragment.units + extra <= budget:
                break
        html = prefix + fragment.html
        if sources is not None:
            html = f"{html}\n{sources.html}"
        return Block(html, prefix_units + fragment.units + extra)

    def _fragment(self, article: DigestArticle, title_units: int, *, official: bool) -> Block:
        """Title line, summary and site of an article (all but the number), cached per article;
        `official` adds the official-source mark to the site line."""
        key = (article.id, title_units, official)
        cached = self._fragments.get(key)
        if cached is not None:
            return cached
        title = shorten(one_line(article.title), title_units)
        summary = shorten(one_line(article.summary), SUMMARY_UNITS)
        if not title:
            title, summary = shorten(summary, title_units), ""
        href = safe_href(article.source_url)
        lines: list[tuple[str, int]] = []
        if title:
            html = link(href, title) if href else escape(title)
            lines.append((html, utf16_len(title)))
        else:
            untitled = self._texts("digest.untitled")
            lines.append((untitled, visible_len(untitled)))
        if summary and summary != title:
            lines.append((escape(summary), utf16_len(summary)))
        site = site_label(article.source_url)
        mark = self._line("official.mark") if official else None
        if site and mark:
            lines.append((f"<i>{escape(site)}</i> · {mark.html}", utf16_len(site) + 3 + mark.units))
        elif site:
            lines.append((f"<i>{escape(site)}</i>", utf16_len(site)))
        elif mark:
            lines.append((mark.html, mark.units))
        block = Block(
            "\n".join(html for html, _ in lines),
            sum(units for _, units in lines) + len(lines) - 1,
        )
        self._fragments[key] = block
        return block

    def _sources(self, main: DigestArticle, others: tuple[DigestArticle, ...]) -> Block | None:
        """'+2 sources: site1, site2 · 🌐 қаз, eng': the other sites and the story's other
        languages, each linked; None when there are neither.

        The main article's own site is not another source: its other language versions (a
        gov.kz release in kk and en beside the ru one shown) are the same publisher, and show
        as languages."""
        memo = (main.id, *(other.id for other in others))
        if memo in self._sources_cache:
            return self._sources_cache[memo]
        parts = [
            part
            for part in (self._other_sites(main, others), self._other_languages(main, others))
            if part is not None
        ]
        block = None
        if parts:  # " · " between parts counts 3 units
            html = " · ".join(part.html for part in parts)
            block = Block(html, sum(p.units for p in parts) + 3 * (len(parts) - 1))
        self._sources_cache[memo] = block
        return block

    def _other_languages(
        self, main: DigestArticle, others: tuple[DigestArticle, ...]
    ) -> Block | None:
        """'🌐 қаз, eng': the languages the story is also told in, each named in itself and
        linked to its first version with a link; None when every version is in one language."""
        hrefs: dict[str, str | None] = {}
        for other in others:
            if other.language != main.language and LANGUAGE_MARKS.get(other.language):
                hrefs[other.language] = hrefs.get(other.language) or safe_href(other.source_url)
        if not hrefs:
            return None
        shown = [(LANGUAGE_MARKS[lang], hrefs[lang]) for lang in LANGUAGE_MARKS if lang in hrefs]
        listed = ", ".join(link(href, mark) if href else escape(mark) for mark, href in shown)
        units = sum(utf16_len(mark) for mark, _ in shown) + 2 * (len(shown) - 1)
        frame = self._line("digest.languages", languages=Html(""))
        html = self._texts("digest.languages", languages=Html(listed))
        return Block(html, frame.units + units)

    def _other_sites(self, main: DigestArticle, others: tuple[DigestArticle, ...]) -> Block | None:
        """'+2 sources: site1, site2', each site linked; None when no other site has a link."""
        links: dict[str, str] = {}
        own_site = site_label(main.source_url)
        for other in others:
            href = safe_href(other.source_url)
            site = site_label(other.source_url)
            if href and site and site != own_site and site not in links:
                links[site] = href
        block = None
        if links:
            shown = list(links.items())[:SOURCES_SHOWN]
            listed = ", ".join(link(href, site) for site, href in shown)
            units = sum(utf16_len(site) for site, _ in shown) + 2 * (len(shown) - 1)
            if len(links) > SOURCES_SHOWN:
                listed, units = listed + ", …", units + 3
            frame = self._line("digest.sources", count=len(links), links=Html(""))
            html = self._texts("digest.sources", count=len(links), links=Html(listed))
            block = Block(html, frame.units + units)
        return block


def render_digest(
    digest: Digest,
    texts: Texts,
    *,
    day: date,
    alerted: frozenset[int] = frozenset(),
    max_units: int = MAX_MESSAGE_UNITS,
) -> Rendered:
    """Render one digest; when rendering many, reuse one `DigestRenderer` per language."""
    return DigestRenderer(texts, digest.language).render(
        digest, day, alerted=alerted, max_units=max_units
    )


def render_no_news(texts: Texts, *, day: date) -> Html:
    """The optional "no news today" note."""
    return Html(texts("digest.no_news", date=format_date(day, texts)))
