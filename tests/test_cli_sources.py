"""`newsdigest sources add SITE`, `import` and `export`: the real command in a subprocess, with
sites served on 127.0.0.1 (the only private network the process may reach)."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.ingest.discovery import COMMON_PATHS
from bot.ingest.opml import OpmlSource, parse_opml
from tests.ingest.http_server import LocalServer, respond, running_server
from tests.ingest.samples import feed_bytes
from tests.test_cli import TOKEN, run_cli

SAMPLE = "bundled:enbekshi-qazaq-business-2025-01-13.txt"
HOME = (
    b"<!DOCTYPE html><html><head><title>Energy</title>"
    b'<link rel="alternate" type="application/rss+xml" href="/press/rss.xml"></head>'
    b"<body><a href='/press/1'>Press release</a></body></html>"
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "PRIVATE_SOURCE_NETWORKS": "127.0.0.1/32",
        "SOURCE_PACK": "sample",
    }


@pytest.fixture
async def site() -> AsyncIterator[LocalServer]:
    async with running_server() as server:
        yield server


async def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command, run beside the event loop that serves the test's sites."""
    return await asyncio.to_thread(run_cli, *args, env=env, cwd=cwd)


async def test_a_site_address_adds_the_feed_it_declares(
    site: LocalServer, env: dict[str, str], tmp_path: Path
) -> None:
    site.route("/", respond(200, HOME, headers=[("Content-Type", "text/html")]))
    feed = site.route("/press/rss.xml", respond(200, feed_bytes("rss-en.xml")))

    added = await cli("sources", "add", site.url("/"), "--minutes", "30", env=env, cwd=tmp_path)

    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines() == [
        f"found 1 feed: {feed} «Ministry of Energy — press releases», 2 items",
        f"added #2 rss {feed}",
    ]
    listed = await cli("sources", "list", env=env, cwd=tmp_path)
    assert f"#2 [on] rss every 30 min — {feed}" in listed.stdout


async def test_a_site_without_a_feed_is_added_as_a_listing(
    site: LocalServer, env: dict[str, str], tmp_path: Path
) -> None:
    home = site.route("/news", respond(200, b"<!DOCTYPE html><html><body>News</body></html>"))

    added = await cli("sources", "add", home, env=env, cwd=tmp_path)

    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines() == [
        f"found no feed on {home}; adding the page as a listing",
        f"added #2 listing {home}",
    ]
    assert [r.path for r in site.requests] == ["/news", *COMMON_PATHS]


async def test_a_kind_given_means_no_discovery(
    site: LocalServer, env: dict[str, str], tmp_path: Path
) -> None:
    added = await cli("sources", "add", site.url("/"), "--kind", "listing", env=env, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == f"added #2 listing {site.url('/')}"
    assert site.requests == []


async def test_a_site_that_cannot_be_read_is_not_added(
    site: LocalServer, env: dict[str, str], tmp_path: Path
) -> None:
    refused = await cli("sources", "add", site.url("/gone"), env=env, cwd=tmp_path)
    assert refused.returncode == 2
    assert "cannot read the site to look for feeds (fetch.http_404)" in refused.stderr
    assert f"give --kind to add {site.url('/gone')} as it is" in refused.stderr
    listed = await cli("sources", "list", env=env, cwd=tmp_path)
    assert len(listed.stdout.strip().splitlines()) == 1, "only the bundled sample"


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0" xmlns:newsdigest="urn:x-newsdigest:opml">
  <head><title>From a feed reader</title></head>
  <body>
    <outline text="News">
      <outline type="rss" text="Tengrinews" xmlUrl="https://tengrinews.kz/news.rss"/>
      <outline text="Akimat" xmlUrl="https://karaganda.gov.kz/news" newsdigest:kind="listing"
               newsdigest:minutes="15" newsdigest:official="true"/>
    </outline>
    <outline text="Sample" xmlUrl="{sample}" newsdigest:kind="seed"/>
  </body>
</opml>
"""


def test_import_adds_the_sources_of_an_opml_file_and_export_gives_them_back(
    env: dict[str, str], tmp_path: Path
) -> None:
    file = tmp_path / "feeds.opml"
    file.write_text(OPML.replace("{sample}", SAMPLE), encoding="utf-8")

    imported = run_cli("sources", "import", str(file), env=env, cwd=tmp_path)

    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines() == [
        "added #2 rss https://tengrinews.kz/news.rss",
        "added #3 listing https://karaganda.gov.kz/news",
        f"skipped {SAMPLE}: already a source",
        "imported 2, skipped 1",
    ]
    exported = run_cli("sources", "export", env=env, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    sample, *imported_back = parse_opml(exported.stdout.encode())
    assert (sample.url, sample.kind) == (SAMPLE, "seed")
    assert imported_back == [
        OpmlSource("https://tengrinews.kz/news.rss", "Tengrinews"),
        OpmlSource("https://karaganda.gov.kz/news", "Akimat", "listing", 15, official=True),
    ]
    again = run_cli("sources", "import", str(file), env=env, cwd=tmp_path)
    assert again.stdout.splitlines()[-1] == "imported 0, skipped 3"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("name,url\nTengri,https://tengrinews.kz/rss\n", "not XML"),
        ("<opml><head/></opml>", "no <body> in the OPML document"),
        (
            OPML.replace("{sample}", "ftp://files.kz/feed"),
            "source 3 (ftp://files.kz/feed): That is not an http(s) address.",
        ),
    ],
)
def test_a_bad_opml_file_adds_nothing(
    env: dict[str, str], tmp_path: Path, content: str, problem: str
) -> None:
    file = tmp_path / "bad.opml"
    file.write_text(content, encoding="utf-8")

    refused = run_cli("sources", "import", str(file), env=env, cwd=tmp_path)

    assert refused.returncode == 2, refused.stdout
    assert f"error: nothing imported, bad OPML: {problem}" in refused.stderr
    listed = run_cli("sources", "list", env=env, cwd=tmp_path)
    assert len(listed.stdout.strip().splitlines()) == 1, "only the bundled sample"


def test_import_of_a_missing_file_says_so(env: dict[str, str], tmp_path: Path) -> None:
    refused = run_cli("sources", "import", str(tmp_path / "none.opml"), env=env, cwd=tmp_path)
    assert refused.returncode == 2
    assert "cannot read" in refused.stderr and "No such file" in refused.stderr
