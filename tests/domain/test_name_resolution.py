"""Resolving what a user types after /subscribe, and /start deep-link payloads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.name_resolution import (
    Target,
    edit_distance,
    parse_deep_link_payload,
    resolve_name,
    skeleton,
)
from bot.domain.taxonomy import NATIONAL, REGION_NAMES, TOPIC_NAMES
from bot.reference_data import load_gazetteer

GAZETTEER = load_gazetteer()


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("караганда", "karaganda"),
        ("Караганда", "karaganda"),
        ("Qaraghandy", "karaganda"),
        ("karagandy", "karaganda"),
        ("KARAGANDA", "karaganda"),
        ("Карагандинская область", "karaganda"),
        ("Карагандинской области", "karaganda"),
        ("Қарағанды облысы", "karaganda"),
        ("түркістан", "turkestan"),
        ("Turkestan", "turkestan"),
        ("Almaty", "almaty"),
        ("Алматы", "almaty"),
        ("г. Алматы", "almaty"),
        ("Almaty region", "almaty-region"),
        ("Алматы облысы", "almaty-region"),
        ("Алматинская область", "almaty-region"),
        ("Konaev", "almaty-region"),
        ("Astana", "astana"),
        ("Нур-Султан", "astana"),
        ("Akmola", "akmola"),
        ("Kokshetau", "akmola"),
        ("в Шымкенте", "shymkent"),
        ("Chimkent", "shymkent"),
        ("Temirtau", "karaganda"),
        ("Oral", "west-kazakhstan"),
        ("Уральск", "west-kazakhstan"),
        ("ЗКО", "west-kazakhstan"),
        ("ВКО", "east-kazakhstan"),
        ("Ust-Kamenogorsk", "east-kazakhstan"),
        ("Өскемен", "east-kazakhstan"),
        ("Semey", "abai"),
        ("Абай облысы", "abai"),
        ("Jetisu", "jetisu"),
        ("Жетысу", "jetisu"),
        ("Zhezkazgan", "ulytau"),
        ("Taraz", "jambyl"),
        ("Aktau", "mangystau"),
        ("Petropavl", "north-kazakhstan"),
        ("almaty-region", "almaty-region"),
        ("east-kazakhstan", "east-kazakhstan"),
        ("national", NATIONAL),
        ("Вся страна", NATIONAL),
        ("бүкіл ел", NATIONAL),
        ("Kazakhstan", NATIONAL),
    ],
)
def test_region_names(typed: str, slug: str) -> None:
    resolution = resolve_name(GAZETTEER, typed)
    assert (resolution.kind, resolution.slug) == ("region", slug)


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("transport", "transport"),
        ("Транспорт", "transport"),
        ("көлік", "transport"),
        ("сельское хозяйство", "agriculture"),
        ("Ауыл шаруашылығы", "agriculture"),
        ("ЖКХ", "utilities"),
        ("schools", "education"),
        ("sport", "culture"),
        ("Цифровизация", "digital"),
    ],
)
def test_topic_names(typed: str, slug: str) -> None:
    resolution = resolve_name(GAZETTEER, typed)
    assert (resolution.kind, resolution.slug) == ("topic", slug)


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Karagnda", "karaganda"),
        ("Karaganada", "karaganda"),
        ("Pavlodr", "pavlodar"),
        ("Shymkemt", "shymkent"),
        ("Kizilorda", "kyzylorda"),
        ("Almaty regoin", "almaty-region"),
        ("educaton", "education"),
        ("helth", "health"),
        ("Турекстан", "turkestan"),
    ],
)
def test_small_typos(typed: str, slug: str) -> None:
    assert resolve_name(GAZETTEER, typed).slug == slug


@pytest.mark.parametrize("typed", ["", "   ", "xyzzy plugh", "Mars", "Nura district", "???"])
def test_unknown_names_resolve_to_nothing(typed: str) -> None:
    resolution = resolve_name(GAZETTEER, typed)
    assert resolution.target is None
    assert resolution.kind is None
    assert len(resolution.suggestions) <= 3


def test_unknown_names_get_close_suggestions() -> None:
    resolution = resolve_name(GAZETTEER, "Karagandaxyz")
    assert resolution.slug is None
    assert Target("region", "karaganda") in resolution.suggestions
    short = resolve_name(GAZETTEER, "Aktb")
    assert short.slug is None
    assert Target("region", "aktobe") in short.suggestions


def test_ambiguous_prefix_is_not_guessed() -> None:
    resolution = resolve_name(GAZETTEER, "Almaty reg")
    assert resolution.slug in (None, "almaty-region")


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("karaganda_transport", [Target("region", "karaganda"), Target("topic", "transport")]),
        ("almaty-region", [Target("region", "almaty-region")]),
        ("national_health_health", [Target("region", NATIONAL), Target("topic", "health")]),
        ("KARAGANDA", [Target("region", "karaganda")]),
        ("karaganda_mars", [Target("region", "karaganda")]),
        ("", []),
        ("karaganda transport", []),
    ],
)
def test_deep_link_payloads(payload: str, expected: list[Target]) -> None:
    assert parse_deep_link_payload(GAZETTEER, payload) == expected


@pytest.mark.parametrize(("slug", "names"), sorted(REGION_NAMES.items()))
def test_every_region_display_name_resolves(slug: str, names: tuple[str, ...]) -> None:
    for text in (slug, *names):
        assert resolve_name(GAZETTEER, text).target == Target("region", slug), text
        assert resolve_name(GAZETTEER, text.upper()).target == Target("region", slug), text


@pytest.mark.parametrize(("slug", "names"), sorted(TOPIC_NAMES.items()))
def test_every_topic_display_name_resolves(slug: str, names: tuple[str, ...]) -> None:
    for text in (slug, *names):
        assert resolve_name(GAZETTEER, text).target == Target("topic", slug), text


def test_every_gazetteer_region_name_resolves() -> None:
    for name in GAZETTEER.names:
        if name.kind == "region" and name.slug is not None:
            assert resolve_name(GAZETTEER, name.text).slug == name.slug, name.text


def test_transliterations_share_a_skeleton() -> None:
    assert skeleton("Qaraghandy") == skeleton("Karagandy") == skeleton("Қарағанды")
    assert skeleton("Zhetysu") == skeleton("Jetysu") == skeleton("Жетысу")
    assert skeleton("Kostanai") == skeleton("Kostanay") == skeleton("Қостанай")


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "", 0), ("abc", "", 3), ("karaganda", "karagnada", 1), ("kitten", "sitting", 3)],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance


@given(st.text(max_size=12), st.text(max_size=12))
def test_edit_distance_is_a_symmetric_bound(a: str, b: str) -> None:
    assert edit_distance(a, b) == edit_distance(b, a)
    assert abs(len(a) - len(b)) <= edit_distance(a, b) <= max(len(a), len(b))
    assert (edit_distance(a, b) == 0) == (a == b)


@given(st.text(max_size=40))
def test_resolution_never_raises_and_names_real_slugs(text: str) -> None:
    resolution = resolve_name(GAZETTEER, text)
    for target in (*([resolution.target] if resolution.target else []), *resolution.suggestions):
        known = set(REGION_NAMES) if target.kind == "region" else set(TOPIC_NAMES)
        assert target.slug in known
    assert len(resolution.suggestions) <= 3
