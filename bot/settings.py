"""Settings from the environment and `.env`, loaded once by the composition root.

A malformed setting stops the program with one line naming the variable, never its value.
"""

from __future__ import annotations

import re
from datetime import time
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Final, Literal, get_args, get_origin
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

from bot.domain.timezones import DEFAULT_ZONE

# SOURCE_PACK's names: the shipped pack, or only its bundled sample (no internet needed).
SOURCE_PACKS = ("full", "sample")


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it and never shows its value."""


class ExpectedValue(ValueError):
    """A validator's complaint written for the operator: what is expected, never the value.

    Only these messages are shown; any other error text (int()'s, zoneinfo's) may quote the value.
    """


class Settings(BaseSettings):
    """Every tunable of newsdigest; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    database_url: str = "sqlite+aiosqlite:///./newsdigest.db"
    admin_user_ids: Annotated[tuple[int, ...], NoDecode] = ()
    default_language: Literal["en", "ru", "kk"] = "en"
    default_timezone: str = DEFAULT_ZONE
    default_digest_time: time = time(8, 0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"

    digest_item_cap: int = Field(default=15, ge=1, le=100)
    article_max_age_days: int = Field(default=7, ge=1, le=60)
    first_digest_hours: int = Field(default=24, ge=1, le=24 * 14)

    digest_tick_seconds: float = Field(default=60.0, gt=0, le=3600)
    claim_batch: int = Field(default=1000, ge=1, le=100_000)
    send_concurrency: int = Field(default=4, ge=1, le=64)
    rate_overall_per_second: float = Field(default=25.0, gt=0, le=1000)
    rate_group_per_minute: int = Field(default=20, ge=1, le=60)
    chat_part_interval_seconds: float = Field(default=1.0, ge=0, le=60)
    paid_broadcast: bool = False
    send_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # Urgent alerts: how often the alert tick looks for new ones, and how many one chat may
    # get in a local day before the rest wait for its digest.
    alert_tick_seconds: float = Field(default=15.0, gt=0, le=600)
    alert_daily_cap: int = Field(default=5, ge=1, le=100)
    lease_seconds: float = Field(default=60.0, gt=0, le=3600)
    retention_days: int = Field(default=90, ge=1, le=3650)
    user_agent: str = "newsdigest/0.1 (+https://t.me/newsdigest_bot; regional news digests)"
    source_tick_seconds: float = Field(default=60.0, gt=0, le=3600)
    poll_deadline_seconds: float = Field(default=120.0, gt=0, le=3600)
    parse_workers: int = Field(default=2, ge=1, le=16)
    allow_private_sources: bool = False
    private_source_networks: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = ()
    seed_dir: Path = Path("seeds")
    # Sources a fresh database starts with: the shipped pack, only the bundled sample
    # (offline), or the path of a TOML file in the same format.
    source_pack: str = "full"
    # The gov.kz API that `govkz` sources read (tests point it at a local server).
    govkz_api_url: str = "https://www.gov.kz/api/v1/public/content-manager"
    # Operating the service: the metrics and health listener (host:port; off when unset), the
    # token read from a file (container secrets), one JSON object a log line, nightly backups.
    metrics_listen: str | None = None
    telegram_bot_token_file: Path | None = None
    log_format: Literal["text", "json"] = "text"
    backup_dir: Path | None = None
    backup_keep: int = Field(default=7, ge=1, le=365)
    # Webhook mode: Telegram posts updates to WEBHOOK_URL (behind a load balancer), each
    # instance listens on WEBHOOK_LISTEN and accepts only requests carrying WEBHOOK_SECRET.
    # Unset WEBHOOK_URL: long polling.
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0:8443"
    webhook_secret: SecretStr | None = None

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        try:
            return tuple(int(part) for part in value.replace(" ", "").split(",") if part)
        except ValueError:
            raise ExpectedValue(f"expected {HINTS['admin_user_ids']}") from None

    @field_validator("telegram_api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ExpectedValue(f"expected {HINTS['telegram_api_base_url']}")
        return value

    @field_validator("govkz_api_url")
    @classmethod
    def _govkz_api_url(cls, value: str) -> str:
        try:
            parts = urlsplit(value)
            usable = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:  # a malformed host such as "http://[abc"
            usable = False
        if not usable:
            raise ExpectedValue(f"expected {HINTS['govkz_api_url']}")
        return value

    @field_validator("private_source_networks", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        try:
            parts = [part.strip() for part in value.split(",") if part.strip()]
            return tuple(ip_network(part, strict=False) for part in parts)
        except ValueError:
            raise ExpectedValue(f"expected {HINTS['private_source_networks']}") from None

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ExpectedValue("unknown IANA time zone") from None
        return value

    @field_validator("default_digest_time", mode="before")
    @classmethod
    def _clock_time(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        try:
            hours, _, minutes = value.strip().partition(":")
            return time(int(hours), int(minutes or 0))
        except ValueError:
            raise ExpectedValue(f"expected {HINTS['default_digest_time']}") from None

    @field_validator("metrics_listen", "webhook_listen")
    @classmethod
    def _host_port(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A host:port (METRICS_LISTEN may be unset: no listener)."""
        if value is None or not value.strip():
            if info.field_name == "metrics_listen":
                return None
            raise ExpectedValue(f"expected {HINTS['webhook_listen']}")
        _, _, port = value.strip().rpartition(":")
        host, _ = host_and_port(value.strip()) if port.isdigit() else ("", 0)
        if not host or not 0 < int(port) < 65536:
            raise ExpectedValue(f"expected {HINTS[str(info.field_name)]}")
        return value.strip()

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme != "https" or not parts.hostname:
            raise ExpectedValue(f"expected {HINTS['webhook_url']}")
        return value.strip()

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        # Telegram's own rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
        if not _SECRET_TOKEN.fullmatch(value.get_secret_value()):
            raise ExpectedValue(f"expected {HINTS['webhook_secret']}")
        return value

    @model_validator(mode="after")
    def _stated_limits(self) -> Settings:
        """The overall rate is always the configured one; above Telegram's free 30/s it needs
        paid broadcasts, and a webhook needs its secret (Telegram signs every request)."""
        if self.rate_overall_per_second > FREE_RATE and not self.paid_broadcast:
            raise SettingsError(
                f"RATE_OVERALL_PER_SECOND above {FREE_RATE:g} needs PAID_BROADCAST=true "
                "(Telegram answers faster sends with 429 unless they are paid broadcasts)"
            )
        if self.webhook_url is not None and self.webhook_secret is None:
            raise SettingsError("WEBHOOK_URL is set but WEBHOOK_SECRET is not (set both)")
        return self

    @field_validator("source_pack")
    @classmethod
    def _pack(cls, value: str) -> str:
        if value in SOURCE_PACKS or (value.strip() and _is_file(value)):
            return value
        raise ExpectedValue(f"expected {HINTS['source_pack']}")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.default_timezone)

    @field_validator("telegram_bot_token_file", "backup_dir", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `.env.example` leaves these empty, and pydantic reads "" as the path ".".
        return None if isinstance(value, str) and not value.strip() else value

    def require_token(self) -> str:
        """The bot token, for the commands that talk to Telegram.

        It comes from TELEGRAM_BOT_TOKEN or from the file TELEGRAM_BOT_TOKEN_FILE names (container
        secrets); both set is refused rather than one silently winning over the other.
        """
        token = self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else ""
        if self.telegram_bot_token_file is not None:
            if token:
                raise SettingsError(
                    "TELEGRAM_BOT_TOKEN and TELEGRAM_BOT_TOKEN_FILE are both set: keep one"
                )
            return _read_token_file(self.telegram_bot_token_file)
        if not token:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN (or TELEGRAM_BOT_TOKEN_FILE) is not set"
                " (needed to talk to Telegram)"
            )
        return token


# What a setting looks like, for the fields whose type alone does not say it.
HINTS = {
    "admin_user_ids": "comma-separated numeric Telegram user ids such as 12345,67890",
    "telegram_api_base_url": "an http(s) URL such as https://api.telegram.org/bot",
    "govkz_api_url": "an http(s) URL such as https://www.gov.kz/api/v1/public/content-manager",
    "default_timezone": "an IANA time zone such as Asia/Almaty",
    "default_digest_time": "a time of day such as 08:00",
    "private_source_networks": "comma-separated networks such as 10.1.2.0/24",
    "seed_dir": "a folder path",
    "source_pack": "full, sample or the path of an existing TOML source pack file",
    "metrics_listen": "a host:port such as 127.0.0.1:9464",
    "telegram_bot_token_file": "the path of a readable file holding the token",
    "backup_dir": "a folder path",
    "webhook_url": "an https URL such as https://bot.example.kz/telegram",
    "webhook_listen": "a host:port such as 0.0.0.0:8443",
    "webhook_secret": "1 to 256 characters of A-Z, a-z, 0-9, _ and -",
}
# Telegram's free limit on messages per second; faster needs paid broadcasts (up to 1,000).
FREE_RATE: Final = 30.0
_SECRET_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")


# A Bot API token is about 46 characters; anything near this size is the wrong file.
_TOKEN_FILE_LIMIT = 4096


def _read_token_file(path: Path) -> str:
    """The token in `path`, stripped; errors name the variable, never its value or the content.

    Not even the path: a token pasted into TELEGRAM_BOT_TOKEN_FILE by mistake would be shown.
    """
    problem = "setting TELEGRAM_BOT_TOKEN_FILE is invalid: the file it names"
    malformed = SettingsError(f"{problem} should hold only the token, on one line")
    try:
        with path.open("rb") as file:
            raw = file.read(_TOKEN_FILE_LIMIT + 1)
    except OSError as error:
        raise SettingsError(f"{problem} cannot be read ({error.strerror or 'error'})") from None
    try:
        token = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise malformed from None
    if not token:
        raise SettingsError(f"{problem} is empty")
    if len(raw) > _TOKEN_FILE_LIMIT or any(char.isspace() for char in token):
        raise malformed
    return token


def host_and_port(listen: str) -> tuple[str, int]:
    """Host and port of a host:port value; an IPv6 host may be in brackets ("[::1]")."""
    host, _, port = listen.rpartition(":")
    return host.strip("[]"), int(port)


def _is_file(path: str) -> bool:
    """Whether `path` names a file; False for what no file system accepts (NUL, overlong)."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


def load_settings(env_file: Path | None = Path(".env")) -> Settings:
    """Read settings from the environment and `env_file`; raise SettingsError naming the culprit."""
    try:
        return Settings(_env_file=env_file)
    except ValidationError as error:
        raise SettingsError(_describe(error.errors()[0])) from None
    except SourceError as error:  # a value pydantic-settings could not decode at all
        found = re.search(r'field "(\w+)"', str(error))
        field = found.group(1) if found else ""
        raise SettingsError(
            f"setting {field.upper() or 'unknown'} is invalid: expected {expected(field)}"
        ) from None


def _describe(detail: ErrorDetails) -> str:
    """`setting NAME is invalid: …`, from the error's kind, never from its input."""
    field = str(detail["loc"][0]) if detail["loc"] else ""
    name = field.upper() or "settings"
    if isinstance((detail.get("ctx") or {}).get("error"), ExpectedValue):
        return f"setting {name} is invalid: {detail['msg']}"
    return f"setting {name} is invalid: expected {expected(field)}"


def expected(field: str) -> str:
    """What `field` accepts, in words: its hint, or its type and bounds."""
    if field in HINTS:
        return HINTS[field]
    info = Settings.model_fields.get(field)
    if info is None:
        return "a valid value"
    kind = info.annotation
    if get_origin(kind) is Literal:
        return "one of " + ", ".join(str(choice) for choice in get_args(kind))
    if kind is bool:
        return "true or false"
    if kind is int:
        return "a whole number" + _bounds(info.metadata)
    if kind is float:
        return "a number" + _bounds(info.metadata)
    return "a valid value"


def _bounds(metadata: list[object]) -> str:
    limits: dict[str, object] = {}
    for item in metadata:
        for key in ("ge", "gt", "le", "lt"):
            if getattr(item, key, None) is not None:
                limits[key] = getattr(item, key)
    if "ge" in limits and "le" in limits:
        return f" from {limits['ge']} to {limits['le']}"
    words = {"ge": "at least", "gt": "greater than", "le": "at most", "lt": "less than"}
    parts = [f"{words[key]} {value}" for key, value in limits.items()]
    return " " + " and ".join(parts) if parts else ""
