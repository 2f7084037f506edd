"""Adding a site by its address: whether to look for its feeds, and looking for them.

Shared by `/addsource` and `newsdigest sources add`: an address given without a kind that does
not say what it is (`guess_kind` answers "listing" when it cannot tell) is searched for feeds
first; the caller then offers or adds what was found, or the page itself as a listing.
"""

from __future__ import annotations

from typing import Final

import httpx

from bot.ingest.discovery import Candidate, discover
from bot.ingest.parse_worker import ParsingPool
from bot.services import Services
from bot.usecases.sources import check_url, guess_kind

# A person waits for the answer: shorter than a poll's deadline when that is long.
DISCOVERY_SECONDS: Final = 30.0


def needs_discovery(url: str, kind: str | None) -> bool:
    """Whether `url` is a site to search for feeds rather than a source to add as it is."""
    return kind is None and guess_kind(url) == "listing"


async def find_feeds(
    services: Services,
    client: httpx.AsyncClient,
    pool: ParsingPool,
    url: str,
    *,
    local_files_allowed: bool,
) -> list[Candidate]:
    """The feeds of the site at `url`, best first. SourceInputError when `url` could not be
    added at all (not a web address, too long); SourceError when its page cannot be read."""
    check_url(
        url,
        "listing",
        local_files_allowed=local_files_allowed,
        seed_dir=services.settings.seed_dir,
    )
    seconds = min(DISCOVERY_SECONDS, services.settings.poll_deadline_seconds)
    return await discover(client, pool, url, deadline=seconds)
