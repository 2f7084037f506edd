"""`newsdigest db upgrade`: bring the schema up to date explicitly."""

from __future__ import annotations

from bot.commands.common import open_database
from bot.settings import Settings


async def db_upgrade_command(settings: Settings) -> int:
    async with open_database(settings.database_url):
        pass
    print("database schema is up to date")
    return 0
