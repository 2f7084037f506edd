"""`newsdigest db upgrade|backup|restore|copy`: the schema, copies of a SQLite database, and
moving a whole database into an empty one (SQLite to PostgreSQL)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from bot.commands.common import UsageError, open_database
from bot.settings import Settings
from storage.backup import BackupRefused, backup_sqlite, restore_sqlite, sqlite_path
from storage.copy import CopyRefused, copy_database

ON_POSTGRESQL = (
    "on PostgreSQL, back up with pg_dump and restore with pg_restore "
    "(see Backups in the README); this command is for SQLite"
)


async def db_upgrade_command(settings: Settings) -> int:
    async with open_database(settings.database_url):
        pass
    print("database schema is up to date")
    return 0


async def db_backup_command(settings: Settings, target: Path, *, force: bool) -> int:
    """A consistent copy of the configured SQLite database, made while the bot may run."""
    database = _sqlite_database(settings)
    try:
        size = await asyncio.to_thread(backup_sqlite, database, target, force=force)
    except BackupRefused as refusal:
        raise UsageError(str(refusal)) from None
    print(f"backed up {database} to {target} ({size:,} bytes)")
    return 0


async def db_restore_command(settings: Settings, backup: Path) -> int:
    """Replace the configured SQLite database with a backup, only while nothing uses it."""
    database = _sqlite_database(settings)
    try:
        revision = await asyncio.to_thread(restore_sqlite, backup, database)
    except BackupRefused as refusal:
        raise UsageError(str(refusal)) from None
    print(f"restored {database} from {backup} (schema {revision}; migrations run on next start)")
    return 0


def _sqlite_database(settings: Settings) -> Path:
    try:
        database = sqlite_path(settings.database_url)
    except BackupRefused as refusal:
        raise UsageError(str(refusal)) from None
    if database is None:
        raise UsageError(ON_POSTGRESQL)
    return database


async def db_copy_command(settings: Settings, target_url: str) -> int:
    """Copy the configured database into the empty database at `target_url`, then verify."""
    shown = _shown(target_url)
    if make_url(target_url) == make_url(settings.database_url):
        raise UsageError("--to names the configured database itself: name a new, empty one")
    try:
        async with (
            open_database(settings.database_url) as source,
            open_database(target_url) as target,
        ):
            report = await copy_database(source, target)
    except CopyRefused as refusal:
        raise UsageError(str(refusal)) from None
    except (DBAPIError, OSError) as error:
        # The driver's message may quote the address, never the password (asyncpg, sqlite3).
        reason = str(getattr(error, "orig", error)).splitlines()[0]
        raise UsageError(f"cannot copy into {shown}: {reason}") from None
    for table in report:
        print(f"{table.name}: {table.target_rows:,} rows")
    total = sum(table.target_rows for table in report)
    print(
        f"copied {total:,} rows in {len(report)} tables to {shown}, counts verified; "
        "stop the bot, set DATABASE_URL to it and start the bot again"
    )
    return 0


def _shown(url: str) -> str:
    """A database URL fit for a message: the password, if any, masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        raise UsageError(
            "--to expects a database URL such as postgresql+asyncpg://host/db"
        ) from None
