"""Bring the schema up to date with Alembic, on the async engine the program already has."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.engine import Database

_LOCK = 0x6E657773  # any constant shared by every newsdigest process


def alembic_config(url: str = "") -> Config:
    """An Alembic config that finds the migrations inside the installed package."""
    config = Config()
    config.set_main_option("script_location", str(files("storage").joinpath("migrations")))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade_schema(database: Database, revision: str = "head") -> None:
    """Apply every pending migration (a no-op when the schema is current)."""

    def _upgrade(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    # Two processes may start at once on a fresh database: the first migrates, the other waits
    # (SQLite: the write lock taken at BEGIN; PostgreSQL: a transaction-scoped advisory lock).
    async with database.begin_write() as connection:
        if database.dialect == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
        await connection.run_sync(_upgrade)
