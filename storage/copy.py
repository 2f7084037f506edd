"""Moving up: copy a whole database (SQLite, say) into an empty one (PostgreSQL, say).

Every table goes over with its rows as they are: articles with their ids (the ledger's
watermarks point into that sequence), chats, subscriptions, the delivery ledger, the sender
lease. The source is read in one read transaction, a consistent snapshot even while a bot
writes to it; the target is written in one transaction, so a copy that fails leaves it empty.
Afterwards each PostgreSQL id sequence is set past the highest id copied, so the next article
gets the next id and not one already taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy import JSON, MetaData, Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table on SQLModel.metadata)
from storage.engine import Database
from storage.queries.search import bound_keeping, place_recent_bound

# Rows per INSERT: big enough to amortise a round trip, small enough for asyncpg's limit of
# 32,767 parameters (the widest table, article, has 21 columns).
BATCH_ROWS: Final = 1_000


class CopyRefused(Exception):
    """A copy that will not be made; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class TableCopy:
    """One table's rows in the source, and in the target once copied."""

    name: str
    source_rows: int
    target_rows: int


def tables() -> Sequence[Table]:
    """The product's tables, each after the tables its foreign keys point to."""
    return SQLModel.metadata.sorted_tables


async def copy_database(source: Database, target: Database) -> list[TableCopy]:
    """Copy every table of `source` into `target`, whose schema is current and which must hold
    no rows; the per-table counts, equal on both sides (else `CopyRefused` and nothing kept)."""
    async with source.engine.connect() as reading, target.begin_write() as writing:
        if source.dialect == "postgresql":  # one snapshot for every table (SQLite's BEGIN is)
            await reading.execution_options(isolation_level="REPEATABLE READ")
        occupied = [table.name for table in tables() if await _count(writing, table)]
        if occupied:
            raise CopyRefused(
                f"the target database is not empty (rows in {', '.join(occupied)}); "
                "copy into a new, empty database"
            )
        if target.dialect == "sqlite":  # only the newest articles into the recent index
            newest = (await reading.execute(text("SELECT max(id) FROM article"))).scalar()
            await place_recent_bound(writing, after_id=bound_keeping(newest))
        report = []
        for table in tables():
            await _copy_table(reading, writing, table)
            copied = TableCopy(
                table.name, await _count(reading, table), await _count(writing, table)
            )
            if copied.source_rows != copied.target_rows:
                raise CopyRefused(
                    f"{table.name}: {copied.source_rows} rows in the source but "
                    f"{copied.target_rows} in the target; nothing was kept"
                )
            report.append(copied)
        if target.dialect == "postgresql":
            await _move_sequences(writing)
    return report


async def _copy_table(reading: AsyncConnection, writing: AsyncConnection, table: Table) -> None:
    """Stream the table's rows in primary-key order and insert them in batches."""
    names = [column.name for column in table.columns]
    ordered = select(table).order_by(*table.primary_key.columns)
    into = insert(_keeping_nulls(table))
    result = await reading.stream(ordered.execution_options(yield_per=BATCH_ROWS))
    async for rows in result.partitions(BATCH_ROWS):
        await writing.execute(into, [dict(zip(names, row, strict=True)) for row in rows])


def _keeping_nulls(table: Table) -> Table:
    """The table as the target's INSERT sees it: a JSON column's None stays SQL NULL, as it was
    read, instead of becoming the JSON value null (a ledger's cleared payload stays cleared)."""
    clone = table.to_metadata(MetaData())
    for column in clone.columns:
        if isinstance(column.type, JSON):
            column.type = JSON(none_as_null=True)
    return clone


async def _count(connection: AsyncConnection, table: Table) -> int:
    return int((await connection.execute(select(func.count()).select_from(table))).scalar_one())


async def _move_sequences(writing: AsyncConnection) -> None:
    """Set each serial id's sequence to the highest id copied (or unused, for no rows)."""
    for table in tables():
        for column in table.primary_key.columns:
            sequence = (
                await writing.execute(
                    text("SELECT pg_get_serial_sequence(:table, :column)"),
                    {"table": table.name, "column": column.name},
                )
            ).scalar_one()
            if sequence is None:  # a key given by the program (chat ids), not a sequence
                continue
            highest = (await writing.execute(select(func.max(column)))).scalar_one()
            await writing.execute(
                text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
                {"sequence": sequence, "value": highest or 1, "called": highest is not None},
            )
