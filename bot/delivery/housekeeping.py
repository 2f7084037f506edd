"""Daily housekeeping: prune old articles (the ledger stays), keep the database fast."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete, text
from sqlmodel import col

from bot.services import Services
from storage.models import Article

logger = logging.getLogger(__name__)


async def housekeeping(services: Services) -> int:
    """Delete articles published before the retention period; how many went."""
    cutoff = services.clock.now() - timedelta(days=services.settings.retention_days)
    async with services.database.write() as session:
        result = await session.execute(delete(Article).where(col(Article.published_at) < cutoff))
        removed = int(getattr(result, "rowcount", 0) or 0)
    async with services.database.engine.connect() as connection:
        if services.database.dialect == "sqlite":
            await connection.execute(text("PRAGMA optimize"))
        else:
            await connection.execute(text("ANALYZE"))
        await connection.commit()
    logger.info("housekeeping removed=%s cutoff=%s", removed, cutoff.date())
    return removed
