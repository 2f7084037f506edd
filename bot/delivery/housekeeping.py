"""Daily housekeeping: prune old articles (the ledger stays), keep the database fast (the
recent search index trimmed to the newest articles, statistics refreshed), and write the
nightly SQLite backup (`BACKUP_DIR`), keeping the `BACKUP_KEEP` newest."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, text
from sqlmodel import col

from bot.services import Services
from storage.backup import BackupRefused, backup_sqlite, nightly_name, prune_nightly, sqlite_path
from storage.models import Article
from storage.queries import search as search_queries

logger = logging.getLogger(__name__)


async def housekeeping(services: Services) -> int:
    """Delete articles published before the retention period; how many went."""
    cutoff = services.clock.now() - timedelta(days=services.settings.retention_days)
    async with services.database.write() as session:
        result = await session.execute(delete(Article).where(col(Article.published_at) < cutoff))
        removed = int(getattr(result, "rowcount", 0) or 0)
        search_bound = await search_queries.trim_recent(session)
    async with services.database.engine.connect() as connection:
        if services.database.dialect == "sqlite":
            await connection.execute(text("PRAGMA optimize"))
        else:
            await connection.execute(text("ANALYZE"))
        await connection.commit()
    logger.info(
        "housekeeping removed=%s cutoff=%s recent_search_after=%s",
        removed,
        cutoff.date(),
        search_bound,
    )
    await nightly_backup(services)
    return removed


async def nightly_backup(services: Services) -> Path | None:
    """Back up a SQLite database into `BACKUP_DIR` and prune old copies; the new file, if any.

    A failed backup is logged and the next night tries again: housekeeping itself went well.
    """
    folder = services.settings.backup_dir
    if folder is None:
        return None
    try:
        database = sqlite_path(services.database.engine.url)
        if database is None:
            logger.warning("backup skipped reason=postgresql (BACKUP_DIR is for SQLite: pg_dump)")
            return None
        target = folder / nightly_name(services.clock.now())
        size = await asyncio.to_thread(backup_sqlite, database, target)
    except BackupRefused as refusal:  # e.g. a second instance made tonight's copy already
        logger.info("backup skipped folder=%s reason=%r", folder, str(refusal))
        return None
    except (OSError, sqlite3.Error):
        logger.exception("backup failed folder=%s", folder)
        return None
    pruned = await asyncio.to_thread(prune_nightly, folder, keep=services.settings.backup_keep)
    logger.info("backup written file=%s bytes=%s pruned=%s", target.name, size, len(pruned))
    return target
