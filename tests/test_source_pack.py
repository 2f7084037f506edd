"""The shipped source pack (seeds/sources.toml) and SOURCE_PACK: a valid, documented pack of
every akimat, ministries and national outlets, loaded once into an empty database, offline
when asked; a broken pack stops the command with a line naming SOURCE_PACK, never a value."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.commands.common import load_tagger
from bot.domain.source_pack import FIELDS, PackError, parse_pack
from bot.domain.taxonomy import LANGUAGES, NATIONAL, REGION_SLUGS
from bot.i18n import default_translator
from bot.ingest.poller import KINDS
from bot.services import Services
from bot.settings import Settings, SettingsError, load_settings
from bot.usecases import sources as source_use
from storage.engine import Database
from storage.queries import sources as source_queries

ROOT = Path(__file__).parents[1]
TEXT = files("seeds").joinpath("sources.toml").read_text(encoding="utf-8")
RAW = tomllib.loads(TEXT)["source"]
PACK = parse_pack(TEXT, kinds=KINDS)
REGIONS = [slug for slug in REGION_SLUGS if slug != NATIONAL]
GOVKZ = re.compile(r"https://www\.gov\.kz/memleket/entities/[a-z0-9-]+")
SECRET = "zz-S3cret-zz"
NOW = datetime(2025, 1, 14, 6, 0, tzinfo=UTC)


def _comments() -> list[str]:
    """The comment block above each [[source]], its lines joined."""
    lines = TEXT.splitlines()
    blocks = []
    for index, line in enumerate(lines):
        if line == "[[source]]":
            start = index
            while start > 0 and lines[start - 1].startswith("#"):
                start -= 1
            blocks.append(" ".join(lines[start:index]))
    return blocks


def _services(database: Database, pack: str) -> Services:
    settings = Settings(_env_file=None, source_pack=pack)
    return Services(database, FixedClock(NOW), settings, default_translator(), load_tagger())


# ---- the shipped pack -------------------------------------------------------------------


def test_every_entry_states_every_field() -> None:
    required = FIELDS - {"confirmed"}  # confirmed defaults to true
    for number, raw in enumerate(RAW, start=1):
        assert required <= set(raw), f"entry {number} lacks {sorted(required - set(raw))}"
    assert len(PACK) == len(RAW)


def test_kinds_languages_and_regions_come_from_the_vocabulary() -> None:
    for entry in PACK:
        assert entry.kind in KINDS
        assert entry.languages and set(entry.languages) <= set(LANGUAGES)
        assert entry.region in REGION_SLUGS
        assert source_use.MIN_MINUTES <= entry.minutes <= source_use.MAX_MINUTES


def test_the_bundled_sample_comes_first_and_is_the_only_local_entry() -> None:
    assert PACK[0].bundled and PACK[0].kind == "seed"
    assert all(entry.url.startswith("https://") for entry in PACK[1:])


def test_every_region_has_exactly_one_official_akimat_on_gov_kz() -> None:
    akimats = [entry for entry in PACK if entry.kind == "govkz" and entry.region != NATIONAL]
    assert len(akimats) == 20
    assert sorted(entry.region for entry in akimats) == sorted(REGIONS)
    for entry in akimats:
        assert entry.official and GOVKZ.fullmatch(entry.url), entry
        assert entry.name.startswith("Akimat of ")
        assert set(entry.languages) == {"ru", "kk", "en"}


def test_official_means_a_government_body_on_gov_kz() -> None:
    for entry in PACK:
        assert entry.official == (entry.kind == "govkz"), entry
        if entry.kind == "govkz":
            assert GOVKZ.fullmatch(entry.url), entry
    ministries = [e for e in PACK if e.kind == "govkz" and e.region == NATIONAL]
    assert ministries and all(e.name.startswith("Ministry of ") for e in ministries)


def test_no_address_or_name_is_listed_twice() -> None:
    urls = [entry.url.lower().rstrip("/") for entry in PACK]
    names = [entry.name for entry in PACK]
    assert len(set(urls)) == len(urls)
    assert len(set(names)) == len(names)


def test_each_entry_has_a_comment_with_its_region_languages_and_evidence() -> None:
    """The comment above each [[source]] reads `# <region> … · <languages> · <evidence>`."""
    comments = _comments()
    assert len(comments) == len(PACK)
    for comment, entry in zip(comments, PACK, strict=True):
        assert comment.startswith(f"# {entry.region}"), (comment, entry.name)
        parts = comment.split(" · ")
        assert len(parts) >= 3, comment
        assert set(parts[1].split()) == set(entry.languages), comment


def test_confirmed_feeds_cite_a_recorded_probe_and_the_rest_are_marked() -> None:
    """Only a recorded probe confirms a feed; nobody has probed any listing page."""
    for comment, entry in zip(_comments(), PACK, strict=True):
        if entry.kind == "rss" and entry.confirmed:
            assert "probe" in comment or "RSS works" in comment, comment
        if entry.kind == "listing":
            assert not entry.confirmed, entry
    feeds = [entry for entry in PACK if entry.kind == "rss"]
    assert {e.name for e in feeds if e.confirmed} == {
        "Kursiv",
        "The Astana Times",
        "Vlast.kz",
        "Spik.kz",
    }
    unsure = {e.region for e in PACK if e.kind == "govkz" and not e.confirmed}
    assert unsure == {"abai", "almaty-region", "jetisu"}, "the slugs govkz.md could not pin"


def test_the_sample_pack_is_only_the_bundled_sample() -> None:
    [only] = source_use.default_sources("sample")
    assert only == PACK[0]
    assert source_use.default_sources("full") == PACK


# ---- parsing a pack ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f'[[source]]\nkind = "rss"\nurl = "https://a.kz/rss"\n{SECRET} = 1\n', "unknown field"),
        ('[[source]]\nkind = "rss"\nurl = "https://a.kz/rss"\nofficial = "yes"\n', "official"),
        (f'[[source]]\nkind = "{SECRET}"\nurl = "https://a.kz/rss"\n', "kind must be one of"),
        ('[[source]]\nkind = "rss"\n', "url must be non-empty text"),
        (f'[[source]]\nkind = "rss"\nurl = "x"\nregion = "{SECRET}"\n', "region"),
        (f'[[source]]\nkind = "rss"\nurl = "x"\nlanguages = ["{SECRET}"]\n', "languages"),
        ('[[source]]\nkind = "rss"\nurl = "x"\nminutes = true\n', "minutes"),
        (f'[[source]]\nkind = "rss"\nurl = "{SECRET}\n', "not valid TOML (line 3)"),
        ("source = 3\n", "list of [[source]] tables"),
        ('[[source]]\nkind = "rss"\nurl = "x"\n[[source]]\nkind = "nope"\nurl = "y"\n', "entry 2"),
    ],
)
def test_a_bad_pack_is_refused_with_where_never_with_what(text: str, message: str) -> None:
    with pytest.raises(PackError) as caught:
        parse_pack(text, kinds=KINDS)
    assert message in str(caught.value)
    if SECRET in text and "unknown field" not in message:
        assert SECRET not in str(caught.value)


def test_optional_fields_take_their_defaults() -> None:
    [entry] = parse_pack('[[source]]\nkind = "rss"\nurl = "https://a.kz/rss"\n', kinds=KINDS)
    assert (entry.name, entry.minutes, entry.official, entry.confirmed) == ("", 60, False, True)
    assert parse_pack("", kinds=KINDS) == []


# ---- SOURCE_PACK ------------------------------------------------------------------------


def test_source_pack_defaults_to_the_full_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_PACK", raising=False)
    assert load_settings(env_file=None).source_pack == "full"


def test_source_pack_takes_a_name_or_an_existing_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pack = tmp_path / "mine.toml"
    pack.write_text("", encoding="utf-8")
    for value in ("sample", "full", str(pack)):
        monkeypatch.setenv("SOURCE_PACK", value)
        assert load_settings(env_file=None).source_pack == value
    for value in ("", "partial", str(tmp_path / f"{SECRET}.toml"), str(tmp_path), "x" * 5000):
        monkeypatch.setenv("SOURCE_PACK", value)
        with pytest.raises(SettingsError) as caught:
            load_settings(env_file=None)
        assert str(caught.value).startswith("setting SOURCE_PACK is invalid: ")
        assert "expected full, sample or the path of an existing TOML" in str(caught.value)
        assert SECRET not in str(caught.value)


def test_an_unreadable_pack_file_is_named_without_its_path(tmp_path: Path) -> None:
    pack = tmp_path / f"{SECRET}.toml"
    pack.write_bytes(b"\xff\xfe not text")
    with pytest.raises(SettingsError, match="SOURCE_PACK is invalid: the file cannot be read"):
        source_use.default_sources(str(pack))
    pack.write_text('[[source]]\nkind = "rss"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        source_use.default_sources(str(pack))
    assert "entry 1: url" in str(caught.value) and SECRET not in str(caught.value)


# ---- loading into a database ------------------------------------------------------------


async def test_the_full_pack_loads_once_with_official_flags(database: Database) -> None:
    services = _services(database, "full")
    async with database.write() as session:
        assert await source_use.load_defaults(session, services) == len(PACK)
        assert await source_use.load_defaults(session, services) == 0, "loaded only once"
    async with database.read() as session:
        stored = await source_queries.all_sources(session)
    assert [(s.url, s.kind, s.official, s.poll_minutes) for s in stored] == [
        (e.url, e.kind, e.official, e.minutes) for e in PACK
    ]
    assert sum(s.official for s in stored) == sum(e.official for e in PACK) >= 20


async def test_a_pack_with_a_refused_entry_loads_nothing(
    database: Database, tmp_path: Path
) -> None:
    pack = tmp_path / "pack.toml"
    pack.write_text(
        '[[source]]\nkind = "rss"\nurl = "https://a.kz/rss"\n'
        '[[source]]\nkind = "rss"\nurl = "https://a.kz/rss"\n',  # the same address twice
        encoding="utf-8",
    )
    services = _services(database, str(pack))
    with pytest.raises(SettingsError, match=r"entry 2 was refused \(sources.exists\)"):
        async with database.write() as session:
            await source_use.load_defaults(session, services)
    async with database.read() as session:
        assert await source_queries.count_sources(session) == 0


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env={**environment, **env},
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_the_full_pack_is_listed_from_the_command_line(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db", "SOURCE_PACK": "full"}
    listed = _cli("sources", "list", env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.strip().splitlines()
    assert len(lines) == len(PACK)
    assert "govkz every 60 min — https://www.gov.kz/memleket/entities/karaganda" in listed.stdout


def test_a_broken_pack_stops_the_command_with_one_line(tmp_path: Path) -> None:
    pack = tmp_path / "pack.toml"
    pack.write_text(f'[[source]]\nkind = "rss"\nurl = "https://a.kz/rss"\n{SECRET} = 1\n')
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db", "SOURCE_PACK": str(pack)}
    result = _cli("sources", "list", env=env, cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("newsdigest: error: setting SOURCE_PACK is invalid: entry 1:")


def test_the_demo_stays_offline_whatever_the_pack(tmp_path: Path) -> None:
    env = {"SOURCE_PACK": "full"}
    result = _cli("demo", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "source #1: ok, new 20" in result.stdout
    assert "source #2" not in result.stdout
