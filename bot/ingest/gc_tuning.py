"""The tagger of a process that tags articles in batches, loaded once, and the garbage
collector tuned for it (parse workers, `ingest`, `run`, `eval`).

Tagging allocates a great many tuples. With Python's defaults every 700 new containers
trigger a collection of the young ones, and every hundred of those a full one, which walks every
object alive: the gazetteer, the lexicons and their memos, which never become garbage. Freezing
what is loaded takes it out of every later collection; collecting the young generation every
`YOUNG_THRESHOLD` allocations instead of 700 walks what survives a batch far fewer times. On
the tagging benchmark (tests/benchmarks/bench_tagging.py) the collector's share falls from
about 100 µs to about 20 µs an article.
"""

from __future__ import annotations

import functools
import gc
from typing import Final

from bot.alert_data import bundled_alert_lexicon
from bot.domain.tagging import Tagger
from bot.reference_data import load_gazetteer
from bot.topic_data import bundled_topic_lexicon

# Container allocations (less deallocations) between collections of the youngest generation:
# about one batch of articles' temporaries (bot.domain.reading), a few megabytes at most.
YOUNG_THRESHOLD: Final = 50_000


def tune_after_loading() -> None:
    """Freeze everything alive (call it once the tagger's tables are loaded) and collect the
    young generation less often. Process-wide; a worker forked afterwards inherits both, and
    shares more of the frozen tables' memory with its parent, as no collection touches them."""
    gc.collect()  # what loading left behind is garbage, not tables: free it before freezing
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


@functools.cache
def worker_tagger() -> Tagger:
    """The bundled gazetteer and lexicons, loaded once per process (about half a second),
    then frozen out of garbage collection."""
    tagger = Tagger(
        gazetteer=load_gazetteer(), lexicon=bundled_topic_lexicon(), alerts=bundled_alert_lexicon()
    )
    tune_after_loading()
    return tagger
