"""The gazetteer: bundled data is complete and consistent; the loader refuses bad data."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.gazetteer import Gazetteer, name_words, parse_gazetteer
from bot.domain.name_forms import word_form
from bot.domain.taxonomy import NATIONAL, REGION_SLUGS
from bot.reference_data import load_gazetteer

GAZETTEER = load_gazetteer()

MINIMAL = "\n".join(
    f'[regions.{slug}]\nnames = ["Name of {slug}"]' for slug in REGION_SLUGS if slug != NATIONAL
)


def test_every_taxonomy_region_has_names_and_an_akimat() -> None:
    slugs = {name.slug for name in GAZETTEER.names if name.kind == "region"}
    assert slugs == set(REGION_SLUGS) - {NATIONAL}
    assert set(GAZETTEER.entities.values()) == set(REGION_SLUGS) - {NATIONAL}
    assert GAZETTEER.regions == tuple(slug for slug in REGION_SLUGS if slug != NATIONAL)


@pytest.mark.parametrize(
    ("entity", "region"),
    [
        ("karaganda", "karaganda"),
        ("ontustik", "turkestan"),
        ("aqmola", "akmola"),
        ("aqmola-selinograd", "akmola"),
        ("aqmola-burabay", "akmola"),
        ("ulytau", "ulytau"),
        ("ulytau-zhezkazgan", "ulytau"),
        ("ulytau-satpaev", "ulytau"),
        ("almobl", "almaty-region"),
        ("zhetysu", "jetisu"),
        ("abay", "abai"),
        ("aktobe", "aktobe"),
        ("atyrau", "atyrau"),
        ("akimvko", "east-kazakhstan"),
        ("bko", "west-kazakhstan"),
        ("sko", "north-kazakhstan"),
        ("zhambyl", "jambyl"),
        ("kostanay", "kostanay"),
        ("kyzylorda", "kyzylorda"),
        ("mangystau", "mangystau"),
        ("pavlodar", "pavlodar"),
        ("astana", "astana"),
        ("almaty", "almaty"),
        ("shymkent", "shymkent"),
        ("karaganda-transport", "karaganda"),
        ("kostanai-lisakovsk-kalasy-akimat", "kostanay"),
        ("akimat-goroda-aktau", "mangystau"),
    ],
)
def test_akimat_entities(entity: str, region: str) -> None:
    url = f"https://www.gov.kz/memleket/entities/{entity}/press/news/details/916692?lang=en"
    publisher = GAZETTEER.publisher(url)
    assert (publisher.entity, publisher.region, publisher.ministry) == (entity, region, False)


@pytest.mark.parametrize("entity", ["transport", "mps", "minfin", "moa", "energo", "edu", "mti"])
def test_ministries_give_no_region(entity: str) -> None:
    publisher = GAZETTEER.publisher(f"https://www.gov.kz/memleket/entities/{entity}/press/1")
    assert publisher.region is None
    assert publisher.ministry


@pytest.mark.parametrize("url", [None, "", "https://tengrinews.kz/kazakhstan_news/1", "gov.kz"])
def test_other_addresses_say_nothing(url: str | None) -> None:
    publisher = GAZETTEER.publisher(url)
    assert (publisher.region, publisher.ministry) == (None, False)


def test_no_name_is_listed_twice() -> None:
    keys = [name_words(name.text) for name in GAZETTEER.names]
    assert len(keys) == len(set(keys))


def test_no_inflected_form_belongs_to_two_regions() -> None:
    owners: dict[str, set[str | None]] = {}
    for name in GAZETTEER.names:
        if len(name.forms) == 1:
            form = name.forms[0]
            for ending in form.endings:
                owners.setdefault(form.stem + ending, set()).add(name.slug)
    shared = {form: slugs for form, slugs in owners.items() if len(slugs) > 1}
    assert shared == {}


def test_every_name_finds_itself_whole() -> None:
    for name in GAZETTEER.names:
        pieces = GAZETTEER.pieces(name.text)
        if name.kind == "regional":
            assert GAZETTEER.regional_cues(pieces) == 1, name.text
            continue
        hits = GAZETTEER.scan(pieces)
        assert [(hit.name.slug, hit.start, hit.end) for hit in hits] == [
            (name.slug, 0, len(pieces))
        ], name.text


@pytest.mark.parametrize(
    ("word", "forms", "not_forms"),
    [
        ("караганда", ["караганде", "карагандой", "караганды", "карагандинцы"], ["карагандинка"]),
        ("шымкент", ["шымкенте", "шымкентте", "шымкенттегі", "шымкентцы"], ["шымкентология"]),
        ("түркістан", ["түркістанда", "түркістанның", "түркістандық"], ["түркістанизм"]),
        ("карагандинская", ["карагандинской", "карагандинскую", "карагандинские"], []),
        ("область", ["области", "областью", "обл"], ["областник"]),
        ("облысы", ["облысында", "облысының", "облыстың", "облыс"], []),
        ("костанай", ["костанае", "костаная", "костанайда", "костанайцы"], ["костанаец"]),
        ("oral", ["oral"], ["orally", "moral"]),
    ],
)
def test_word_forms(word: str, forms: list[str], not_forms: list[str]) -> None:
    form = word_form(word)
    assert all(form.matches(token) for token in forms)
    assert not any(form.matches(token) for token in not_forms)


def test_minimal_gazetteer_loads() -> None:
    gazetteer = parse_gazetteer(MINIMAL)
    assert isinstance(gazetteer, Gazetteer)
    hits = gazetteer.scan(gazetteer.pieces("Name of karaganda"))
    assert [hit.name.slug for hit in hits] == ["karaganda"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "missing"),
        (MINIMAL + '\n[regions.mars]\nnames = ["Mars"]', "unknown"),
        (MINIMAL + '\n[regions.national]\nnames = ["All"]', "unknown"),
        (MINIMAL.replace("Name of astana", "Name of almaty"), "repeats"),
        (MINIMAL + '\n[blocked]\nnames = ["NAME OF ABAI"]', "repeats"),
        (MINIMAL.replace('names = ["Name of abai"]', 'nmaes = ["x"]'), "unknown keys"),
        (MINIMAL.replace('names = ["Name of abai"]', 'names = ["..."]'), "no words"),
        (
            MINIMAL.replace('names = ["Name of abai"]', 'names = ["A"]\nentities = ["x"]').replace(
                'names = ["Name of akmola"]', 'names = ["B"]\nentities = ["x"]'
            ),
            "two regions",
        ),
    ],
)
def test_inconsistent_data_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_gazetteer(text)


@given(st.text(max_size=300))
def test_scan_never_overlaps_and_stays_in_bounds(text: str) -> None:
    pieces = GAZETTEER.pieces(text)
    hits = GAZETTEER.scan(pieces)
    for left, right in pairwise(hits):
        assert left.end <= right.start
    assert all(0 <= hit.start < hit.end <= len(pieces) for hit in hits)
