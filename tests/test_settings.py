"""Settings: defaults, parsing, one clear line per malformed setting, a token that hides itself."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.logs import RedactSecrets
from bot.settings import SettingsError, load_settings

TOKEN = "123456:AAE-secret-token-value"


def test_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "DEFAULT_LANGUAGE", "TELEGRAM_BOT_TOKEN", "ADMIN_USER_IDS"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///./newsdigest.db"
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.default_digest_time == time(8, 0)
    assert settings.admin_user_ids == ()
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN"):
        settings.require_token()


def test_asia_almaty_is_utc_plus_five() -> None:
    """Kazakhstan moved to a single zone, UTC+5, on 1 March 2024 (tzdata backs old systems)."""
    local = datetime(2025, 1, 13, 12, 0, tzinfo=UTC).astimezone(ZoneInfo("Asia/Almaty"))
    assert local.utcoffset() == timedelta(hours=5)


def test_values_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_USER_IDS", "11, 22,33")
    monkeypatch.setenv("DEFAULT_DIGEST_TIME", "07:30")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "kk")
    settings = load_settings(env_file=None)
    assert settings.admin_user_ids == (11, 22, 33)
    assert settings.default_digest_time == time(7, 30)
    assert settings.default_language == "kk"


def test_a_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEFAULT_LANGUAGE", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("DEFAULT_LANGUAGE=ru\n", encoding="utf-8")
    assert load_settings(env_file=env_file).default_language == "ru"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEFAULT_TIMEZONE", "Mars/Olympus"),
        ("DEFAULT_LANGUAGE", "fr"),
        ("DEFAULT_DIGEST_TIME", "25:99"),
        ("ADMIN_USER_IDS", "12,abc"),
        ("DIGEST_ITEM_CAP", "0"),
    ],
)
def test_a_malformed_setting_is_named_without_its_value(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=None)
    message = str(caught.value)
    assert name in message
    assert value not in message
    assert "\n" not in message


def test_the_token_hides_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    settings = load_settings(env_file=None)
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings.model_dump())
    assert settings.require_token() == TOKEN


def test_log_records_never_show_the_token() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s", (f"https://api/bot{TOKEN}/getMe",), None
    )
    try:
        raise RuntimeError(f"failed at /bot{TOKEN}/sendMessage")
    except RuntimeError as error:
        record.exc_info = (type(error), error, error.__traceback__)
    assert RedactSecrets([TOKEN]).filter(record)
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted
    assert "[REDACTED]" in formatted
