"""`newsdigest db backup|restore` as an operator runs them, and the nightly backups.

The commands run as real processes on real SQLite files: a backup is taken while another
connection keeps writing (and holds commits that live only in the `-wal` file, which a file
copy would miss), a restore is refused while `newsdigest run` has the database open.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.commands.common import load_tagger
from bot.delivery.housekeeping import housekeeping
from bot.emulator import Emulator, FloodLimits
from bot.i18n import default_translator
from bot.services import Services
from bot.settings import Settings
from storage.backup import NIGHTLY, nightly_name
from storage.engine import Database
from tests.clocks import SteppingClock
from tests.delivery.harness import Tap, bot_env, read_rows
from tests.live.live import CliRun, running_bot
from tests.live.live import run_cli as run_cli_beside
from tests.test_cli import run_cli

TOKEN = "123456:AAH-backup-test-secret-token"
PASSWORD = "S3cretBackupPass"
NOW = datetime(2026, 3, 14, 23, 45, tzinfo=UTC)


def _env(database: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{database}", "TELEGRAM_BOT_TOKEN": TOKEN}


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(flood=FloodLimits(enabled=False)) as emu:
        yield emu


def _cli_env(database: Path) -> dict[str, str]:
    """The whole environment for a process started directly (not through `run_cli`)."""
    ours = {name.upper() for name in Settings.model_fields}
    return {key: value for key, value in os.environ.items() if key not in ours} | _env(database)


@pytest.fixture
def live(tmp_path: Path) -> Path:
    """A migrated newsdigest database, made by the CLI as an operator would."""
    database = tmp_path / "live.db"
    assert run_cli("db", "upgrade", env=_env(database)).returncode == 0
    return database


def _count(path: Path, table: str) -> int:
    return int(str(read_rows(path, f"SELECT count(*) FROM {table}")[0][0]))  # noqa: S608


def _refusal(result: subprocess.CompletedProcess[str] | CliRun, *phrases: str) -> str:
    """The command refused with exit code 2 and one `newsdigest: error:` line naming why."""
    stdout, stderr = result.stdout, result.stderr
    lines = stderr.strip().splitlines()
    assert result.returncode == 2, stdout + stderr
    assert len(lines) == 1 and lines[0].startswith("newsdigest: error: "), stderr
    assert TOKEN not in stdout + stderr and PASSWORD not in stdout + stderr
    for phrase in phrases:
        assert phrase in lines[0]
    return lines[0]


class PairWriter:
    """Writes a row into two tables per transaction, from its own connection, until stopped;
    a consistent copy has as many rows in both. Never checkpoints: commits stay in the WAL."""

    def __init__(self, database: Path) -> None:
        self.connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        self.connection.execute("PRAGMA busy_timeout=30000")
        self.connection.execute("PRAGMA wal_autocheckpoint=0")
        self.connection.execute("CREATE TABLE left_half (n INTEGER)")
        self.connection.execute("CREATE TABLE right_half (n INTEGER)")
        self.written = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._write, daemon=True)

    def write_once(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")
        self.connection.execute("INSERT INTO left_half VALUES (?)", (self.written,))
        self.connection.execute("INSERT INTO right_half VALUES (?)", (self.written,))
        self.connection.execute("COMMIT")
        self.written += 1

    def _write(self) -> None:
        while not self._stop.is_set():
            self.write_once()

    @contextmanager
    def running(self) -> Iterator[PairWriter]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()
            self.connection.close()


def test_a_backup_is_one_consistent_snapshot_while_another_connection_writes(
    live: Path, tmp_path: Path
) -> None:
    writer = PairWriter(live)
    for _ in range(200):
        writer.write_once()
    target = tmp_path / "new" / "folders" / "copy.db"
    file_copy = tmp_path / "file-copy.db"
    with writer.running():
        before = writer.written
        shutil.copyfile(live, file_copy)
        result = run_cli("db", "backup", str(target), env=_env(live))
        after = writer.written
    assert result.returncode == 0, result.stderr
    assert after > before, "the writer kept writing while the backup ran"
    assert f"to {target}" in result.stdout
    copied = _count(target, "left_half")
    assert before <= copied <= after, "the snapshot lies between the start and end of the run"
    assert _count(target, "right_half") == copied, "both halves of every transaction, or none"
    assert read_rows(target, "PRAGMA integrity_check") == [("ok",)]
    assert read_rows(target, "PRAGMA journal_mode") == [("delete",)], "one self-contained file"
    assert not Path(f"{target}-wal").exists()
    assert target.stat().st_mode & 0o077 == 0, "chat data: readable by its owner only"
    # What this proves: the commits were only in the WAL, so copying the file loses them.
    with closing(sqlite3.connect(file_copy)) as copy:
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
    assert "left_half" not in tables


def test_an_existing_file_is_kept_unless_forced(live: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_bytes(b"yesterday's backup")
    _refusal(run_cli("db", "backup", str(target), env=_env(live)), str(target), "--force")
    assert target.read_bytes() == b"yesterday's backup"
    assert list(tmp_path.glob(".copy.db.partial*")) == [], "no half-written file left behind"
    forced = run_cli("db", "backup", "--force", str(target), env=_env(live))
    assert forced.returncode == 0, forced.stderr
    assert read_rows(target, "SELECT count(*) FROM alembic_version") == [(1,)]


def test_a_backup_never_replaces_the_database_itself(live: Path) -> None:
    before = live.read_bytes()
    _refusal(run_cli("db", "backup", "--force", str(live), env=_env(live)), "database itself")
    assert live.read_bytes() == before


def test_a_missing_database_is_not_created_by_a_backup(tmp_path: Path) -> None:
    missing = tmp_path / "never-made.db"
    _refusal(run_cli("db", "backup", str(tmp_path / "x.db"), env=_env(missing)), "no SQLite")
    assert not missing.exists()


def test_restore_puts_the_backup_back_and_frees_the_lease(live: Path, tmp_path: Path) -> None:
    backup = tmp_path / "before.db"
    assert run_cli("db", "backup", str(backup), env=_env(live)).returncode == 0
    with closing(sqlite3.connect(live)) as connection, connection:
        connection.execute("INSERT INTO lease VALUES ('sender', 'gone-bot', '2999-01-01')")
    restored = run_cli("db", "restore", str(backup), env=_env(live))
    assert restored.returncode == 0, restored.stderr
    assert "schema" in restored.stdout
    assert _count(live, "lease") == 0
    assert read_rows(live, "PRAGMA journal_mode") == [("wal",)]
    assert run_cli("db", "upgrade", env=_env(live)).returncode == 0, "the bot can open it"


def _not_sqlite(path: Path) -> None:
    path.write_text("id,name\n1,not a database at all\n" * 200, encoding="utf-8")


def _someone_elses(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")


def _from_the_future(path: Path) -> None:
    shutil.copyfile(path.parent / "live.db", path)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_not_yet'")


@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        (_not_sqlite, "is not a SQLite database"),
        (_someone_elses, "not one of newsdigest"),
        (_from_the_future, "made by a newer newsdigest"),
    ],
)
def test_restore_refuses_a_file_that_is_not_our_database(
    live: Path, tmp_path: Path, make: Callable[[Path], None], phrase: str
) -> None:
    candidate = tmp_path / "candidate.db"
    make(candidate)
    before = live.read_bytes()
    _refusal(run_cli("db", "restore", str(candidate), env=_env(live)), phrase)
    assert live.read_bytes() == before


def test_both_refuse_on_postgresql_pointing_to_pg_dump(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"postgresql+asyncpg://news:{PASSWORD}@127.0.0.1:1/news",
        "TELEGRAM_BOT_TOKEN": TOKEN,
    }
    _refusal(run_cli("db", "backup", str(tmp_path / "x.db"), env=env), "pg_dump")
    _refusal(run_cli("db", "restore", str(tmp_path / "x.db"), env=env), "pg_restore")


@pytest.mark.slow
async def test_restore_is_refused_while_the_bot_runs(
    live: Path, tmp_path: Path, emulator: Emulator
) -> None:
    backup = tmp_path / "before.db"
    assert run_cli("db", "backup", str(backup), env=_env(live)).returncode == 0
    async with Tap(emulator, "bot") as tap:
        env = bot_env(f"sqlite+aiosqlite:///{live}", tap)
        async with running_bot(emulator, tap, env, tmp_path):
            # Asynchronously: the emulator answering the bot shares this event loop.
            refused = await run_cli_beside(_cli_env(live), tmp_path, "db", "restore", str(backup))
            _refusal(refused, "is in use", "stop every newsdigest process")
    restored = run_cli("db", "restore", str(backup), env=_env(live))
    assert restored.returncode == 0, restored.stderr


def test_restore_is_refused_while_any_connection_is_open(live: Path, tmp_path: Path) -> None:
    """No lease involved: a standby bot or an `ingest` holds the file open just the same."""
    backup = tmp_path / "before.db"
    assert run_cli("db", "backup", str(backup), env=_env(live)).returncode == 0
    with closing(sqlite3.connect(live)) as reader:
        reader.execute("SELECT count(*) FROM chat").fetchall()
        _refusal(run_cli("db", "restore", str(backup), env=_env(live)), "is in use")
    assert run_cli("db", "restore", str(backup), env=_env(live)).returncode == 0


# -- nightly backups by housekeeping ---------------------------------------------------------


TAGGER = load_tagger()


def _services(database: Database, clock: FixedClock, **settings: object) -> Services:
    configured = Settings(_env_file=None, **settings)  # type: ignore[arg-type]
    return Services(database, clock, configured, default_translator(), TAGGER)


async def test_housekeeping_keeps_the_newest_nightly_backups_and_nothing_else_goes(
    sqlite_database: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    strangers = ["notes.txt", "newsdigest-latest.db", "newsdigest-20200101-0330.db.gz"]
    for name in strangers:
        (folder / name).write_text("not ours", encoding="utf-8")
    clock = SteppingClock(NOW)
    services = _services(sqlite_database, clock, backup_dir=folder, backup_keep=2)
    made = []
    for _ in range(4):
        await housekeeping(services)
        made.append(nightly_name(clock.now()))
        clock.advance(days=1)
    ours = sorted(path.name for path in folder.iterdir() if NIGHTLY.match(path.name))
    assert made[0] == "newsdigest-20260314-2345.db"
    assert ours == made[-2:]
    assert all((folder / name).read_text(encoding="utf-8") == "not ours" for name in strangers)
    assert read_rows(folder / ours[-1], "SELECT count(*) FROM alembic_version") == [(1,)]


async def test_a_second_backup_in_the_same_minute_leaves_the_first(
    sqlite_database: Database, tmp_path: Path
) -> None:
    services = _services(sqlite_database, FixedClock(NOW), backup_dir=tmp_path / "b")
    await housekeeping(services)
    first = (tmp_path / "b" / nightly_name(NOW)).read_bytes()
    await housekeeping(services)  # another instance, or a rerun: no error, no second file
    assert [path.read_bytes() for path in (tmp_path / "b").iterdir()] == [first]


async def test_without_a_backup_folder_housekeeping_writes_no_file(
    sqlite_database: Database, tmp_path: Path
) -> None:
    await housekeeping(_services(sqlite_database, FixedClock(NOW), backup_keep=1))
    assert _files(tmp_path) == {"test.db", "test.db-shm", "test.db-wal"}


def _files(folder: Path) -> set[str]:
    return {path.name for path in folder.rglob("*")}
