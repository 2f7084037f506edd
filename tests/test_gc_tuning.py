"""The collector tuned where the tagger is loaded: in a fresh process, as the tuning is global."""

from __future__ import annotations

import subprocess
import sys

from bot.ingest.gc_tuning import YOUNG_THRESHOLD

_CHECK = """
import gc
from bot.ingest import source_parsing
assert gc.get_freeze_count() == 0
source_parsing.worker_tagger()
print(gc.get_freeze_count(), gc.get_threshold()[0])
"""


def test_loading_the_worker_tagger_freezes_the_tables_and_raises_the_young_threshold() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _CHECK], capture_output=True, text=True, check=True, timeout=120
    )
    frozen, young = map(int, result.stdout.split())
    assert frozen > 100_000  # the gazetteer, lexicons and modules, out of every collection
    assert young == YOUNG_THRESHOLD
