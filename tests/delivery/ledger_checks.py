"""checks.py's audit and ledger counts read through a database URL, so the process tests run
the same assertions on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter

from bot.emulator import Emulator
from tests.delivery.checks import SCHEDULED_ROWS, DeliveryAudit, audit_rows, ledger_rows
from tests.delivery.harness import query_rows


async def audit_at(emulator: Emulator, url: str, chat_ids: list[int]) -> DeliveryAudit:
    """Every chat should hold exactly its ledger row's parts; report each deviation."""
    return audit_rows(emulator, ledger_rows(await query_rows(url, SCHEDULED_ROWS)), chat_ids)


async def ledger_counts_at(url: str) -> Counter[str]:
    """Scheduled deliveries by status."""
    return Counter(row.status for row in ledger_rows(await query_rows(url, SCHEDULED_ROWS)))
