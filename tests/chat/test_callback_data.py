"""The callback-data codec: round trips, the 64-byte limit, and refusal of forged data."""

from __future__ import annotations

import typing
import zoneinfo
from datetime import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.chat import actions
from bot.chat.callback_data import (
    MAX_BYTES,
    Action,
    AnswerSourceOffer,
    AnswerStop,
    CallbackTooLong,
    ChooseFrequency,
    ChooseLanguage,
    ChooseTime,
    ChooseZone,
    ForgedCallback,
    Noop,
    Onboarding,
    OpenSettings,
    OutdatedCallback,
    RemoveSubscription,
    ShowPage,
    SwitchAlerts,
    ToggleRegion,
    ToggleTopic,
    pack,
    unpack,
)
from bot.domain.taxonomy import LANGUAGES, REGION_SLUGS, TOPIC_SLUGS
from bot.domain.timezones import SUGGESTED_ZONES

PAGES = st.integers(0, actions.MAX_PAGE)
OFFER_IDS = st.from_regex(actions.OFFER_ID, fullmatch=True)
ZONES = st.sampled_from(
    sorted(zoneinfo.available_timezones() - {"Factory", "localtime", "posixrules"})
)

BY_TYPE: dict[type, st.SearchStrategy[Action]] = {
    SwitchAlerts: st.builds(SwitchAlerts, st.booleans()),
    ChooseLanguage: st.builds(ChooseLanguage, st.sampled_from(LANGUAGES)),
    ToggleRegion: st.builds(ToggleRegion, st.sampled_from(REGION_SLUGS), PAGES),
    ToggleTopic: st.builds(ToggleTopic, st.sampled_from(TOPIC_SLUGS), PAGES),
    ShowPage: st.builds(ShowPage, st.sampled_from(typing.get_args(actions.Keyboard)), PAGES),
    Onboarding: st.builds(
        Onboarding,
        st.sampled_from(typing.get_args(actions.OnboardingStep)),
        st.sampled_from(typing.get_args(actions.Move)),
    ),
    ChooseTime: st.builds(ChooseTime, st.builds(time, st.integers(0, 23), st.integers(0, 59))),
    ChooseFrequency: st.one_of(
        st.builds(ChooseFrequency, st.sampled_from(["daily", "weekdays", "off"])),
        st.builds(ChooseFrequency, st.just("weekly"), st.integers(0, 6)),
    ),
    ChooseZone: st.builds(ChooseZone, ZONES),
    RemoveSubscription: st.builds(RemoveSubscription, st.integers(1, actions.MAX_ID)),
    AnswerStop: st.builds(AnswerStop, st.booleans()),
    OpenSettings: st.builds(OpenSettings, st.sampled_from(typing.get_args(actions.SettingsItem))),
    AnswerSourceOffer: st.one_of(
        st.builds(
            AnswerSourceOffer, OFFER_IDS, st.just("feed"), st.integers(0, actions.MAX_OFFERED - 1)
        ),
        st.builds(AnswerSourceOffer, OFFER_IDS, st.sampled_from(["listing", "cancel"])),
    ),
    Noop: st.just(Noop()),
}
ACTIONS = st.one_of(*BY_TYPE.values())


def test_the_strategy_covers_every_action() -> None:
    assert set(BY_TYPE) == set(typing.get_args(Action))


@pytest.mark.parametrize(
    ("action", "data"),
    [
        (ChooseLanguage("ru"), "1|L|ru"),
        (ToggleRegion("almaty-region", 3), "1|R|almaty-region|3"),
        (ToggleTopic("economy"), "1|T|economy|0"),
        (ShowPage("regions", 2), "1|P|regions|2"),
        (Onboarding("topics", "back"), "1|O|topics|back"),
        (ChooseTime(time(8, 5)), "1|H|08:05"),
        (ChooseFrequency("weekdays"), "1|F|weekdays"),
        (ChooseFrequency("weekly", 6), "1|F|weekly|6"),
        (ChooseZone("America/New_York"), "1|Z|America/New_York"),
        (RemoveSubscription(117), "1|X|117"),
        (AnswerStop(True), "1|S|yes"),
        (AnswerStop(False), "1|S|no"),
        (OpenSettings("language"), "1|M|language"),
        (SwitchAlerts(True), "1|A|on"),
        (SwitchAlerts(False), "1|A|off"),
        (Noop(), "1|N"),
    ],
)
def test_encodings(action: Action, data: str) -> None:
    assert pack(action) == data
    assert unpack(data) == action


@given(ACTIONS)
def test_round_trip_within_64_bytes(action: Action) -> None:
    data = pack(action)
    assert len(data.encode("utf-8")) <= MAX_BYTES
    assert unpack(data) == action


def test_the_longest_zone_name_fits() -> None:
    assert len(pack(ChooseZone("America/Argentina/ComodRivadavia"))) <= MAX_BYTES
    for zone in SUGGESTED_ZONES:
        assert unpack(pack(ChooseZone(zone))) == ChooseZone(zone)


@pytest.mark.parametrize(
    "data",
    [
        None,
        17,
        b"1|L|ru",
        "",
        "|",
        "1",
        "1|",
        "L|ru",
        "v1|L|ru",
        "1|L|de",
        "1|L|RU",
        "1|L|ru|",
        "1|L|ru|extra",
        " 1|L|ru",
        "1|R|mordor|0",
        "1|R|almaty|00",
        "1|R|almaty|-1",
        "1|R|almaty|+1",
        "1|R|almaty|1_0",
        "1|R|almaty|100",
        "1|R|economy|0",  # a topic is not a region
        "1|T|almaty|0",
        "1|P|cities|0",
        "1|O|payment|next",
        "1|O|topics|jump",
        "1|H|24:00",
        "1|H|8:05",
        "1|H|0805",
        "1|H|08:05:00",
        "1|F|daily|0",
        "1|F|weekly",
        "1|F|weekly|7",
        "1|F|hourly",
        "1|Z|asia/almaty",
        "1|Z|../../etc/passwd",
        "1|Z|Factory",
        "1|X|0",
        "1|X|-5",
        "1|X|9223372036854775808",
        "1|X|١٢",  # Arabic-Indic digits
        "1|S|maybe",
        "1|S|",
        "1|M|billing",
        "1|N|",
        "1|Q|x",
        "1|L|ru" + " " * 60,
        "1|R|almaty\x00|0",
    ],
)
def test_forged_data_is_refused(data: object) -> None:
    with pytest.raises(ForgedCallback) as refused:
        unpack(data)
    assert type(refused.value) is ForgedCallback
    assert refused.value.key == "callback.forged"


@pytest.mark.parametrize("data", ["0|L|ru", "2|L|ru", "0|anything at all", "7|"])
def test_buttons_of_other_schema_versions_are_outdated(data: str) -> None:
    with pytest.raises(OutdatedCallback) as refused:
        unpack(data)
    assert refused.value.key == "callback.outdated"
    assert isinstance(refused.value, ForgedCallback)  # one except clause catches both


@given(st.one_of(st.text(max_size=80), st.binary(max_size=70), st.none(), st.integers()))
@example("1|R|almaty|0\n")
@example("1|H|" + "9" * 60)
def test_unpack_raises_only_forged_callback(data: object) -> None:
    try:
        action = unpack(data)
    except ForgedCallback:
        return
    assert pack(action) == data  # anything accepted is the canonical spelling


@given(ACTIONS, st.data())
def test_any_one_character_edit_is_refused_or_canonical(
    action: Action, data: st.DataObject
) -> None:
    packed = pack(action)
    at = data.draw(st.integers(0, len(packed)))
    edit = data.draw(st.sampled_from(["insert", "delete", "replace"]))
    char = data.draw(st.characters(codec="ascii"))
    if edit == "insert":
        edited = packed[:at] + char + packed[at:]
    elif edit == "delete":
        edited = packed[:at] + packed[at + 1 :]
    else:
        edited = packed[:at] + char + packed[at + 1 :]
    try:
        accepted = unpack(edited)
    except ForgedCallback:
        return
    assert pack(accepted) == edited


@pytest.mark.parametrize(
    "build",
    [
        lambda: ChooseLanguage("de"),  # type: ignore[arg-type]
        lambda: ToggleRegion("mordor"),
        lambda: ToggleTopic("economy", 100),
        lambda: ShowPage("regions", -1),
        lambda: ChooseTime(time(8, 5, 30)),
        lambda: ChooseFrequency("weekly"),
        lambda: ChooseFrequency("daily", 2),
        lambda: ChooseZone("asia/almaty"),
        lambda: RemoveSubscription(0),
        lambda: OpenSettings("billing"),  # type: ignore[arg-type]
    ],
)
def test_invalid_actions_cannot_be_built(build: typing.Callable[[], Action]) -> None:
    with pytest.raises(ValueError):
        build()


def test_pack_refuses_more_than_64_bytes() -> None:
    """No valid action is that long; one with a smuggled-in value shows the guard works."""
    action = ChooseZone("Asia/Almaty")
    object.__setattr__(action, "zone", "Ж" * 40)  # 80 bytes in UTF-8
    with pytest.raises(CallbackTooLong):
        pack(action)
