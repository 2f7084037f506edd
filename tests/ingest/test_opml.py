"""OPML import and export: what feed readers write is read, what we write reads back the same,
and a bad file names its problem and adds nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.clock import FixedClock
from bot.commands.common import load_tagger
from bot.i18n import default_translator
from bot.ingest.html_text import one_line
from bot.ingest.opml import MAX_BYTES, OpmlError, OpmlSource, parse_opml, write_opml
from bot.ingest.poller import KINDS
from bot.services import Services
from bot.settings import Settings
from bot.usecases.source_opml import OutlineError, export_sources, import_sources
from bot.usecases.sources import MAX_MINUTES, MIN_MINUTES, add_source
from storage.engine import Database, create_database
from storage.migrate import upgrade_schema
from storage.queries import sources as source_queries

NOW = datetime(2025, 1, 14, 6, 0, tzinfo=UTC)
TAGGER = load_tagger()

FEED_READER_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="Kazakhstan" title="Kazakhstan">
      <outline type="rss" text="Tengrinews" xmlUrl="https://tengrinews.kz/news.rss"
               htmlUrl="https://tengrinews.kz/"/>
      <outline text="Regions">
        <outline type="rss" title="Karaganda  akimat" text="ignored"
                 xmlUrl="https://karaganda.gov.kz/rss"/>
      </outline>
    </outline>
    <outline text="A folder with nothing"/>
    <outline type="rss" text="Astana Times" xmlUrl=" https://astanatimes.com/feed/ "
             xmlns:newsdigest="urn:x-newsdigest:opml" newsdigest:minutes="30"
             newsdigest:official="false"/>
  </body>
</opml>
"""

# XML-safe one-line titles (names are stored one-line) and addresses without outer spaces.
_TEXT = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn"))
TITLES = st.text(_TEXT, min_size=1, max_size=60).map(one_line).filter(bool)
URLS = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}.kz/{path}",
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
    st.text(_TEXT.filter(lambda c: not c.isspace()), max_size=40),
)
SOURCES = st.builds(
    OpmlSource,
    url=URLS,
    title=TITLES,
    kind=st.sampled_from(KINDS),
    minutes=st.integers(MIN_MINUTES, MAX_MINUTES),
    official=st.booleans(),
)


@given(st.lists(SOURCES, min_size=1, max_size=8))
@example([OpmlSource("https://a.kz/?x=1&y=<2>", "Quotes \" and ' & <tags>", "listing", 5, True)])
def test_what_is_written_reads_back_the_same(sources: list[OpmlSource]) -> None:
    assert parse_opml(write_opml(sources).encode()) == sources


def test_a_feed_readers_export_is_read_with_folders_and_defaults() -> None:
    assert parse_opml(FEED_READER_EXPORT) == [
        OpmlSource("https://tengrinews.kz/news.rss", "Tengrinews"),
        OpmlSource("https://karaganda.gov.kz/rss", "Karaganda akimat"),
        OpmlSource("https://astanatimes.com/feed/", "Astana Times", minutes=30),
    ]


def test_the_export_is_opml_2_that_feed_readers_understand() -> None:
    written = write_opml(
        [OpmlSource("https://a.kz/rss", "A"), OpmlSource("https://b.kz", "B", "listing")]
    )
    assert written.startswith("<?xml version='1.0' encoding='utf-8'?>\n<opml")
    assert 'version="2.0"' in written
    assert '<outline text="A" title="A" type="rss" xmlUrl="https://a.kz/rss"' in written
    assert '<outline text="B" title="B" xmlUrl="https://b.kz" newsdigest:kind="listing"' in written


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">'.encode() for n in range(9)
    )
    + b']><opml version="2.0"><body><outline text="&j;" xmlUrl="https://a.kz/rss"/></body></opml>'
)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "not XML"),
        (b"name,url\nTengri,https://tengrinews.kz/rss\n", "not XML"),
        (b"<opml><body><outline xmlUrl='https://a.kz/rss'></body></opml>", "not XML"),
        (BILLION_LAUGHS, "DOCTYPE"),
        (b'<!DOCTYPE opml SYSTEM "file:///etc/passwd"><opml/>', "DOCTYPE"),
        (b'<rss version="2.0"><channel/></rss>', "not OPML: the document is <rss>"),
        (b'<opml version="2.0"><head/></opml>', "no <body>"),
        (b'<opml><body><outline text="Folder"><outline text="x"/></outline></body></opml>',
         "no <outline> with an xmlUrl"),
        (b'<opml><body><outline xmlUrl="  "/></body></opml>', "source 1 has an empty xmlUrl"),
        (
            b'<opml xmlns:n="urn:x-newsdigest:opml"><body><outline xmlUrl="https://a.kz/rss"/>'
            b'<outline xmlUrl="https://b.kz/rss" n:minutes="often"/></body></opml>',
            "source 2 (https://b.kz/rss): minutes must be a whole number",
        ),
        (
            b'<opml xmlns:n="urn:x-newsdigest:opml"><body>'
            b'<outline xmlUrl="https://b.kz/rss" n:official="maybe"/></body></opml>',
            "official must be true or false",
        ),
        (b" " * (MAX_BYTES + 1), "larger than 5 MB"),
    ],
)  # fmt: skip
def test_bad_opml_names_its_problem(data: bytes, problem: str) -> None:
    started = time.monotonic()
    with pytest.raises(OpmlError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_opml(data)
    assert time.monotonic() - started < 1, "refused before any entity is expanded"


@pytest.fixture
def services(database: Database) -> Services:
    return Services(
        database, FixedClock(NOW), Settings(_env_file=None), default_translator(), TAGGER
    )


async def _listed(services: Services) -> list[tuple[str, str, str, int, bool]]:
    async with services.database.read() as session:
        rows = await source_queries.all_sources(session)
    return [(s.url, s.name, s.kind, s.poll_minutes, s.official) for s in rows]


async def test_an_import_adds_every_source_and_skips_the_listed_ones(services: Services) -> None:
    async with services.database.write() as session:
        await add_source(session, services, url="https://tengrinews.kz/news.rss", kind="rss")
    sources = [*parse_opml(FEED_READER_EXPORT), OpmlSource("https://karaganda.gov.kz/rss", "Twice")]

    async with services.database.write() as session:
        report = await import_sources(session, services, sources)

    assert [source.url for source in report.added] == [
        "https://karaganda.gov.kz/rss",
        "https://astanatimes.com/feed/",
    ]
    assert report.skipped == ["https://tengrinews.kz/news.rss", "https://karaganda.gov.kz/rss"]
    assert await _listed(services) == [
        ("https://tengrinews.kz/news.rss", "tengrinews.kz", "rss", 60, False),
        ("https://karaganda.gov.kz/rss", "Karaganda akimat", "rss", 60, False),
        ("https://astanatimes.com/feed/", "Astana Times", "rss", 30, False),
    ]


@pytest.mark.parametrize(
    ("bad", "key"),
    [
        (OpmlSource("ftp://files.kz/rss", "FTP"), "sources.bad_url"),
        (OpmlSource("file:///etc/passwd", "A file"), "sources.bad_url"),
        (OpmlSource("https://c.kz/rss", "Unknown kind", kind="telegram"), "sources.bad_kind"),
        (OpmlSource("https://c.kz/rss", "Too often", minutes=1), "sources.bad_minutes"),
        (OpmlSource("/etc/passwd", "Elsewhere", kind="seed"), "sources.seed_outside_folder"),
    ],
)  # fmt: skip
async def test_one_bad_source_adds_nothing(services: Services, bad: OpmlSource, key: str) -> None:
    good = [OpmlSource("https://a.kz/rss", "A"), OpmlSource("https://b.kz/rss", "B")]
    with pytest.raises(OutlineError) as refused:
        async with services.database.write() as session:
            await import_sources(session, services, [*good, bad])
    assert (refused.value.number, refused.value.url, refused.value.error.key) == (3, bad.url, key)
    assert await _listed(services) == []


async def test_export_then_import_keeps_titles_kinds_intervals_and_the_official_flag(
    services: Services, tmp_path: Path
) -> None:
    async with services.database.write() as session:
        await add_source(session, services, url="https://a.kz/rss", kind="rss", name="Ä & <b>")
        await add_source(
            session, services, url="https://b.gov.kz/news", kind="listing", minutes=15,
            official=True,
        )  # fmt: skip
        await add_source(
            session, services, url="bundled:enbekshi-qazaq-business-2025-01-13.txt",
            kind="seed", minutes=7 * 24 * 60, local_files_allowed=True,
        )  # fmt: skip
        exported = await export_sources(session)
    other = create_database(f"sqlite+aiosqlite:///{tmp_path}/other.db")
    await upgrade_schema(other)
    elsewhere = Services(other, services.clock, services.settings, default_translator(), TAGGER)
    try:
        async with elsewhere.database.write() as session:
            report = await import_sources(session, elsewhere, parse_opml(exported.encode()))
        assert (len(report.added), report.skipped) == (3, [])
        assert await _listed(elsewhere) == await _listed(services)
        async with elsewhere.database.read() as session:
            assert await export_sources(session) == exported
    finally:
        await other.dispose()
