"""deploy/grafana/newsdigest.json imports into Grafana and queries only metrics the bot exports.

Grafana is not run here: the test reads the JSON as Grafana's import does (schema version, the
datasource input, panel ids and places) and the PromQL as far as names and labels go.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DASHBOARD = Path(__file__).resolve().parents[1] / "deploy" / "grafana" / "newsdigest.json"

# Issue 18's metrics with their labels; a histogram also exports _bucket (le), _sum and _count.
METRICS: dict[str, frozenset[str]] = {
    "newsdigest_deliveries_total": frozenset({"status"}),
    "newsdigest_messages_sent_total": frozenset(),
    "newsdigest_telegram_errors_total": frozenset({"kind"}),
    "newsdigest_possible_repeats_total": frozenset(),
    "newsdigest_delivery_lag_seconds": frozenset(),
    "newsdigest_send_seconds": frozenset(),
    "newsdigest_digests_due": frozenset(),
    "newsdigest_chats": frozenset({"state"}),
    "newsdigest_source_polls_total": frozenset({"result"}),
    "newsdigest_articles_ingested_total": frozenset({"outcome"}),
    "newsdigest_sources": frozenset({"state"}),
    "newsdigest_updates_total": frozenset({"kind"}),
    "newsdigest_handler_errors_total": frozenset(),
    "newsdigest_alerts_sent_total": frozenset(),
}
HISTOGRAMS = ("newsdigest_delivery_lag_seconds", "newsdigest_send_seconds")
TARGET_LABELS = frozenset({"instance", "job"})  # added by Prometheus to every series
NAME = re.compile(r"\bnewsdigest_[a-z_]+\b")
GROUPING = re.compile(r"\bby\s*\(([^)]*)\)")


def _dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return loaded


def _queries(dashboard: dict[str, Any]) -> Iterator[str]:
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            yield target["expr"]
    for variable in dashboard["templating"]["list"]:
        yield variable["definition"]


def _metric(name: str) -> tuple[str, frozenset[str]]:
    """The exported metric a series name belongs to, and the labels that series has."""
    for histogram in HISTOGRAMS:
        if name == f"{histogram}_bucket":
            return histogram, frozenset({"le"})
        if name in (f"{histogram}_sum", f"{histogram}_count"):
            return histogram, frozenset()
    return name, METRICS.get(name, frozenset())


def test_grafana_can_import_it() -> None:
    dashboard = _dashboard()
    assert dashboard["schemaVersion"] >= 36
    [source] = dashboard["__inputs"]
    assert (source["name"], source["type"], source["pluginId"]) == (
        "DS_PROMETHEUS",
        "datasource",
        "prometheus",
    )
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert {"h", "w", "x", "y"} <= set(panel["gridPos"])
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${DS_PROMETHEUS}"
            assert all(t["datasource"]["uid"] == "${DS_PROMETHEUS}" for t in panel["targets"])


@pytest.mark.parametrize("query", list(_queries(_dashboard())))
def test_every_query_uses_exported_metrics_and_their_labels(query: str) -> None:
    names = NAME.findall(query)
    assert names, f"no newsdigest metric in {query!r}"
    labels: set[str] = set(TARGET_LABELS)
    for name in names:
        metric, extra = _metric(name)
        assert metric in METRICS, f"{name} is not one of issue 18's metrics"
        labels |= METRICS[metric] | extra
    for grouping in GROUPING.findall(query):
        used = {label.strip() for label in grouping.split(",")}
        assert used <= labels, f"{query!r} groups by labels its metrics lack"
    assert query.count("(") == query.count(")") and query.count("{") == query.count("}")


def test_every_metric_is_on_the_dashboard() -> None:
    used = {_metric(name)[0] for query in _queries(_dashboard()) for name in NAME.findall(query)}
    assert used == set(METRICS)


def test_the_panels_the_operators_asked_for() -> None:
    queries = list(_queries(_dashboard()))

    def some(*parts: str) -> bool:
        return any(all(part in query for part in parts) for query in queries)

    assert some("by (status)", "rate(newsdigest_deliveries_total")
    assert some("histogram_quantile(0.95", "newsdigest_delivery_lag_seconds_bucket")
    assert some("by (kind)", "newsdigest_telegram_errors_total")
    assert some("by (state)", "newsdigest_sources")
    assert some("by (result)", "newsdigest_source_polls_total")
    assert some("by (outcome)", "increase(newsdigest_articles_ingested_total", "[1h]")
    assert some("newsdigest_digests_due")
    assert some("by (state)", "newsdigest_chats")
