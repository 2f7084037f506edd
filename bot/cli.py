"""Composition root of the command line: parse arguments, load settings once, run a command."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.commands.common import UsageError, parse_now, running
from bot.logs import configure_logging, redact, route_reports_to_logging
from bot.settings import Settings, SettingsError, load_settings

logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdigest", description="Regional news, one clean digest a day, on Telegram."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="store articles from seed-format files or folders")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _add_now(ingest)

    demo = commands.add_parser("demo", help="ingest the bundled seeds into a temporary database")
    _add_now(demo)

    database = commands.add_parser("db", help="database maintenance")
    database_commands = database.add_subparsers(dest="db_command", required=True)
    database_commands.add_parser("upgrade", help="apply pending schema migrations")
    backup = database_commands.add_parser(
        "backup", help="copy the live SQLite database consistently (PostgreSQL: use pg_dump)"
    )
    backup.add_argument("path", type=Path, metavar="PATH")
    backup.add_argument("--force", action="store_true", help="replace PATH if it exists")
    restore = database_commands.add_parser(
        "restore", help="replace the SQLite database with a backup (only while no bot runs)"
    )
    restore.add_argument("path", type=Path, metavar="PATH")
    copy = database_commands.add_parser(
        "copy", help="copy the whole database into an empty one (SQLite to PostgreSQL)"
    )
    copy.add_argument(
        "--to", required=True, metavar="URL", help="the empty target, postgresql+asyncpg://…"
    )

    playground = commands.add_parser(
        "playground", help="chat with the real bot in the terminal, offline"
    )
    _add_now(playground)

    run = commands.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    _add_now(run)

    _add_digest(commands)
    _add_sources(commands)

    evaluate = commands.add_parser("eval", help="measure tagging against a labelled corpus")
    evaluate.add_argument("--labels", required=True, type=Path)
    evaluate.add_argument("corpus", nargs="+", type=Path, metavar="CORPUS_FILE")
    return parser


def _add_digest(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`newsdigest digest`: the digest a chat with these interests gets, printed."""
    digest = commands.add_parser("digest", help="print the digest a chat with these interests gets")
    digest.add_argument("--region", action="append", default=[], metavar="SLUG")
    digest.add_argument("--topic", action="append", default=[], metavar="SLUG")
    digest.add_argument("--keyword", action="append", default=[], metavar="PHRASE")
    digest.add_argument("--exclude", action="append", default=[], metavar="PHRASE")
    digest.add_argument("--lang", choices=("en", "ru", "kk"), help="default: DEFAULT_LANGUAGE")
    digest.add_argument(
        "--since",
        type=_local_date,
        metavar="YYYY-MM-DD",
        help="every article published on or after this date (replaces the watermark)",
    )
    digest.add_argument("--json", action="store_true", help="the messages as sent, as JSON")
    _add_now(digest)


def _add_sources(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`newsdigest sources …`: the operator's source list, from the shell."""
    sources = commands.add_parser(
        "sources", help="list, add, remove, poll, import or export live sources"
    )
    source_commands = sources.add_subparsers(dest="sources_command", required=True)
    source_commands.add_parser("list", help="every source with its health")
    add = source_commands.add_parser(
        "add",
        help="add a feed, page, listing or seed file (a site given without --kind is searched"
        " for its feeds first)",
    )
    add.add_argument("url")
    add.add_argument("--minutes", type=int, default=60)
    add.add_argument("--kind", choices=("rss", "page", "listing", "seed", "govkz"))
    add.add_argument("--name")
    remove = source_commands.add_parser("remove", help="remove a source by id or address")
    remove.add_argument("reference", metavar="ID_OR_URL")
    poll = source_commands.add_parser("poll", help="poll one source now, or every due one")
    poll.add_argument("reference", nargs="?", metavar="ID_OR_URL")
    source_commands.add_parser(
        "check", help="read every source once, store nothing, and print which work from here"
    )
    opml_import = source_commands.add_parser(
        "import", help="add the sources of an OPML file (all of them, or none if one is bad)"
    )
    opml_import.add_argument("file", type=Path, metavar="FILE.opml")
    source_commands.add_parser("export", help="print every source as OPML 2.0")
    for subcommand in source_commands.choices.values():
        _add_now(subcommand)


def _local_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, not {value!r}") from None


def _add_now(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now",
        metavar="ISO_DATETIME",
        help="pin the clock (a time without offset is in DEFAULT_TIMEZONE)",
    )


async def _dispatch(arguments: argparse.Namespace, settings: Settings) -> int:
    # Imported here so `newsdigest --help` stays fast and each command loads only its own code.
    if arguments.command == "ingest":
        from bot.commands.ingest import ingest_command

        clock = parse_now(arguments.now, settings.zone)
        return await ingest_command(settings, arguments.paths, clock)
    if arguments.command == "demo":
        from bot.commands.demo import demo_command

        pinned = parse_now(arguments.now, settings.zone) if arguments.now else None
        return await demo_command(settings, pinned)
    if arguments.command == "db":
        from bot.commands import database

        if arguments.db_command == "backup":
            return await database.db_backup_command(settings, arguments.path, force=arguments.force)
        if arguments.db_command == "restore":
            return await database.db_restore_command(settings, arguments.path)
        if arguments.db_command == "copy":
            return await database.db_copy_command(settings, arguments.to)
        return await database.db_upgrade_command(settings)
    if arguments.command == "playground":
        from bot.commands.playground import playground_command

        pinned = parse_now(arguments.now, settings.zone) if arguments.now else None
        return await playground_command(settings, pinned)
    if arguments.command == "run":
        from bot.commands.run import run_command

        return await run_command(settings, running(parse_now(arguments.now, settings.zone)))
    if arguments.command == "digest":
        from bot.commands.digest import DigestRequest, digest_command

        request = DigestRequest(
            regions=tuple(arguments.region),
            topics=tuple(arguments.topic),
            keywords=tuple(arguments.keyword),
            excludes=tuple(arguments.exclude),
            language=arguments.lang or settings.default_language,
            since=arguments.since,
            as_json=arguments.json,
        )
        return await digest_command(settings, request, parse_now(arguments.now, settings.zone))
    if arguments.command == "sources":
        from bot.commands.sources import sources_command

        return await sources_command(settings, arguments, parse_now(arguments.now, settings.zone))
    if arguments.command == "eval":
        from bot.commands.evaluate import eval_command

        return eval_command(arguments.labels, arguments.corpus)
    raise UsageError(f"unknown command {arguments.command}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsdigest` console script; every failure leaves through `_fail`."""
    # python-telegram-bot 22 reports retry_after as a timedelta only when asked to.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    arguments = build_parser().parse_args(argv)
    configure_logging("WARNING", secrets=[])
    route_reports_to_logging()
    secrets: list[str] = []
    database_url = ""
    json_logs = False
    try:
        settings = load_settings()
        database_url = settings.database_url
        secrets = _secrets(settings)
        json_logs = settings.log_format == "json"
        configure_logging(settings.log_level, secrets=secrets, log_format=settings.log_format)
        return asyncio.run(_dispatch(arguments, settings))
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        return _fail(error, secrets, database_url, json_logs=json_logs)


def _secrets(settings: Settings) -> list[str]:
    """What must never reach stderr: the bot token (TELEGRAM_BOT_TOKEN or its file), the
    database password and the webhook secret."""
    from bot.commands.failures import database_secrets

    secrets = database_secrets(settings.database_url)
    if settings.telegram_bot_token:
        secrets.append(settings.telegram_bot_token.get_secret_value())
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    with contextlib.suppress(SettingsError):  # an unusable token file: `run` reports it
        secrets.append(settings.require_token())
    return secrets


def _fail(error: Exception, secrets: list[str], database_url: str, *, json_logs: bool) -> int:
    """One redacted line on stderr; a bug's traceback goes only through the redacting log.
    With JSON logs the line is a log record too, so a collector never meets plain text."""
    from bot.commands.failures import explain

    failure = explain(error, database_url=database_url)
    if failure.unexpected:
        logger.error("command failed", exc_info=error)
    line = redact(f"newsdigest: error: {failure.message}", secrets)
    if json_logs:
        logger.error("%s", line)
    else:
        print(line, file=sys.stderr)
    return failure.status


if __name__ == "__main__":
    sys.exit(main())
