"""What /stats shows: the last 24 hours as one message, and per hour as a small PNG chart.

The chart is a pure function of the figures and the translated labels; matplotlib is imported
when the first chart is drawn, so starting the bot does not pay for it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

from bot.domain.taxonomy import region_name
from bot.domain.telegram_html import Html, visible_text
from bot.i18n import BoundTranslator
from bot.usecases.operator_stats import HOUR, Hour, Hours, LastDay
from storage.queries.deliveries import FINISHED

WIDTH_INCHES, HEIGHT_INCHES, DPI = 8.0, 4.0, 100  # 800 × 400 pixels: a few tens of KB
COLOURS = {"sent": "#2e7d32", "empty": "#9e9e9e", "failed": "#c62828", "lag": "#1565c0"}


def stats_text(texts: BoundTranslator, day: LastDay) -> Html:
    """/stats: states now and counts over the last 24 hours, in the operator's language."""
    per_region = day.subscriptions_per_region
    regions = ", ".join(f"{region_name(slug, texts.language)} {n}" for slug, n in per_region)
    return texts(
        "stats.text",
        chats=day.chats.total,
        active=day.chats.active,
        paused=day.chats.paused,
        blocked=day.chats.blocked,
        regions=regions or "—",
        sent=day.sent,
        empty=day.empty,
        failed=day.failed,
        messages=day.messages_sent,
        repeats=day.possible_repeats,
        due=day.digests_due,
        lag_average=round(day.lag.average),
        lag_p95=round(day.lag.p95),
        lag_max=round(day.lag.worst),
        healthy=day.sources.healthy,
        failing=day.sources.failing,
        sources_paused=day.sources.paused,
        articles=day.articles,
    )


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """The chart's words as plain text (matplotlib draws them, Telegram never parses them)."""

    title: str
    hour: str
    deliveries: str
    lag: str
    sent: str
    empty: str
    failed: str


def chart_labels(texts: BoundTranslator, zone: str) -> ChartLabels:
    """The catalogue's `stats.chart_*` words, unescaped for drawing."""

    def plain(key: str, **params: object) -> str:
        return visible_text(texts(f"stats.chart_{key}", **params))

    return ChartLabels(
        title=plain("title"),
        hour=plain("hour", zone=zone),
        deliveries=plain("deliveries"),
        lag=plain("lag"),
        sent=plain("sent"),
        empty=plain("empty"),
        failed=plain("failed"),
    )


def chart_caption(texts: BoundTranslator, found: Hours) -> Html:
    """A line under the picture: which hours it covers and the totals in them."""
    last = found.hours[-1].start
    end = (last.astimezone(UTC) + HOUR).astimezone(last.tzinfo)  # in real time, DST or not
    return texts(
        "stats.chart_caption",
        last=end.strftime("%H:%M"),
        zone=found.zone,
        sent=sum(hour.sent for hour in found.hours),
        failed=sum(hour.failed for hour in found.hours),
    )


def render_chart(hours: Sequence[Hour], labels: ChartLabels) -> bytes:
    """A PNG: digests finished per hour as stacked bars by status, their average lag as a line."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    bars = figure.add_subplot()
    slots = list(range(len(hours)))
    bottom = [0] * len(hours)
    for status in FINISHED:
        counts = [getattr(hour, status) for hour in hours]
        label = getattr(labels, status)
        bars.bar(slots, counts, bottom=bottom, color=COLOURS[status], label=label, width=0.8)
        bottom = [below + count for below, count in zip(bottom, counts, strict=True)]
    bars.set_title(labels.title)
    bars.set_xlabel(labels.hour)
    bars.set_ylabel(labels.deliveries)
    bars.set_ylim(bottom=0, top=max([*bottom, 1]) * 1.15)
    bars.yaxis.set_major_locator(MaxNLocator(integer=True))
    bars.set_xticks(slots[::2], [hours[i].start.strftime("%H") for i in slots[::2]])
    lag = bars.twinx()
    lags = [math.nan if hour.lag_average is None else hour.lag_average for hour in hours]
    lag.plot(slots, lags, color=COLOURS["lag"], marker="o", markersize=3, label=labels.lag)
    lag.set_ylabel(labels.lag)
    lag.set_ylim(bottom=0, top=max([x for x in lags if not math.isnan(x)] + [1.0]) * 1.15)
    handles, names = bars.get_legend_handles_labels()
    more, more_names = lag.get_legend_handles_labels()
    bars.legend(handles + more, names + more_names, loc="upper left", fontsize="small")
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)  # attaches itself: the PNG is drawn by Agg, with no GUI backend
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
