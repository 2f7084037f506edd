"""One story across languages and outlets: the veto, the merge, the fact keys, the stored form."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import story_record
from bot.domain.dedup import ClusterIndex, Signature, signature, text_for_dedup
from bot.domain.figures import Day, Quantity
from bot.domain.story_facts import Named, StoryFacts
from bot.domain.story_keys import fact_keys
from bot.domain.story_match import conflict, fact_match
from bot.domain.story_ties import story_ties
from tests.domain.story_samples import DAY, ENGLISH, FOLLOW_UP, KAZAKH, LOOK_ALIKE, RUSSIAN, facts


def same_story(a: StoryFacts, b: StoryFacts) -> bool:
    """Two tellings with different words are one story, from their facts alone."""
    return fact_match(a, b) > 0


def signed(article: tuple[str, str]) -> Signature:
    return signature(text_for_dedup(*article))


@pytest.mark.parametrize(
    ("one", "other"), [(KAZAKH, RUSSIAN), (RUSSIAN, ENGLISH), (KAZAKH, ENGLISH)]
)
def test_tellings_in_two_languages_are_one_story(
    one: tuple[str, str], other: tuple[str, str]
) -> None:
    assert conflict(facts(*one), facts(*other)) is None
    assert same_story(facts(*one), facts(*other))
    assert same_story(facts(*other), facts(*one))


def test_a_look_alike_from_another_town_is_vetoed_by_its_place() -> None:
    assert conflict(facts(*LOOK_ALIKE), facts(*RUSSIAN)) == "places"
    assert not same_story(facts(*LOOK_ALIKE), facts(*RUSSIAN))


def test_a_follow_up_with_new_figures_is_a_new_story() -> None:
    later = facts(*FOLLOW_UP, published=DAY + timedelta(days=2))
    assert conflict(later, facts(*KAZAKH)) == "figures"
    assert not same_story(later, facts(*KAZAKH))


def test_stories_of_other_regions_are_vetoed_even_with_the_same_figures() -> None:
    elsewhere = replace(facts(*RUSSIAN), regions=("akmola",), places=())
    assert conflict(elsewhere, facts(*KAZAKH)) == "regions"


def test_tellings_far_apart_in_time_are_not_merged_by_facts() -> None:
    late = facts(*RUSSIAN, published=DAY + timedelta(days=10))
    assert conflict(late, facts(*KAZAKH)) is None
    assert not same_story(late, facts(*KAZAKH))


def test_one_shared_figure_is_not_enough() -> None:
    lone = replace(
        facts(*RUSSIAN),
        quantities=(Quantity(1200.0, "family", 1200.0, "семей"), Quantity(9.0, "school", 9, "")),
        days=(Day(5, 1),),
        people=(),
        places=(),
    )
    assert conflict(lone, facts(*KAZAKH)) is None
    assert not same_story(lone, facts(*KAZAKH))


def test_the_cluster_index_merges_languages_and_keeps_the_look_alike_apart() -> None:
    index = ClusterIndex()
    stories = [KAZAKH, RUSSIAN, LOOK_ALIKE, ENGLISH]
    clusters = [index.add(k, signed(story), facts(*story)) for k, story in enumerate(stories)]
    assert clusters == [0, 0, 2, 0]


def test_a_text_match_is_vetoed_when_the_figures_differ() -> None:
    index = ClusterIndex()
    original = facts(*RUSSIAN)
    other_figures = replace(
        original, quantities=(Quantity(800.0, "family", 800.0, "семей"), *original.quantities[1:])
    )
    other_figures = replace(
        other_figures,
        quantities=tuple(
            q._replace(value=2.1e9, figure=2.1) if q.unit == "tenge" else q
            for q in other_figures.quantities
        ),
    )
    assert index.add(0, signed(RUSSIAN), original) == 0
    assert index.add(1, signed(RUSSIAN), other_figures) == 1  # the same words, other figures
    assert index.add(2, signed(RUSSIAN), original) == 0


def test_fact_keys_find_the_other_language_among_the_candidates() -> None:
    index = ClusterIndex()
    index.add(7, signed(KAZAKH), facts(*KAZAKH))
    keys = fact_keys(facts(*RUSSIAN))
    assert keys and all(0 <= key < 2**63 for key in keys)
    assert index.candidates(keys) == [7]
    assert fact_keys(facts(*RUSSIAN)) == keys  # stored: the same every time
    # Stored in the database, so the same in every process (no per-run hash() seed).
    assert sorted(keys)[:2] == [59548255402001366, 1387605107312664908]
    assert fact_keys(None) == []


def test_fact_keys_move_with_the_publication_window() -> None:
    now, later = facts(*RUSSIAN), facts(*RUSSIAN, published=DAY + timedelta(days=30))
    assert not set(fact_keys(now)) & set(fact_keys(later))


def test_the_tie_names_the_shared_facts_in_the_main_telling() -> None:
    tied = story_ties(facts(*RUSSIAN), [facts(*KAZAKH)])
    shown = {getattr(tie.fact, "words", None) or getattr(tie.fact, "text", None) for tie in tied}
    assert "семей" in shown and "Мукашев" in shown
    assert len(tied) <= 5


def test_an_old_signature_row_reads_as_a_signature_without_facts() -> None:
    old = signed(RUSSIAN)
    assert story_record.decode(old.to_bytes()) == (old, None)


def test_facts_of_a_later_version_or_damaged_read_as_none() -> None:
    blob = bytearray(story_record.encode(signed(RUSSIAN), facts(*RUSSIAN)))
    blob[4] = 99  # the facts' format version
    assert story_record.decode(bytes(blob)) == (signed(RUSSIAN), None)
    cut = story_record.encode(signed(RUSSIAN), facts(*RUSSIAN))[:-5]
    assert story_record.decode(cut) == (signed(RUSSIAN), None)


names = st.builds(Named, st.text(max_size=12), st.text(max_size=20))
stored_facts = st.builds(
    StoryFacts,
    published=st.integers(min_value=1, max_value=800_000),
    regions=st.lists(st.sampled_from(["pavlodar", "astana", "national"]), max_size=2).map(tuple),
    places=st.lists(names, max_size=3).map(tuple),
    quantities=st.lists(
        st.builds(
            Quantity,
            st.floats(min_value=0, max_value=1e15),
            st.sampled_from(["", "family", "tenge"]),
            st.floats(min_value=0, max_value=1e6),
            st.text(max_size=20),
        ),
        max_size=4,
    ).map(tuple),
    days=st.lists(st.builds(Day, st.integers(1, 12), st.integers(1, 31)), max_size=3).map(tuple),
    people=st.lists(names, max_size=3).map(tuple),
    organisations=st.lists(names, max_size=3).map(tuple),
)


@given(stored_facts)
def test_stored_facts_round_trip(story: StoryFacts) -> None:
    sig = signed(RUSSIAN)
    assert story_record.decode(story_record.encode(sig, story)) == (sig, story)
