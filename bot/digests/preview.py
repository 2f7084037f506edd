"""One digest for one set of interests, composed and rendered: used by the CLI and the bot."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.digests.window import WindowBounds, keyword_hits, load_window
from bot.domain.digest import (
    Digest,
    Interests,
    Rendered,
    Window,
    build_window,
    compose,
    render_digest,
)
from bot.i18n import Translator


class CompositionCache:
    """Windows, keyword hits and digests shared by the chats of one delivery run.

    Chats delivered together mostly share a window (the same watermark) and often their
    interests, so each window is read once and each (interests, language) composed once.
    """

    def __init__(self) -> None:
        self._windows: dict[WindowBounds, Window] = {}
        self._hits: dict[tuple[str, WindowBounds], frozenset[int]] = {}
        self._digests: dict[tuple[Interests, str, WindowBounds, int, frozenset[int]], Digest] = {}
        # By the piece's identity: the piece is kept with its rendering, so no other object
        # can take its id while the cache lives.
        self._rendered: dict[tuple[int, date, frozenset[int]], tuple[Digest, Rendered]] = {}

    async def compose(
        self,
        session: AsyncSession,
        *,
        interests: Interests,
        language: str,
        bounds: WindowBounds,
        item_cap: int,
        folded: frozenset[int] = frozenset(),
    ) -> Digest:
        """`folded`: the chat's unsent alerts, shown whatever its topics (`compose`)."""
        key = (interests, language, bounds, item_cap, folded)
        digest = self._digests.get(key)
        if digest is None:
            window = self._windows.get(bounds)
            if window is None:
                window = self._windows[bounds] = build_window(await load_window(session, bounds))
            phrases = (*interests.keywords, *interests.excludes)
            await self.find_phrases(session, phrases, bounds)
            hits = {phrase: self._hits[(phrase, bounds)] for phrase in phrases}
            digest = self._digests[key] = compose(
                window, interests, language, hits, limit=item_cap, folded=folded
            )
        return digest

    async def find_phrases(
        self, session: AsyncSession, phrases: Iterable[str], bounds: WindowBounds
    ) -> None:
        """Search the window for the phrases not searched yet, all in one search: chats made
        ready together ask this with every phrase of theirs before any is composed."""
        missing = {phrase for phrase in phrases if (phrase, bounds) not in self._hits}
        if missing:
            found = await keyword_hits(session, phrases=missing, bounds=bounds)
            self._hits.update({(phrase, bounds): ids for phrase, ids in found.items()})

    def render(
        self,
        digest: Digest,
        *,
        translator: Translator,
        day: date,
        alerted: frozenset[int] = frozenset(),
    ) -> Rendered:
        """`render`, once per digest piece, day and alerted stories: chats that share a
        composition and a local day share its messages."""
        key = (id(digest), day, alerted)
        found = self._rendered.get(key)
        if found is None:
            found = self._rendered[key] = (
                digest,
                render(digest, translator=translator, day=day, alerted=alerted),
            )
        return found[1]


async def compose_digest(
    session: AsyncSession,
    *,
    interests: Interests,
    language: str,
    bounds: WindowBounds,
    item_cap: int,
    cache: CompositionCache | None = None,
    folded: frozenset[int] = frozenset(),
) -> Digest:
    """Select the stories of a window for these interests (keyword hits come from the index)."""
    return await (cache or CompositionCache()).compose(
        session,
        interests=interests,
        language=language,
        bounds=bounds,
        item_cap=item_cap,
        folded=folded,
    )


def render(
    digest: Digest, *, translator: Translator, day: date, alerted: frozenset[int] = frozenset()
) -> Rendered:
    """Telegram HTML messages of a digest in its language, dated with the reader's local day;
    the stories in `alerted` (this chat's alerts) are marked and short."""
    return render_digest(digest, translator.bind(digest.language), day=day, alerted=alerted)
