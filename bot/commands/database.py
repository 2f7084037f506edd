"""`newsdigest db upgrade|backup|restore`: the schema, and copies of a SQLite database."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.commands.common import UsageError, open_database
from bot.settings import Settings
from storage.backup import BackupRefused, backup_sqlite, restore_sqlite, sqlite_path

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
