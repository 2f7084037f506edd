"""An urgent alert as one short Telegram HTML message: what, where, when, and the source's link.

Pure: the article's facts, the chat's language texts and time zone in, HTML out. Rendered once
when the alert is claimed, so a retry after a crash sends exactly the same text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot.domain.alerts import CATEGORY_EMOJI
from bot.domain.digest import Texts
from bot.domain.digest.text import one_line, safe_href, shorten, site_label
from bot.domain.taxonomy import region_name
from bot.domain.telegram_html import Html, escape, link

TITLE_UNITS: Final = 300


@dataclass(frozen=True, slots=True)
class AlertFacts:
    """What an alert says: the category, the version's title and main region, the event's
    times when the text gives them (aware UTC), and where to read it."""

    category: str
    title: str
    region: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    url: str | None


def render_alert(facts: AlertFacts, texts: Texts, *, language: str, zone: ZoneInfo) -> Html:
    """Header (sign, category, place), the title, when, and a link to the article's source."""
    place = region_name(facts.region, language) if facts.region else ""
    header = texts(
        "alert.header",
        emoji=CATEGORY_EMOJI.get(facts.category, "❗"),
        category=Html(texts(f"alert.category.{facts.category}")),
        place=place,
    )
    lines = [header.removesuffix(" · ") if not place else header]
    title = shorten(one_line(facts.title), TITLE_UNITS)
    if title:
        lines.append(f"<b>{escape(title)}</b>")
    when = event_time(facts.starts_at, facts.ends_at, texts, zone)
    if when:
        lines.append(when)
    href = safe_href(facts.url)
    if href:
        lines.append(texts("alert.more", link=link(href, site_label(href) or href)))
    return Html("\n".join(lines))


def event_time(start: datetime | None, end: datetime | None, texts: Texts, zone: ZoneInfo) -> str:
    """The event's time in the chat's zone: one day's span, a range, or only one side ("" when
    the text gave none); an alert and /why say it alike."""
    if start is not None and end is not None:
        first, last = start.astimezone(zone), end.astimezone(zone)
        if _midnight(first) and _midnight(last) and last - first == timedelta(days=1):
            return texts("alert.when_day", day=_day(first, texts))  # the text named a day
        if first.date() == last.date():
            return texts(
                "alert.when_span",
                day=_day(first, texts),
                start=f"{first:%H:%M}",
                end=f"{last:%H:%M}",
            )
        return texts("alert.when_range", start=_moment(first, texts), end=_moment(last, texts))
    if start is not None:
        return texts("alert.when_from", start=_moment(start.astimezone(zone), texts))
    if end is not None:
        return texts("alert.when_until", end=_moment(end.astimezone(zone), texts))
    return ""


def _midnight(local: datetime) -> bool:
    return (local.hour, local.minute) == (0, 0)


def _moment(local: datetime, texts: Texts) -> Html:
    return Html(texts("alert.moment", day=_day(local, texts), time=f"{local:%H:%M}"))


def _day(local: datetime, texts: Texts) -> Html:
    month = Html(texts(f"date.month.{local.month}"))
    return Html(texts("alert.day", day=local.day, month=month))
