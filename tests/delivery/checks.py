"""What the end-to-end delivery tests assert about the emulator and the ledger."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.emulator import Emulator
from tests.delivery.harness import bot_texts, read_rows


@dataclass(frozen=True)
class LedgerRow:
    chat_id: int
    status: str
    parts_total: int
    message_ids: list[int]
    possible_repeats: int


SCHEDULED_ROWS = (
    "SELECT chat_id, status, parts_total, message_ids, possible_repeats FROM delivery "
    "WHERE kind = 'scheduled' ORDER BY id"
)


def scheduled_rows(path: Path) -> list[LedgerRow]:
    return ledger_rows(read_rows(path, SCHEDULED_ROWS))


def ledger_rows(rows: list[tuple[object, ...]]) -> list[LedgerRow]:
    """SCHEDULED_ROWS' rows, read on either backend."""
    return [
        LedgerRow(int(str(c)), str(s), int(str(p)), json.loads(str(m or "[]")), int(str(r)))
        for c, s, p, m, r in rows
    ]


def ledger_counts(path: Path) -> Counter[str]:
    return Counter(row.status for row in scheduled_rows(path))


@dataclass(frozen=True)
class DeliveryAudit:
    """Each chat's digest compared with what the emulator received."""

    missing: list[int]  # chats whose digest did not arrive complete
    repeated: dict[int, int]  # chat -> parts received twice
    unrecorded: dict[int, list[int]]  # chat -> message ids the ledger does not list
    extra: dict[int, int]  # chat -> messages that are neither a part nor a repeat of one


def audit(emulator: Emulator, path: Path, chat_ids: list[int]) -> DeliveryAudit:
    """Every chat should hold exactly its ledger row's parts; report each deviation."""
    return audit_rows(emulator, scheduled_rows(path), chat_ids)


def audit_rows(emulator: Emulator, found: list[LedgerRow], chat_ids: list[int]) -> DeliveryAudit:
    """`audit` against ledger rows read by the caller (from any backend)."""
    received = bot_texts(emulator)
    rows: dict[int, list[LedgerRow]] = {}
    for row in found:
        rows.setdefault(row.chat_id, []).append(row)
    missing: list[int] = []
    repeated: dict[int, int] = {}
    unrecorded: dict[int, list[int]] = {}
    extra: dict[int, int] = {}
    for chat_id in chat_ids:
        messages = received.get(chat_id, [])
        ledger = rows.get(chat_id, [])
        listed = {i for row in ledger for i in row.message_ids}
        unlisted = [i for i, _ in messages if i not in listed]
        if unlisted:
            unrecorded[chat_id] = unlisted
        if len(ledger) != 1 or ledger[0].status != "sent":
            missing.append(chat_id)
            continue
        recorded = ledger[0].message_ids
        texts = dict(messages)
        if len(recorded) != ledger[0].parts_total or not set(recorded) <= texts.keys():
            missing.append(chat_id)
            continue
        parts = {texts[i] for i in recorded}
        others = [text for i, text in messages if i not in recorded]
        repeats = sum(1 for text in others if text in parts)
        if repeats:
            repeated[chat_id] = repeats
        if len(others) > repeats:
            extra[chat_id] = len(others) - repeats
    return DeliveryAudit(missing, repeated, unrecorded, extra)
