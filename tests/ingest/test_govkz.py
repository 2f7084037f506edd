"""gov.kz answers read into items: addresses, both answer shapes, refusals, the stated language,
the region of an akimat's release, and adding a gov.kz source."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.cli import build_parser
from bot.commands.common import load_tagger
from bot.domain.taxonomy import Language
from bot.ingest.errors import SourceError
from bot.ingest.govkz import (
    EMPTY,
    NOT_JSON,
    REFUSED,
    article_url,
    entity_slug,
    fetch_reason,
    news_url,
    read_news,
    story_key,
)
from bot.ingest.items import FeedItem
from bot.ingest.prepare import Rejection, prepare_items
from bot.ingest.source_parsing import PrepareContext, prepare_govkz
from bot.usecases.sources import SourceInputError, check_url, guess_kind
from storage.queries.articles import ArticleInput
from tests.ingest.govkz_api import HTML_PAGE, NO_PLACE_ID, RELEASE_IDS, TITLES, release_page

NOW = datetime(2025, 3, 12, 9, 0, tzinfo=UTC)
TAGGER = load_tagger()
CONTEXT = PrepareContext(
    site="gov.kz",
    source_id=None,
    now=NOW,
    default_language="en",
    zone_name="Asia/Almaty",
    max_items=200,
)


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://www.gov.kz/memleket/entities/karaganda", "karaganda"),
        ("https://www.gov.kz/memleket/entities/karaganda/press/news?lang=ru", "karaganda"),
        ("http://gov.kz/memleket/entities/Aqmola-Burabay/", "aqmola-burabay"),
        ("https://www.gov.kz/memleket/entities/pavlodar-karzhy?lang=kk", "pavlodar-karzhy"),
        ("  https://www.gov.kz/memleket/entities/sko#news ", "sko"),
        ("https://www.gov.kz/memleket/entities/", None),
        ("https://www.gov.kz/memleket/entities/bad_slug", None),
        ("https://www.gov.kz.example.com/memleket/entities/karaganda", None),
        ("https://example.kz/?u=https://www.gov.kz/memleket/entities/karaganda", None),
        ("https://www.gov.kz/memleket/entities/karaganda..%2f", None),
        ("bundled:enbekshi-qazaq-business-2025-01-13.txt", None),
    ],
)
def test_the_entity_comes_from_a_gov_kz_entity_address_only(url: str, slug: str | None) -> None:
    assert entity_slug(url) == slug


def test_addresses_of_the_api_and_of_a_release() -> None:
    assert news_url("http://127.0.0.1:8080/api/v1/public/content-manager/", "karaganda", "kk") == (
        "http://127.0.0.1:8080/api/v1/public/content-manager/news"
        "?sort-by=created_date:DESC&projects=eq:karaganda&page=1&size=20&lang=kk"
    )
    assert article_url("karaganda", "1187301", "en") == (
        "https://www.gov.kz/memleket/entities/karaganda/press/news/details/1187301?lang=en"
    )
    assert story_key("karaganda", "1187301") == "govkz:karaganda:1187301"


@pytest.mark.parametrize(
    ("fetched", "reason"),
    [
        ("fetch.http_401", REFUSED),
        ("fetch.http_403", REFUSED),
        ("fetch.http_429", "fetch.http_429"),
        ("fetch.timeout", "fetch.timeout"),
    ],
)
def test_a_refusal_by_status_is_named_as_such(fetched: str, reason: str) -> None:
    assert fetch_reason(fetched) == reason


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_both_answer_shapes_give_the_same_releases(language: Language) -> None:
    data = json.loads(release_page(language))
    releases = data["content"] if isinstance(data, dict) else data
    bare = json.dumps(releases).encode()
    paged = json.dumps({"content": releases, "totalElements": len(releases)}).encode()
    read_bare = read_news(bare, slug="pavlodar", language=language)
    assert read_bare == read_news(paged, slug="pavlodar", language=language)
    items, rejected, cut = read_bare
    assert (rejected, cut) == ([], 0)
    assert [item.story_key for item in items] == [f"govkz:pavlodar:{i}" for i in RELEASE_IDS]
    assert [item.url for item in items] == [
        f"https://www.gov.kz/memleket/entities/pavlodar/press/news/details/{i}?lang={language}"
        for i in RELEASE_IDS
    ]
    assert {item.language for item in items} == {language}
    assert items[0].title == TITLES[language]


def test_a_release_reads_as_plain_text_with_its_time_in_utc() -> None:
    items, _, _ = read_news(release_page("ru"), slug="pavlodar", language="ru")
    first, _, greening = items
    assert "<" not in first.body and "&nbsp;" not in first.body
    assert "пришли 14 человек." in first.body, "&nbsp; is a space"
    assert first.body.count("\n\n") == 1, "paragraphs stay apart, the image leaves nothing"
    # 12:05 in Almaty (UTC+5, no offset written) is publication; creation came earlier.
    assert first.published == datetime(2025, 3, 12, 7, 5, tzinfo=UTC)
    assert greening.title == "«Зелёный город»: в Павлодаре высадят 5 тысяч деревьев"
    assert greening.published == datetime(2025, 3, 11, 4, 0, tzinfo=UTC)
    assert "Новые бульвары" in greening.body


def test_an_empty_body_falls_back_to_the_short_description() -> None:
    items, _, _ = read_news(release_page("en"), slug="pavlodar", language="en")
    assert items[2].body.startswith("This spring 5,000 trees")
    assert items[2].title == "“Green city”: 5,000 trees to be planted in Pavlodar"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (HTML_PAGE, NOT_JSON),
        (b'{"error": "Unauthorized", "status": 401}', NOT_JSON),
        (b'{"content": null}', NOT_JSON),
        (b'"news"', NOT_JSON),
        (b"", NOT_JSON),
        (b"\xff\xfe\xfa not text", NOT_JSON),
        (b"[" * 100_000, NOT_JSON),
        (b"[]", EMPTY),
        (b'{"content": [], "totalElements": 0}', EMPTY),
    ],
)
def test_anything_but_a_list_of_releases_is_refused_with_one_reason(
    body: bytes, reason: str
) -> None:
    with pytest.raises(SourceError) as raised:
        read_news(body, slug="pavlodar", language="ru")
    assert raised.value.reason == reason


def test_unreadable_releases_are_rejected_by_position_and_the_rest_kept() -> None:
    good = {"id": 7, "title": "Аким встретился с фермерами", "body": "<p>Обсудили посевную.</p>"}
    body = json.dumps(
        [
            {"title": "без id"},
            {"id": True, "title": "id is a boolean"},
            {"id": -3, "title": "negative"},
            {"id": "12a", "title": "not digits"},
            "a string",
            good,
            {**good, "id": "8", "created_date": "вчера"},
        ]
    ).encode()
    items, rejected, _ = read_news(body, slug="aktobe", language="ru")
    assert [item.story_key for item in items] == ["govkz:aktobe:7", "govkz:aktobe:8"]
    assert items[1].published is None, "an unreadable date is no date"
    assert rejected == [Rejection(f"ru:{n}", "govkz.bad_item") for n in range(5)]


def test_a_runaway_answer_is_cut() -> None:
    body = json.dumps(
        [{"id": n, "title": f"Новость {n}", "body": "Текст."} for n in range(600)]
    ).encode()
    items, _, cut = read_news(body, slug="astana", language="ru")
    assert (len(items), cut) == (500, 100)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=20), inner),
    max_leaves=20,
)
RELEASE = st.fixed_dictionaries(
    {},
    optional={
        "id": st.integers(-5, 10**21) | st.text(max_size=25),
        "title": st.text() | st.integers(),
        "body": st.text() | st.none(),
        "short_description": st.text(),
        "created_date": st.text(max_size=40) | st.integers(),
        "publication_date": st.text(max_size=40),
    },
)


@given(st.one_of(JSON, st.lists(RELEASE | JSON, max_size=5)).map(lambda v: {"content": v}) | JSON)
@example({"content": [{"id": 1, "created_date": "9999-12-31T23:59:59"}]})
@example([{"id": 1, "publication_date": "0001-01-01T00:00:00"}])
def test_any_json_gives_items_or_one_reason(value: object) -> None:
    """Whatever the API answers, reading ends in items or a SourceError, never a crash."""
    try:
        items, rejected, _ = read_news(json.dumps(value).encode(), slug="abai", language="kk")
    except SourceError as error:
        assert error.reason in (NOT_JSON, EMPTY)
        return
    for item in items:
        assert item.url is not None and item.url.startswith("https://www.gov.kz/memleket/")
        assert item.published is None or item.published.tzinfo is UTC
    assert all(rejection.reason == "govkz.bad_item" for rejection in rejected)


def _prepared(items: list[FeedItem]) -> list[ArticleInput]:
    results = list(
        prepare_items(items, site="gov.kz", tagger=TAGGER, now=NOW, default_language="en")
    )
    assert all(isinstance(result, ArticleInput) for result in results)
    return [result for result in results if isinstance(result, ArticleInput)]


def test_the_stated_language_outranks_detection_unless_the_script_says_otherwise() -> None:
    russian = "Аким области провёл совещание по подготовке к посевной кампании в районах."
    kazakh = "Облыс әкімі аудандарда көктемгі егіс науқанына дайындық бойынша кеңес өткізді."
    english = "The akim of the region held a meeting on the spring sowing campaign in districts."
    cases: list[tuple[str, Language | None, Language]] = [
        (russian, "kk", "kk"),  # a Kazakh page quoting Russian: the label wins the close vote
        (kazakh, "ru", "ru"),
        (russian, "en", "ru"),  # Cyrillic is not English, whatever the label
        (kazakh, "en", "kk"),
        (english, "ru", "en"),  # Latin is not Russian
        (english, "kk", "kk"),  # Kazakh may be written in Latin letters
        (russian, None, "ru"),
    ]
    items = [
        FeedItem(text, text, f"https://www.gov.kz/x/{n}", NOW, language=stated)
        for n, (text, stated, _) in enumerate(cases)
    ]
    assert [row.language for row in _prepared(items)] == [want for _, _, want in cases]


def test_an_akimat_release_naming_no_place_is_the_akimat_s_region() -> None:
    for language in ("ru", "kk", "en"):
        prepared = prepare_govkz(
            release_page(language), slug="pavlodar", language=language, context=CONTEXT
        )
        [row] = [r for r in prepared.inputs if r.story_key == f"govkz:pavlodar:{NO_PLACE_ID}"]
        assert row.regions == ("pavlodar",), language
        assert (row.language, row.site_name) == (language, "gov.kz")
        # The same text published elsewhere names no region: the entity's address decides.
        item = read_news(release_page(language), slug="pavlodar", language=language)[0][0]
        [elsewhere] = _prepared([FeedItem(item.title, item.body, "https://news.kz/1", NOW)])
        assert elsewhere.regions == ("national",), language


def test_a_gov_kz_entity_address_is_guessed_and_stored_in_one_spelling(tmp_path: Path) -> None:
    url = "https://www.gov.kz/memleket/entities/Karaganda/press/news?lang=ru"
    assert guess_kind(url) == "govkz"
    stored = check_url(url, "govkz", local_files_allowed=False, seed_dir=tmp_path)
    assert stored == "https://www.gov.kz/memleket/entities/karaganda"
    assert guess_kind("https://www.gov.kz/memleket/entities/") == "listing"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.kz/rss",
        "https://www.gov.kz/memleket/entities/",
        "bundled:enbekshi-qazaq-business-2025-01-13.txt",
        "https://www.gov.kz/memleket/entities/karaganda?" + "x" * 3000,
    ],
)
def test_a_govkz_source_must_be_a_gov_kz_entity(url: str, tmp_path: Path) -> None:
    with pytest.raises(SourceInputError) as raised:
        check_url(url, "govkz", local_files_allowed=True, seed_dir=tmp_path)
    assert raised.value.key == "sources.govkz_address"


def test_the_command_line_offers_the_govkz_kind() -> None:
    url = "https://www.gov.kz/memleket/entities/karaganda"
    arguments = build_parser().parse_args(["sources", "add", url, "--kind", "govkz"])
    assert (arguments.url, arguments.kind) == (url, "govkz")
