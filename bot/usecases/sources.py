"""Managing sources: the defaults, adding, removing, listing; shared by Telegram and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.source_pack import PackEntry, PackError, parse_pack, sample_only
from bot.domain.user_input import parse_natural
from bot.ingest.errors import SourceError
from bot.ingest.govkz import SITE as GOVKZ_SITE
from bot.ingest.govkz import entity_slug
from bot.ingest.poller import KINDS, SourcePoller
from bot.ingest.seed_reading import BUNDLED, is_local_reference, locate_seed_reference
from bot.ingest.source_health import PollResult
from bot.services import Services
from bot.settings import SOURCE_PACKS, SettingsError
from storage.models import Source
from storage.queries import sources as source_queries

MIN_MINUTES, MAX_MINUTES = 5, 7 * 24 * 60
# Longer addresses are not news pages (browsers and servers stop near 8,000 characters).
MAX_URL_CHARS = 2_000
MAX_SOURCE_ID = 2**31 - 1
_SEED_MESSAGES = {
    "seed.outside_folder": ("sources.seed_outside_folder", "folder"),
    "seed.not_a_file": ("sources.seed_not_a_file", "path"),
}


class SourceInputError(ValueError):
    """A source the user asked for cannot be added; `key` is a message key, `params` its values."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def guess_kind(url: str) -> str:
    """gov.kz entity addresses are read through its API; seed files end in .txt; feeds say so
    in their address; anything else is a listing page."""
    if entity_slug(url) is not None:
        return "govkz"
    parts = _split(url) if "://" in url else None
    path = parts.path.lower() if parts else url.lower()
    if url.startswith(BUNDLED) or path.endswith(".txt"):
        return "seed"
    if any(word in path for word in ("rss", "feed", "atom", ".xml")):
        return "rss"
    return "listing"


def check_url(url: str, kind: str, *, local_files_allowed: bool, seed_dir: Path) -> str:
    """The address to store: a web address as given, or (when allowed) a located seed file.

    Files on the bot's machine are for whoever has its shell, never for a Telegram account:
    Telegram passes `local_files_allowed=False`, the CLI and the bundled defaults True.
    """
    if kind not in KINDS:
        raise SourceInputError("sources.bad_kind")
    if kind == "govkz":
        # One spelling per entity, so the same akimat cannot be added twice.
        slug = entity_slug(url) if len(url) <= MAX_URL_CHARS else None
        if slug is None:
            raise SourceInputError("sources.govkz_address")
        return f"{GOVKZ_SITE}/memleket/entities/{slug}"
    if is_local_reference(url):
        if not local_files_allowed:
            raise SourceInputError("sources.web_only")
        if kind == "seed":
            return _local_seed(url, seed_dir)
    if len(url) > MAX_URL_CHARS:
        raise SourceInputError("sources.url_too_long")
    parts = _split(url)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceInputError("sources.bad_url")
    return url


def _split(url: str) -> SplitResult | None:
    """The parts of a web address; None for one no server could be asked for: too long, with
    spaces or control characters, or malformed (`http://[abc/rss`)."""
    if len(url) > MAX_URL_CHARS or not url.isprintable() or " " in url:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        return None
    return parts


def _local_seed(url: str, seed_dir: Path) -> str:
    """A bundled name as given (the package may move); a path made absolute, symlinks followed."""
    try:
        path = locate_seed_reference(url, seed_dir=seed_dir)
    except SourceError as error:
        key, param = _SEED_MESSAGES.get(error.reason, ("sources.seed_unreadable", "path"))
        raise SourceInputError(key, **{param: error.detail}) from None
    return url if url.lower().startswith(BUNDLED) else str(path)


async def add_source(
    session: AsyncSession,
    services: Services,
    *,
    url: str,
    minutes: int = 60,
    kind: str | None = None,
    name: str = "",
    local_files_allowed: bool = False,
    official: bool = False,
) -> Source:
    """A new source, due at once; an address already listed is refused."""
    chosen = kind or guess_kind(url)
    url = check_url(
        url,
        chosen,
        local_files_allowed=local_files_allowed,
        seed_dir=services.settings.seed_dir,
    )
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise SourceInputError("sources.bad_minutes")
    if await source_queries.by_url(session, url=url) is not None:
        raise SourceInputError("sources.exists")
    source = Source(
        kind=chosen,
        url=url,
        name=name or urlsplit(url).hostname or url,
        poll_minutes=minutes,
        created_at=services.clock.now(),
        official=official or chosen == "govkz",  # gov.kz publishes only state bodies
    )
    return await source_queries.add(session, source=source)


async def find_source(session: AsyncSession, *, reference: str) -> Source | None:
    """A source by its id or its address."""
    number = parse_natural(reference, maximum=MAX_SOURCE_ID)
    if number is not None:
        return await source_queries.get(session, source_id=number)
    if reference.isdigit():
        return None  # a number no source can have (and too long for the database's integers)
    if "\x00" in reference:
        return None  # no stored address holds a NUL (and PostgreSQL refuses one in text)
    return await source_queries.by_url(session, url=reference)


def default_sources(pack: str = "full") -> list[PackEntry]:
    """The entries of a source pack (SOURCE_PACK): the shipped seeds/sources.toml ("full"),
    only its bundled samples ("sample"), or a TOML file of the same format at a path.
    SettingsError naming SOURCE_PACK, never its value, when the pack cannot be used."""
    try:
        if pack in SOURCE_PACKS:
            text = files("seeds").joinpath("sources.toml").read_text(encoding="utf-8")
        else:
            text = Path(pack).read_text(encoding="utf-8")
        entries = parse_pack(text, kinds=KINDS)
    except (OSError, UnicodeDecodeError):
        raise SettingsError("setting SOURCE_PACK is invalid: the file cannot be read") from None
    except PackError as error:
        raise SettingsError(f"setting SOURCE_PACK is invalid: {error}") from None
    return sample_only(entries) if pack == "sample" else entries


async def load_defaults(session: AsyncSession, services: Services) -> int:
    """Fill an empty source list with the SOURCE_PACK's sources (never re-adds what operators
    removed); all or nothing: an unusable entry stops the command in the caller's transaction."""
    if await source_queries.count_sources(session):
        return 0
    entries = default_sources(services.settings.source_pack)
    for number, entry in enumerate(entries, start=1):
        try:
            await add_source(
                session,
                services,
                url=entry.url,
                kind=entry.kind,
                minutes=entry.minutes,
                name=entry.name,
                local_files_allowed=True,  # the operator's own pack, naming bundled samples
                official=entry.official,
            )
        except SourceInputError as error:
            raise SettingsError(
                f"setting SOURCE_PACK is invalid: entry {number} was refused ({error.key})"
            ) from None
    return len(entries)


def describe(sources: Sequence[Source]) -> list[str]:
    """One plain line per source: id, state, address, health."""
    lines = []
    for source in sources:
        state = "on" if source.enabled else "PAUSED"
        health = f"failures {source.consecutive_failures}" + (
            f", last error {source.last_error}" if source.last_error else ""
        )
        last = (
            source.last_success_at.strftime("%Y-%m-%d %H:%M") if source.last_success_at else "never"
        )
        lines.append(
            f"#{source.id} [{state}] {source.kind} every {source.poll_minutes} min — "
            f"{source.url} — last success {last}, {health}"
        )
    return lines


def describe_polls(results: Sequence[PollResult]) -> list[str]:
    """One plain line per poll: source id, status, new stories and the failure's reason."""
    return [
        f"#{r.source_id}: {r.status}, new {r.new}" + (f" ({r.reason})" if r.reason else "")
        for r in results
    ]


async def poll_now(
    services: Services, poller: SourcePoller, reference: str
) -> list[PollResult] | None:
    """Poll one source now (a paused one is enabled again), or every due source when no
    reference is given; None for a reference that names no source (/pollnow and the CLI)."""
    if not reference:
        return await poller.poll_due()
    async with services.database.write() as session:
        source = await find_source(session, reference=reference)
        if source is None or source.id is None:
            return None
        source.enabled = True
    return [await poller.poll(source.id)]
