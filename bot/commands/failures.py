"""Why a command stopped, in one line for the operator: which setting to check, never a secret.

Telegram's InvalidToken quotes the token and database errors may quote the URL, so no message
here is built from an exception's text unless the text is known not to carry either (and the
caller redacts every line anyway). Exceptions nobody expected are reported as such, and the
caller logs their traceback through the redacting log handler.
"""

from __future__ import annotations

import re
import socket
import traceback
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DBAPIError,
    InterfaceError,
    InvalidRequestError,
    NoSuchModuleError,
    OperationalError,
)
from telegram.error import InvalidToken, NetworkError

from bot.commands.common import UsageError
from bot.settings import SettingsError

USAGE = 2
FAILED = 1
TELEGRAM_REFUSED = (
    "Telegram refused the bot token "
    "(check TELEGRAM_BOT_TOKEN, and TELEGRAM_API_BASE_URL if you set one)"
)
TELEGRAM_UNREACHABLE = (
    "cannot reach the Telegram Bot API "
    "(check TELEGRAM_API_BASE_URL if you set one, and the network)"
)
NOT_A_URL = (
    "DATABASE_URL is not a database URL (expected one such as "
    "sqlite+aiosqlite:///./newsdigest.db or postgresql+asyncpg://user:password@host/name)"
)
_DRIVER_LAYERS = ("sqlalchemy.", "asyncpg", "aiosqlite", "sqlite3")
_CONNECTING = ("asyncpg.connect_utils",)
_PASSWORD_IN_URL = re.compile(r"://[^/@:]*:([^@/]+)@")


@dataclass(frozen=True, slots=True)
class Failure:
    """What to print after `newsdigest: error: `, the exit status, and whether it was a bug."""

    message: str
    status: int = FAILED
    unexpected: bool = False


def explain(error: BaseException, *, database_url: str = "") -> Failure:
    """The first known failure in `error`'s chain, or an unexpected one described by its type."""
    for cause in _chain(error):
        failure = _expected(cause) or _telegram(cause) or _database(cause, database_url)
        if failure is not None:
            return failure
    detail = _first_line(str(error))
    return Failure(
        f"unexpected {type(error).__name__}{': ' + detail if detail else ''} "
        "(the traceback is in the log above)",
        unexpected=True,
    )


def database_secrets(url: str) -> list[str]:
    """The password in a database URL, as written and decoded, plus password-like query values."""
    found = [match.group(1) for match in _PASSWORD_IN_URL.finditer(url)]
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return found
    if parsed.password:
        found.append(str(parsed.password))
    for key, value in parsed.query.items():
        if any(word in key.lower() for word in ("pass", "secret", "token", "key")):
            found.extend([value] if isinstance(value, str) else value)
    return found


def _chain(error: BaseException) -> Iterator[BaseException]:
    """`error`, then the members of exception groups and what caused each, as Python would
    show them in a traceback (a context hidden by `raise … from None` stays hidden)."""
    pending, seen = [error], set[int]()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        if current.__cause__ is not None:
            pending.append(current.__cause__)
        elif current.__context__ is not None and not current.__suppress_context__:
            pending.append(current.__context__)


def _expected(error: BaseException) -> Failure | None:
    if isinstance(error, UsageError | SettingsError):
        return Failure(_first_line(str(error)), USAGE)
    return None


def _telegram(error: BaseException) -> Failure | None:
    if isinstance(error, InvalidToken):
        return Failure(TELEGRAM_REFUSED)
    if isinstance(error, NetworkError):
        return Failure(TELEGRAM_UNREACHABLE)
    return None


def _database(error: BaseException, url: str) -> Failure | None:
    """Connection, driver and URL problems; the URL is shown without its password or query."""
    shown = _shown(url)
    check = f"check DATABASE_URL, now {shown}" if shown else "check DATABASE_URL"
    return _unusable_url(error, check) or _unreachable(error, check)


def _unusable_url(error: BaseException, check: str) -> Failure | None:
    """The URL cannot be parsed, or names a driver that is missing, not async, or picky."""
    use = "use sqlite+aiosqlite or postgresql+asyncpg"
    if isinstance(error, NoSuchModuleError) or (
        isinstance(error, ImportError) and _raised_in(error, _DRIVER_LAYERS)
    ):
        return Failure(f"the database driver is not installed ({check}; {use})")
    if isinstance(error, ArgumentError) or (
        isinstance(error, ValueError) and _raised_in(error, ("sqlalchemy.engine.url",))
    ):
        return Failure(NOT_A_URL)
    if isinstance(error, InvalidRequestError) and "async driver" in str(error):
        return Failure(f"the database driver is not async ({check}; {use})")
    if (
        isinstance(error, TypeError)
        and "unexpected keyword argument" in str(error)
        and _raised_in(error, ("sqlalchemy.dialects",))
    ):
        return Failure(f"the database driver does not take an option in the URL's query ({check})")
    return None


def _unreachable(error: BaseException, check: str) -> Failure | None:
    """The server or file cannot be reached, or turns the connection down."""
    # asyncpg's own errors escape SQLAlchemy only while connecting (later ones are wrapped).
    if type(error).__module__.startswith("asyncpg") and _raised_in(error, _CONNECTING):
        reason = _first_line(str(error)) or type(error).__name__
        return Failure(f"the database server refused the connection: {reason} ({check})")
    if isinstance(error, OSError) and _raised_in(error, _DRIVER_LAYERS):
        return Failure(f"cannot connect to the database: {_network_reason(error)} ({check})")
    if isinstance(error, OperationalError | InterfaceError) or type(error) is DatabaseError:
        return Failure(_dbapi_reason(error, check))
    return None


def _dbapi_reason(error: DBAPIError, check: str) -> str:
    reason = _first_line(str(error.orig)) or type(error.orig).__name__
    if "unable to open database file" in reason:
        return (
            f"cannot open the SQLite database file ({check}: does its folder exist, "
            "and may this user write there?)"
        )
    return f"database error: {reason} ({check})"


def _network_reason(error: OSError) -> str:
    if isinstance(error, socket.gaierror):
        return "unknown host"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused (is the server running, on that port?)"
    if isinstance(error, TimeoutError):
        return "timed out"
    return error.strerror or type(error).__name__


def _shown(url: str) -> str:
    """The URL as safe to print: no password, no query (drivers take passwords there too)."""
    try:
        return make_url(url).set(query={}).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return ""


def _raised_in(error: BaseException, modules: tuple[str, ...]) -> bool:
    """Whether `error` passed through code of one of `modules` on its way up."""
    for frame, _ in traceback.walk_tb(error.__traceback__):
        if str(frame.f_globals.get("__name__", "")).startswith(modules):
            return True
    return False


def _first_line(text: str, limit: int = 160) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
