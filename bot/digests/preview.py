"""One digest for one set of interests, composed and rendered: used by the CLI and the bot."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.digests.window import WindowBounds, keyword_hits, load_window
from bot.domain.digest import Digest, Interests, Rendered, build_window, compose, render_digest
from bot.i18n import Translator


async def compose_digest(
    session: AsyncSession,
    *,
    interests: Interests,
    language: str,
    bounds: WindowBounds,
    item_cap: int,
) -> Digest:
    """Select the stories of a window for these interests (keyword hits come from the index)."""
    articles = await load_window(session, bounds)
    hits = await keyword_hits(
        session, phrases=(*interests.keywords, *interests.excludes), bounds=bounds
    )
    return compose(build_window(articles), interests, language, hits, limit=item_cap)


def render(digest: Digest, *, translator: Translator, day: date) -> Rendered:
    """Telegram HTML messages of a digest in its language, dated with the reader's local day."""
    return render_digest(digest, translator.bind(digest.language), day=day)
