"""Imported once by the parsing workers' forkserver, never by the bot itself: loads the
parsers and the tagger there, so each worker forks with them in memory and a worker that was
killed for overrunning its budget is replaced at once instead of after a second of loading."""

from __future__ import annotations

from bot.ingest import gc_tuning, pages, source_parsing

gc_tuning.worker_tagger()
__all__ = ["pages", "source_parsing"]
