"""Reading the process's own registry before and after an event: tests compare deltas, so
they may share the registry with every other test in the run."""

from __future__ import annotations

from bot.metrics.registry import METRICS


class Reading:
    """Sample values of the process's registry, to compare before and after."""

    def __init__(self) -> None:
        self.values = {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in METRICS.registry.collect()
            if family.name.startswith("newsdigest_")
            for sample in family.samples
        }

    def moved(self, before: Reading) -> dict[str, float]:
        """What changed, as "name{label=value}" → delta."""
        changed = {}
        for key, value in self.values.items():
            delta = value - before.values.get(key, 0.0)
            if delta:
                name, labels = key
                shown = ",".join(f"{k}={v}" for k, v in labels)
                changed[f"{name}{{{shown}}}" if shown else name] = delta
        return changed
