"""Finding a site's feeds from its address, the way Miniflux and RSS-to-Telegram-Bot do.

The address itself may be a feed; otherwise its page may declare feeds with
`<link rel="alternate">`; otherwise one of the usual paths (`/feed/`, `/rss`, ...) may answer
with one. A candidate counts only if its bytes parse as a feed with a title or an item.
Bounded: at most MAX_REQUESTS requests, through the guarded client, under one deadline;
parsing runs in the parsing workers. Only the site's own addresses are tried.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final
from urllib.parse import urljoin

import httpx

from bot.ingest import discovery_parsing
from bot.ingest.discovery_parsing import PageFindings, same_site
from bot.ingest.errors import SourceError
from bot.ingest.parse_worker import ParsingPool
from bot.ingest.source_reader import Deadline, fetch_or_fail

logger = logging.getLogger(__name__)

# Where sites usually keep their feed, tried in this order when the page declares none.
COMMON_PATHS: Final = ("/feed/", "/rss", "/rss.xml", "/feed.xml", "/atom.xml")
# The page included: one page, a few declared feeds, then the usual paths.
MAX_REQUESTS: Final = 8
# Declared feeds tried: the first ones are the site's main feeds, the rest comments and tags.
MAX_DECLARED: Final = 4
# One slow address must not use up the whole deadline.
REQUEST_TIMEOUT: Final = 15.0
# Parsing a candidate (a 10 MB feed parses in about a second).
PARSE_BUDGET: Final = 10.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """A feed found for a site: its address (after redirects), title and item count."""

    url: str
    title: str
    items: int


async def discover(
    client: httpx.AsyncClient,
    pool: ParsingPool,
    site_url: str,
    *,
    deadline: float,
) -> list[Candidate]:
    """The feeds of `site_url`, best first; [] when it has none that can be found.

    SourceError (with the fetch's reason, or "poll.deadline") when the address itself cannot
    be read, so the caller can say why; a candidate that fails is skipped, and when the
    deadline passes while candidates are tried, those found so far are returned.
    """
    budget = Deadline(deadline)
    page = await fetch_or_fail(client, site_url, budget, cap=REQUEST_TIMEOUT)
    findings: PageFindings = await pool.run(
        discovery_parsing.inspect_page,
        page.body,
        url=page.final_url,
        content_type=page.content_type,
        budget=budget.left(PARSE_BUDGET),
    )
    if findings.feed is not None:
        return [Candidate(page.final_url, findings.feed.title, findings.feed.items)]
    search = _Search(client, pool, budget, page.final_url)
    try:
        return await search.run(findings.links)
    except SourceError as error:
        if error.reason != "poll.deadline":
            raise
        logger.info("feed discovery ran out of time url=%s found=%s", site_url, len(search.found))
        return search.found


class _Search:
    """Candidates of one site, tried one by one within the request budget."""

    def __init__(
        self, client: httpx.AsyncClient, pool: ParsingPool, budget: Deadline, page_url: str
    ) -> None:
        self.client = client
        self.pool = pool
        self.budget = budget
        self.page_url = page_url
        self.requests = 1  # the page
        self.tried = {page_url}
        self.found: list[Candidate] = []

    async def run(self, declared: tuple[str, ...]) -> list[Candidate]:
        """Every working declared feed; else the first usual path that is a feed."""
        own = [link for link in declared if same_site(link, self.page_url)]
        for link in own[:MAX_DECLARED]:
            await self._try(link)
        if self.found:
            return self.found
        for path in COMMON_PATHS:
            if await self._try(urljoin(self.page_url, path)):
                break
        return self.found

    async def _try(self, url: str) -> bool:
        """Fetch and parse one candidate; whether it was a feed not found before."""
        if url in self.tried or self.requests >= MAX_REQUESTS:
            return False
        self.tried.add(url)
        self.requests += 1
        try:
            result = await fetch_or_fail(self.client, url, self.budget, cap=REQUEST_TIMEOUT)
            if not same_site(result.final_url, self.page_url):
                return False  # redirected to another site
            summary = await self.pool.run(
                discovery_parsing.summarise_feed,
                result.body,
                url=result.final_url,
                content_type=result.content_type,
                budget=self.budget.left(PARSE_BUDGET),
            )
        except SourceError as error:
            if error.reason == "poll.deadline":
                raise
            logger.debug("feed candidate skipped url=%s reason=%s", url, error.reason)
            return False
        if summary is None or any(c.url == result.final_url for c in self.found):
            return False
        self.found.append(Candidate(result.final_url, summary.title, summary.items))
        return True
