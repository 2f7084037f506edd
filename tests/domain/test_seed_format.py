"""The seed text format: header, entries, and malformed parts that name their line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.seed_format import is_title_line, parse_seed_text

SEED = Path(__file__).parents[2] / "seeds" / "enbekshi-qazaq-business-2025-01-13.txt"


def test_the_bundled_page_has_twenty_articles_with_dates() -> None:
    page = parse_seed_text(SEED.read_text(encoding="utf-8"), file_name=SEED.name)
    assert (page.site_name, page.section) == ("Enbekshi QazaQ", "Business")
    assert len(page.entries) == 20
    assert page.problems == ()
    assert [entry.index for entry in page.entries] == list(range(20))
    assert page.entries[0].raw_title == "502 Bad Gateway"
    assert page.entries[0].published_on == date(2025, 1, 13)
    assert page.entries[-1].published_on == date(2025, 1, 11)
    assert page.entries[2].line_no == 9


def test_malformed_entries_name_their_line_and_keep_the_rest() -> None:
    text = "\n".join(
        [
            "Site",
            "",
            "Section",
            "",
            "Good one 01.02.2025",
            "Body one. Source : https://example.kz/1",
            "Bad date 32.13.2025",
            "Body of the bad date.",
            "No body here 02.02.2025",
            "Good two 03.02.2025",
            "Body two.",
        ]
    )
    page = parse_seed_text(text, file_name="f.txt")
    assert [entry.raw_title for entry in page.entries] == ["Good one", "Good two"]
    assert [entry.index for entry in page.entries] == [0, 3]
    assert {(p.line_no, p.reason) for p in page.problems} == {
        (7, "seed.invalid_date"),
        (9, "seed.missing_body"),
    }


def test_a_body_before_any_title_is_a_problem_not_a_crash() -> None:
    page = parse_seed_text(
        "Site\n\nSection\n\nstray body line\nTitle 01.01.2025\nBody.", file_name="x"
    )
    assert len(page.entries) == 1
    assert page.problems[0].reason == "seed.body_without_title"
    assert page.problems[0].line_no == 5


def test_a_file_without_header_and_with_a_bom_still_parses() -> None:
    page = parse_seed_text("\ufeffTitle 01.01.2025\nBody line.\n", file_name="x")
    assert page.site_name == ""
    assert page.entries[0].raw_title == "Title"


def test_bodies_broken_over_several_lines_are_joined() -> None:
    page = parse_seed_text("S\n\nX\n\nTitle 01.01.2025\nFirst half\nsecond half.\n", file_name="x")
    assert page.entries[0].body_line == "First half second half."


def test_a_long_body_line_ending_in_a_date_is_not_a_title() -> None:
    long_body = "word " * 120 + "held on 15.01.2025"
    assert not is_title_line(long_body)
    assert is_title_line("A headline 15.01.2025")


@given(st.text())
def test_parsing_never_raises(text: str) -> None:
    page = parse_seed_text(text, file_name="any.txt")
    assert all(entry.body_line for entry in page.entries)
