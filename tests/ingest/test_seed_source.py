"""Seed-format sources fetched over HTTP or read from a path."""

from __future__ import annotations

import pytest

from bot.ingest.errors import SourceError
from bot.ingest.seed_source import parse_seed_source
from tests.ingest.samples import DATA

SEED = (DATA / "enbekshi-qazaq-business-2025-01-13.txt").read_bytes()
RU_SEED = (
    "Акимат Карагандинской области\n\nНовости\n\n"
    "В Караганде отремонтируют 40 улиц 13.01.2025\n"
    "Работы начнутся в апреле.Source : https://karaganda.example.kz/ru/news/1\n"
)


def test_seed_text_is_parsed_like_a_file() -> None:
    page = parse_seed_source(SEED, name="enbekshi.txt")
    assert len(page.entries) == 20
    assert page.entries[0].file_name == "enbekshi.txt"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_encodings(encoding: str) -> None:
    page = parse_seed_source(RU_SEED.encode(encoding), name="ru")
    assert page.site_name == "Акимат Карагандинской области"
    assert page.entries[0].raw_title == "В Караганде отремонтируют 40 улиц"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "seed.empty"),
        (b" \n\n ", "seed.empty"),
        (b"<!DOCTYPE html><html><body>404 Not Found</body></html>", "seed.html_page"),
    ],
)
def test_unusable_bodies(body: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as raised:
        parse_seed_source(body, name="x")
    assert raised.value.reason == reason


def test_text_without_entries_reports_problems() -> None:
    page = parse_seed_source(b"Site\n\nSection\n\nno title line here\n", name="x")
    assert page.entries == ()
    assert [problem.reason for problem in page.problems] == ["seed.body_without_title"]
