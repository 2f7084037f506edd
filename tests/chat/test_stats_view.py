"""What /stats shows, without Telegram: the text in every language, the chart, the hours."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.chat.stats_view import chart_caption, chart_labels, render_chart, stats_text
from bot.domain.taxonomy import LANGUAGES, REGION_SLUGS
from bot.domain.telegram_html import utf16_len, visible_text
from bot.i18n import default_translator
from bot.usecases.operator_stats import (
    Hour,
    Hours,
    LagSummary,
    LastDay,
    by_hour,
    hour_starts,
    summarise_lags,
)
from storage.queries.stats import ChatStates, FinishedDelivery, Lag, SourceStates

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2025, 1, 14, 6, 30, tzinfo=UTC)  # 11:30 in Almaty


def _busy_day(language: str) -> LastDay:
    """Large figures and every region subscribed: the longest reply there can be."""
    return LastDay(
        language=language,
        chats=ChatStates(active=123_456, paused=7_890, blocked=4_321),
        subscriptions_per_region=[(slug, 99_999) for slug in REGION_SLUGS],
        digests_due=1_234,
        sent=123_456,
        empty=12_345,
        failed=1_234,
        messages_sent=456_789,
        possible_repeats=12,
        lag=LagSummary(count=123_456, average=12.4, p95=61.6, worst=3_599.5),
        sources=SourceStates(healthy=60, failing=1, paused=1),
        articles=98_765,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reply_fits_one_message_in_every_language(language: str) -> None:
    text = stats_text(default_translator().bind(language), _busy_day(language))
    shown = visible_text(text)
    assert utf16_len(shown) < 4096
    assert "123456" in shown and "3600" in shown and "98765" in shown


def _hours() -> list[Hour]:
    starts = hour_starts(NOW, ALMATY)
    return [
        Hour(start, sent=i % 5, empty=i % 2, failed=int(i % 7 == 0), lag_average=i * 3.0 or None)
        for i, start in enumerate(starts)
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chart_is_a_small_png_in_every_language(language: str) -> None:
    # A glyph the font lacks would warn, and warnings are errors here.
    png = render_chart(_hours(), chart_labels(default_translator().bind(language), "Asia/Almaty"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (800, 400)
    assert 5_000 < len(png) < 100_000


def test_a_chart_of_a_quiet_day_is_drawn_too() -> None:
    quiet = [Hour(start) for start in hour_starts(NOW, ALMATY)]
    png = render_chart(quiet, chart_labels(default_translator().bind("en"), "Asia/Almaty"))
    assert png.startswith(b"\x89PNG")


def test_the_caption_names_the_hours_and_the_totals() -> None:
    found = Hours("ru", _hours(), "Asia/Almaty")
    caption = chart_caption(default_translator().bind("ru"), found)
    sent = sum(hour.sent for hour in found.hours)
    assert caption == (
        "Доставки и задержка по часам за 24 часа до 12:00 (Asia/Almaty): "
        f"отправлено {sent}, ошибок 4."
    )


def test_the_hours_end_with_the_current_local_hour() -> None:
    starts = hour_starts(NOW, ALMATY)
    assert len(starts) == 24
    assert starts[-1] == datetime(2025, 1, 14, 11, 0, tzinfo=ALMATY)
    assert starts[0] == datetime(2025, 1, 13, 12, 0, tzinfo=ALMATY)


def test_a_daylight_saving_day_has_24_real_hours() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # 30 March 2025: 02:00 does not exist
    starts = hour_starts(datetime(2025, 3, 30, 10, 15, tzinfo=UTC), berlin)
    gaps = {b.astimezone(UTC) - a.astimezone(UTC) for a, b in pairwise(starts)}
    assert gaps == {timedelta(hours=1)}
    assert [s.hour for s in starts[-11:]] == [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]


def test_hours_follow_a_half_hour_zone() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+05:30
    starts = hour_starts(NOW, kolkata)
    assert starts[-1] == datetime(2025, 1, 14, 12, 0, tzinfo=kolkata)
    assert all(start.minute == 0 for start in starts)


def test_deliveries_and_lags_fall_into_their_hours() -> None:
    starts = hour_starts(NOW, ALMATY)
    top = starts[-1].astimezone(UTC)

    def done(at: datetime, status: str) -> FinishedDelivery:
        return FinishedDelivery(at, status, messages=1, possible_repeats=0)

    finished = [
        done(top, "sent"),  # on the hour: the hour it starts
        done(top - timedelta(seconds=1), "failed"),  # the hour before
        done(top + timedelta(minutes=30), "empty"),
        done(starts[0].astimezone(UTC) - timedelta(seconds=1), "sent"),  # before the chart
    ]
    lags = [Lag(top, 10.0), Lag(top + timedelta(minutes=5), 20.0)]
    hours = by_hour(starts, finished, lags)
    assert (hours[-1].sent, hours[-1].empty, hours[-1].failed) == (1, 1, 0)
    assert (hours[-2].sent, hours[-2].failed) == (0, 1)
    assert hours[-1].lag_average == 15.0 and hours[-2].lag_average is None
    assert sum(hour.sent for hour in hours) == 1


def test_lag_summary() -> None:
    assert summarise_lags([]) == LagSummary()
    summary = summarise_lags([float(n) for n in range(100, 0, -1)])
    assert (summary.count, summary.average, summary.p95, summary.worst) == (100, 50.5, 95.0, 100.0)
    assert summarise_lags([3.0]) == LagSummary(1, 3.0, 3.0, 3.0)
    assert summarise_lags([float(n) for n in range(1, 21)]).p95 == 19.0
