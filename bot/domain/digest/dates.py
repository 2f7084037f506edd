"""Long dates in the chat's language: 13 January 2025 / 13 января 2025 / 2025 жылғы 13 қаңтар."""

from __future__ import annotations

from datetime import date

from bot.domain.digest.model import Texts
from bot.domain.telegram_html import Html


def format_date(day: date, texts: Texts) -> Html:
    """A calendar date in long form; the month names and word order come from the catalogue."""
    month = Html(texts(f"date.month.{day.month}"))
    return Html(texts("date.full", day=day.day, month=month, year=day.year))
