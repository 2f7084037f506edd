"""Consistent copies of a live SQLite database, and putting one back.

A file copy of a database in WAL mode misses what is only in the `-wal` file and may catch a
page half-written; SQLite's online backup API copies one committed snapshot instead, while
the bot keeps writing. Restoring takes the database for itself first: every process that has
it open (a running bot, standby or not, or a command) holds a shared lock that makes the
exclusive one fail, so "in use" is asked of SQLite, not guessed from the sender lease.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import URL, make_url

from storage.migrate import alembic_config

# Nightly backups are named after the instant they were made (UTC), so names sort by age.
NIGHTLY = re.compile(r"^newsdigest-\d{8}-\d{4}\.db$")


class BackupRefused(Exception):
    """A backup or restore that will not be done; the message says why in one line."""


def sqlite_path(url: str | URL) -> Path | None:
    """The database file a SQLite URL names; None for another database (PostgreSQL)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupRefused("DATABASE_URL names an in-memory SQLite database: nothing to copy")
    return Path(parsed.database)


def backup_sqlite(database: Path, target: Path, *, force: bool = False) -> int:
    """Copy `database` into `target` as one self-contained file; the copy's size in bytes."""
    if not database.is_file():
        raise BackupRefused(f"no SQLite database at {database}")
    if target.resolve() == database.resolve():
        raise BackupRefused("the backup would replace the database itself: name another file")
    if target.is_dir():
        raise BackupRefused(f"{target} is a folder: name the backup file")
    if target.exists() and not force:
        raise BackupRefused(f"{target} exists; add --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        _copy(database, partial)
        # It holds every chat's id and settings: only its owner may read it.
        partial.chmod(0o600)
        _move(partial, target, force=force)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def _copy(database: Path, partial: Path) -> None:
    # mode=rw: a missing database is an error, never a new empty file.
    with (
        closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=rw", uri=True)) as source,
        closing(sqlite3.connect(partial, isolation_level=None)) as copy,
    ):
        source.execute("PRAGMA busy_timeout=30000")
        source.backup(copy)  # all pages in one step: one read transaction, one snapshot
        # The copy inherits WAL mode from its source; a backup should be one file.
        copy.execute("PRAGMA journal_mode=DELETE")


def _move(partial: Path, target: Path, *, force: bool) -> None:
    if force:
        partial.replace(target)
        return
    try:
        os.link(partial, target)  # unlike a rename, never replaces a file made meanwhile
    except FileExistsError:
        raise BackupRefused(f"{target} exists; add --force to replace it") from None


def restore_sqlite(backup: Path, database: Path) -> str:
    """Replace `database` with the contents of `backup`; the schema revision restored."""
    if backup.resolve() == database.resolve():
        raise BackupRefused("the backup is the configured database itself")
    revision = check_ours(backup)
    database.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(database, isolation_level=None, timeout=0)) as live:
        _take_alone(live, database)
        uri = f"{backup.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as source:
            source.backup(live)
        # The backup carries the lease of the bot that ran when it was made; nobody holds it.
        live.execute("DELETE FROM lease")
        live.execute("PRAGMA journal_mode=WAL")
    return revision


def _take_alone(live: sqlite3.Connection, database: Path) -> None:
    """Hold `database` exclusively until `live` closes, or refuse because someone has it open."""
    live.execute("PRAGMA locking_mode=EXCLUSIVE")
    try:
        live.execute("BEGIN EXCLUSIVE")
        live.execute("COMMIT")
    except sqlite3.OperationalError as error:
        if "locked" not in str(error).lower() and "busy" not in str(error).lower():
            raise
        raise BackupRefused(
            f"the database {database} is in use (stop every newsdigest process using it first)"
        ) from None


@dataclass(frozen=True, slots=True)
class _Found:
    revision: str | None
    integrity: str


def check_ours(backup: Path) -> str:
    """The schema revision of a readable newsdigest database at `backup`, or BackupRefused."""
    if not backup.is_file():
        raise BackupRefused(f"no backup file at {backup}")
    try:
        found = _inspect(backup)
    except sqlite3.DatabaseError:
        raise BackupRefused(f"{backup} is not a SQLite database") from None
    if found.integrity != "ok":
        raise BackupRefused(f"{backup} is damaged (SQLite quick_check: {found.integrity[:80]})")
    if found.revision is None:
        raise BackupRefused(f"{backup} is a SQLite database, but not one of newsdigest")
    try:
        known = ScriptDirectory.from_config(alembic_config()).get_revision(found.revision)
    except CommandError:
        known = None
    if known is None:
        raise BackupRefused(f"{backup} was made by a newer newsdigest (unknown schema revision)")
    return found.revision


def _inspect(backup: Path) -> _Found:
    with closing(sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)) as source:
        integrity = str(source.execute("PRAGMA quick_check").fetchone()[0])
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
        if not {"alembic_version", "lease", "chat"} <= tables:
            return _Found(None, integrity)
        row = source.execute("SELECT version_num FROM alembic_version").fetchone()
        return _Found(str(row[0]) if row else None, integrity)


def nightly_name(now: datetime) -> str:
    """`newsdigest-YYYYMMDD-HHMM.db` for an aware instant, in UTC."""
    return f"newsdigest-{now.astimezone(UTC):%Y%m%d-%H%M}.db"


def prune_nightly(folder: Path, *, keep: int) -> list[Path]:
    """Delete all but the `keep` newest nightly backups in `folder` (no other file); the deleted."""
    ours = sorted(path for path in folder.iterdir() if NIGHTLY.match(path.name) and path.is_file())
    doomed = ours[:-keep]  # BACKUP_KEEP is at least 1
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
