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
        ("shymkent", ["shymkentte", "shymkenttiń", "shymkentke", "shymkenttegi"], ["shymkents"]),
        ("qaraǵandy", ["qaraǵandyda", "qaraǵandynyń", "qaraǵandyǵa"], ["qaraǵandyy"]),
        ("alga", ["alga", "algada"], ["algae", "algan"]),
        ("region", ["region", "regions", "rgn"], ["regional", "rg"]),
        ("oblast", ["oblast", "obl"], ["oblasts2"]),
        ("облысы", ["обл", "облысында"], ["об"]),
        ("oblysy", ["oblysy", "oblysynda", "oblysynyń", "oblysta", "obl"], ["oblastar"]),
        ("aýdany", ["aýdany", "aýdanynda", "aýd", "aýdandarynda"], []),
        ("облысы", ["облыстары", "облыстарында", "облыстарының"], ["облыстарда"]),
        ("oblysy", ["oblystarynda", "oblystarynyń"], []),
    ],
)
def test_word_forms(word: str, forms: list[str], not_forms: list[str]) -> None:
    form = word_form(word)
    assert all(form.matches(token) for token in forms)
    assert not any(form.matches(token) for token in not_forms)


def slugs(text: str) -> list[str | None]:
    return [hit.name.slug for hit in GAZETTEER.scan(GAZETTEER.pieces(text))]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # Kazakh names in the Latin alphabets, inflected; none of these is listed by hand
        ("Qaraǵandy oblysynda", "karaganda"),
        ("Túrkistanda", "turkestan"),
        ("Mańǵystaý oblysynyń", "mangystau"),
        ("Aqtóbede", "aktobe"),
        ("Atyraýǵa", "atyrau"),
        ("Semeıde", "abai"),
        ("Taldyqorǵannan", "jetisu"),
        ("Jezqazǵanda", "ulytau"),
        ("Soltústik Qazaqstan oblysy", "north-kazakhstan"),
        ("Shyǵys Qazaqstan", "east-kazakhstan"),
        ("ShQO-da", "east-kazakhstan"),
        ("BQO", "west-kazakhstan"),
        ("Elordada", "astana"),
        ("Baıqońyr aýdanynda", "astana"),
        ("Baıqońyr qalasynda", "kyzylorda"),
        ("Alataý aýdanynda", "almaty"),
        ("Almaty oblysynda", "almaty-region"),
        ("Qarağandı oblısında", "karaganda"),
        ("Türkistan", "turkestan"),
        ("Qaragandy oblysy", "karaganda"),
        # English names take Kazakh endings too
        ("Shymkentte", "shymkent"),
        ("Almatyda", "almaty"),
    ],
)
def test_kazakh_names_in_latin_letters(text: str, slug: str) -> None:
    assert slugs(text) == [slug]


def test_latin_spellings_keep_the_kind_of_their_name() -> None:
    kinds = {name.text: name.kind for name in GAZETTEER.names}
    assert kinds["Esil aýdany"] == "blocked"  # Есіл ауданы: Astana, Akmola or North Kazakhstan
    assert kinds["Abaı aýdany"] == "blocked"
    assert kinds["Abaı qalasy"] == "place"
    assert kinds["Aqsý"] == "weak"


def test_russian_names_get_no_latin_spelling() -> None:
    texts = {name.text.lower() for name in GAZETTEER.names}
    assert "karagandınskaıa oblast" not in texts
    assert not any(text.startswith(("raıon ", "po ")) for text in texts)
    assert "qr" not in texts  # ҚР, the republic's initials, would be every QR code


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Karaganda rgn", "karaganda"),
        ("Almaty rgn", "almaty-region"),
        ("Almaty obl.", "almaty-region"),
        ("Карагандинской обл.", "karaganda"),
        ("Қарағанды обл.", "karaganda"),
        ("Qaraǵandy obl.", "karaganda"),
        ("Алатау ауд.", "almaty"),
        ("ШҚО", "east-kazakhstan"),
        ("БҚО", "west-kazakhstan"),
        ("СҚО", "north-kazakhstan"),
        ("ЗКО", "west-kazakhstan"),
        ("ВКО", "east-kazakhstan"),
        ("СКО", "north-kazakhstan"),
        ("ЮКО", "turkestan"),
    ],
)
def test_abbreviations(text: str, slug: str) -> None:
    assert slugs(text) == [slug]


def initialled(text: str) -> list[str | None]:
    """The slugs of the initialled names a text's hits make (None where a hit makes none)."""
    pieces = GAZETTEER.pieces(text)
    hits = GAZETTEER.scan(pieces)
    return [
        name.slug if (name := GAZETTEER.initialled_name(hits, k, pieces)) else None
        for k, hit in enumerate(hits)
        if hit.name.text in GAZETTEER.initialled
    ]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("N Kazakhstan", "north-kazakhstan"),
        ("N. Kazakhstan rgn", "north-kazakhstan"),
        ("E Kazakhstan", "east-kazakhstan"),
        ("W Kazakhstan", "west-kazakhstan"),
        ("S Kazakhstan", "turkestan"),
    ],
)
def test_initials(text: str, slug: str) -> None:
    assert initialled(text) == [slug]


@pytest.mark.parametrize("text", ["n Kazakhstan", "Kazakhstan N", "Vitamin D Kazakhstan"])
def test_an_initial_needs_a_capital_right_before_the_name(text: str) -> None:
    assert initialled(text) == [None]


def test_an_initial_needs_a_name_after_it() -> None:
    with pytest.raises(ValueError, match="no name"):
        parse_gazetteer(MINIMAL.replace("Name of abai", "X Nowhere"))


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # taxonomy.md, rule 1 of "How stories are labelled", in its own spellings
        ("Kentau", "turkestan"),
        ("Zhetysai", "turkestan"),
        ("Semey", "abai"),
        ("Taldykorgan", "jetisu"),
        ("Konaev", "almaty-region"),
        ("Oskemen", "east-kazakhstan"),
        ("Ust-Kamenogorsk", "east-kazakhstan"),
        ("Petropavl", "north-kazakhstan"),
        ("Ekibastuz", "pavlodar"),
        ("Rudny", "kostanay"),
        ("Baikonur", "kyzylorda"),
        ("Toretam", "kyzylorda"),
        ("Satpayev city", "ulytau"),
        ("Zhezkazgan", "ulytau"),
        ("Saran", "karaganda"),
        ("Temirtau", "karaganda"),
        ("Balkhash", "karaganda"),
        ("town of Abai", "karaganda"),
        ("Oral", "west-kazakhstan"),
        ("Kokshetau", "akmola"),
        ("Burabay", "akmola"),
        ("Елорда", "astana"),
        ("Елордa", "astana"),  # a Latin a, as typed
        ("Alatau district", "almaty"),
        ("Almaty district", "astana"),
        ("Алматинский район", "astana"),
        ("Алматы ауданы", "astana"),
        ("Байқоңыр ауданы", "astana"),
        ("район Байконыр", "astana"),
        ("Сарыаркинский район", "astana"),
    ],
)
def test_taxonomy_places_are_in_the_gazetteer(text: str, slug: str) -> None:
    assert slugs(f"News from {text} today") == [slug]


def test_the_country_and_its_institutions_are_national() -> None:
    kinds = {name.text: (name.slug, name.kind) for name in GAZETTEER.names}
    assert kinds["nationwide"] == (NATIONAL, "national")
    assert kinds["Kazakhstan"] == (NATIONAL, "institution")
    assert kinds["Qazaqstan"] == (NATIONAL, "institution")


def test_national_names_a_user_may_type() -> None:
    assert "whole country" in GAZETTEER.national_aliases
    assert "бүкіл ел" in GAZETTEER.national_aliases


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
