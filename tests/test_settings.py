"""Settings: defaults, parsing, one clear line per malformed setting, a token that hides itself."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Literal, get_origin
from zoneinfo import ZoneInfo

import pytest

from bot.logs import RedactSecrets
from bot.settings import Settings, SettingsError, load_settings

TOKEN = "123456:AAE-secret-token-value"
MARKER = "zz-S3cret-marker-zz"
# Settings that take any text: nothing to refuse (a wrong value fails where it is used).
ANY_TEXT = {
    "telegram_bot_token", "database_url", "user_agent", "seed_dir", "backup_dir",
    "telegram_bot_token_file",
}  # fmt: skip
# A bad value, carrying the marker, for each setting whose type alone does not give one.
BAD_VALUES = {
    "admin_user_ids": f"12,{MARKER}",
    "telegram_api_base_url": f"ftp://{MARKER}@example.com/bot",
    "govkz_api_url": f"ftp://{MARKER}@example.com/api",
    "default_timezone": f"Asia/{MARKER}",
    "default_digest_time": f"07:{MARKER}",
    "private_source_networks": f"10.0.0.0/8,{MARKER}",
    "source_pack": f"/nowhere/{MARKER}.toml",
    "metrics_listen": f"127.0.0.1:{MARKER}",
    "webhook_url": f"http://{MARKER}.example.kz/hook",
    "webhook_listen": f"0.0.0.0:{MARKER}",
    "webhook_secret": f"{MARKER} with spaces",
}


def bad_value(field: str) -> str:
    """A value `field` must refuse that contains MARKER (ints, floats, bools, choices)."""
    if field in BAD_VALUES:
        return BAD_VALUES[field]
    kind = Settings.model_fields[field].annotation
    assert kind in (int, float, bool) or get_origin(kind) is Literal, f"add {field} to BAD_VALUES"
    return MARKER


REFUSABLE = sorted(set(Settings.model_fields) - ANY_TEXT)
BOUNDED = [field for field in REFUSABLE if Settings.model_fields[field].annotation in (int, float)]


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


def test_alerts_tick_every_15_seconds_and_five_a_day_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("ALERT_TICK_SECONDS", "ALERT_DAILY_CAP"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(env_file=None)
    assert (settings.alert_tick_seconds, settings.alert_daily_cap) == (15.0, 5)
    monkeypatch.setenv("ALERT_TICK_SECONDS", "2.5")
    monkeypatch.setenv("ALERT_DAILY_CAP", "12")
    settings = load_settings(env_file=None)
    assert (settings.alert_tick_seconds, settings.alert_daily_cap) == (2.5, 12)


def test_the_overall_rate_is_the_configured_one_and_above_30_needs_paid_broadcasts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RATE_OVERALL_PER_SECOND", "800")
    monkeypatch.delenv("PAID_BROADCAST", raising=False)
    with pytest.raises(
        SettingsError, match="RATE_OVERALL_PER_SECOND above 30 needs PAID_BROADCAST"
    ):
        load_settings(env_file=None)
    monkeypatch.setenv("PAID_BROADCAST", "true")
    assert load_settings(env_file=None).rate_overall_per_second == 800
    monkeypatch.setenv("RATE_OVERALL_PER_SECOND", "25")
    paid_but_slow = load_settings(env_file=None)  # paid broadcasts no longer raise the rate
    assert (paid_but_slow.paid_broadcast, paid_but_slow.rate_overall_per_second) == (True, 25)


def test_a_webhook_needs_its_secret_and_never_shows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.kz/telegram")
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET is not"):
        load_settings(env_file=None)
    monkeypatch.setenv("WEBHOOK_SECRET", MARKER)
    settings = load_settings(env_file=None)
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == MARKER
    assert MARKER not in repr(settings) and MARKER not in str(settings)
    assert settings.webhook_listen == "0.0.0.0:8443"


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
        ("DIGEST_ITEM_CAP", "-7"),  # not "0": the message names the range, 1 to 100
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


@pytest.mark.parametrize("field", REFUSABLE)
def test_every_setting_refuses_a_bad_value_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch, field: str
) -> None:
    monkeypatch.setenv(field.upper(), bad_value(field))
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=None)
    message = str(caught.value)
    assert message.startswith(f"setting {field.upper()} is invalid: ")
    assert "expected" in message or "unknown" in message
    assert MARKER not in message
    assert "\n" not in message


@pytest.mark.parametrize("field", BOUNDED)
def test_a_number_out_of_range_is_named_with_its_range(
    monkeypatch: pytest.MonkeyPatch, field: str
) -> None:
    monkeypatch.setenv(field.upper(), "987654321")
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=None)
    message = str(caught.value)
    assert field.upper() in message and "987654321" not in message
    assert " to " in message or "at most" in message


def test_a_bad_value_in_the_dotenv_file_is_not_echoed_either(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"ADMIN_USER_IDS=12,{MARKER}\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=env_file)
    assert "ADMIN_USER_IDS" in str(caught.value) and MARKER not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DIGEST_ITEM_CAP", "0", "expected a whole number from 1 to 100"),
        ("DIGEST_TICK_SECONDS", "nan", "expected a number greater than 0 and at most 3600"),
        ("CHAT_PART_INTERVAL_SECONDS", "-1", "expected a number from 0 to 60"),
        ("PAID_BROADCAST", "perhaps", "expected true or false"),
        ("DEFAULT_LANGUAGE", "fr", "expected one of en, ru, kk"),
        ("LOG_LEVEL", "loud", "expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("DEFAULT_DIGEST_TIME", "25:99", "expected a time of day such as 08:00"),
        ("ADMIN_USER_IDS", "12,abc-secret", "expected comma-separated numeric Telegram user ids"),
        ("ALERT_TICK_SECONDS", "0", "expected a number greater than 0 and at most 600"),
        ("ALERT_DAILY_CAP", "0", "expected a whole number from 1 to 100"),
    ],
)
def test_the_message_says_what_is_expected(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message):
        load_settings(env_file=None)


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
