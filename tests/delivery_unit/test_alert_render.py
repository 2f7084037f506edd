"""The alert message: when the event happens, in the reader's zone and language, and its link."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.delivery.alert_render import AlertFacts, render_alert
from bot.domain.telegram_html import visible_text
from bot.i18n import default_translator

ALMATY = ZoneInfo("Asia/Almaty")
START = datetime(2026, 12, 9, 5, 0, tzinfo=UTC)  # 10:00 local
END = datetime(2026, 12, 10, 13, 0, tzinfo=UTC)  # 18:00 local the next day


@pytest.mark.parametrize(
    ("language", "starts", "ends", "when"),
    [
        ("en", START, END, "🕒 9 December, 10:00 – 10 December, 18:00"),
        ("en", START, None, "🕒 from 9 December, 10:00"),
        ("ru", None, END, "🕒 до 10 декабря, 18:00"),
        ("kk", START, None, "🕒 басталуы: 9 желтоқсан, 10:00"),
        ("en", None, None, None),
    ],
)
def test_the_event_time_is_told_in_the_readers_zone(
    language: str, starts: datetime | None, ends: datetime | None, when: str | None
) -> None:
    facts = AlertFacts("road", "Road <closed>", "ulytau", starts, ends, "https://a.example.kz/x")
    texts = default_translator().bind(language)
    lines = visible_text(render_alert(facts, texts, language=language, zone=ALMATY)).splitlines()
    assert lines[0].startswith("🚧 ")
    assert lines[1] == "Road <closed>"
    assert (lines[2] if when else None) == when
    assert lines[-1].endswith("a.example.kz")


def test_an_alert_without_region_or_link_says_what_it_can() -> None:
    facts = AlertFacts("emergency", "Evacuation", None, None, None, "javascript:alert(1)")
    html = render_alert(facts, default_translator().bind("en"), language="en", zone=ALMATY)
    assert visible_text(html).splitlines() == ["🚨 Emergency", "Evacuation"]
    assert "javascript" not in html
