"""The bot token read from a file (TELEGRAM_BOT_TOKEN_FILE), as container secrets hand it over.

Real files in a temporary folder; errors name the variable, never the token nor the path, and
a token from a file is redacted from the logs like one from the environment. Last,
`newsdigest run` as the image runs it: the token only in a file, and the image's own
health-check script asking the bot's /healthz.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from bot.emulator import Emulator, FloodLimits
from bot.settings import Settings, SettingsError, load_settings
from tests.delivery.harness import Tap, bot_env
from tests.live.live import run_cli, running_bot
from tests.ports import free_port

TOKEN = "123456:AAE-secret-token-value"
MARKER = "zz-S3cret-marker-zz"
HEALTHCHECK = Path(__file__).resolve().parent.parent / "deploy" / "healthcheck.py"


@pytest.fixture(autouse=True)
def no_token_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)


def token_from(path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN_FILE", str(path))
    return load_settings(env_file=None).require_token()


def refusal(path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The one-line message require_token refuses `path` with."""
    with pytest.raises(SettingsError) as caught:
        token_from(path, monkeypatch)
    message = str(caught.value)
    assert message.startswith("setting TELEGRAM_BOT_TOKEN_FILE is invalid: ")
    assert "\n" not in message and str(path) not in message and MARKER not in message
    return message


def test_the_token_is_read_from_the_file_without_its_line_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "telegram_bot_token"
    secret.write_text(f"  {TOKEN}\r\n", encoding="utf-8")
    assert token_from(secret, monkeypatch) == TOKEN
    assert TOKEN not in repr(load_settings(env_file=None))


def test_a_blank_file_setting_is_unset_as_in_env_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("TELEGRAM_BOT_TOKEN_FILE=\n", encoding="utf-8")
    assert load_settings(env_file=env_file).telegram_bot_token_file is None
    unset = r"TELEGRAM_BOT_TOKEN \(or TELEGRAM_BOT_TOKEN_FILE\) is not set"
    with pytest.raises(SettingsError, match=unset):
        load_settings(env_file=env_file).require_token()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    assert load_settings(env_file=env_file).require_token() == TOKEN


def test_both_settings_at_once_are_refused_without_showing_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "telegram_bot_token"
    secret.write_text(TOKEN, encoding="utf-8")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    with pytest.raises(SettingsError) as caught:
        token_from(secret, monkeypatch)
    message = str(caught.value)
    assert "TELEGRAM_BOT_TOKEN and TELEGRAM_BOT_TOKEN_FILE are both set" in message
    assert TOKEN not in message and str(secret) not in message


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (b"", "is empty"),
        (b" \n\n", "is empty"),
        (f"{TOKEN}\n{MARKER}\n".encode(), "should hold only the token, on one line"),
        (f"TELEGRAM_BOT_TOKEN={MARKER} x".encode(), "should hold only the token, on one line"),
        (b"\xff\xfe" + MARKER.encode("utf-16-le"), "should hold only the token, on one line"),
        (MARKER.encode() * 300, "should hold only the token, on one line"),
    ],
    ids=["empty", "blank", "two-lines", "an-env-line", "not-utf8", "too-large"],
)
def test_a_file_that_is_not_one_token_is_refused_without_its_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, complaint: str
) -> None:
    secret = tmp_path / f"token-{MARKER}"
    secret.write_bytes(content)
    assert refusal(secret, monkeypatch).endswith(complaint)


def test_a_missing_or_unreadable_file_is_refused_without_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = refusal(tmp_path / f"{MARKER}-missing", monkeypatch)
    assert missing.endswith("cannot be read (No such file or directory)")
    folder = tmp_path / f"{MARKER}-folder"
    folder.mkdir()
    assert refusal(folder, monkeypatch).endswith("cannot be read (Is a directory)")


def clean_env(tmp_path: Path) -> dict[str, str]:
    """The environment without the developer's newsdigest settings, on a fresh SQLite file."""
    ours = {name.upper() for name in Settings.model_fields}
    env = {key: value for key, value in os.environ.items() if key.upper() not in ours}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    return env


async def test_a_token_pasted_into_the_file_setting_is_not_echoed_by_the_cli(
    tmp_path: Path,
) -> None:
    """The common slip: the token itself where its path belongs; exit 2, one line, no token."""
    env = clean_env(tmp_path)
    env.update(TELEGRAM_BOT_TOKEN_FILE=TOKEN)
    result = await run_cli(env, tmp_path, "run")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "newsdigest: error: setting TELEGRAM_BOT_TOKEN_FILE is invalid: "
        "the file it names cannot be read (No such file or directory)"
    ]
    assert TOKEN not in result.stdout


async def test_a_token_from_the_file_is_redacted_like_one_from_the_environment(
    tmp_path: Path,
) -> None:
    """At DEBUG, python-telegram-bot logs the Bot API URL, token included; a refused token's
    run must still show it only as [REDACTED]."""
    token = "654321:AAnot-this-bots-secret-token"
    secret = tmp_path / "telegram_bot_token"
    secret.write_text(token, encoding="utf-8")
    async with Emulator() as emulator:
        env = clean_env(tmp_path)
        env.update(TELEGRAM_BOT_TOKEN_FILE=str(secret), TELEGRAM_API_BASE_URL=emulator.base_url)
        env.update(LOG_LEVEL="DEBUG", SOURCE_PACK="sample")
        result = await run_cli(env, tmp_path, "run")
    assert result.returncode == 1
    assert "Telegram refused the bot token" in result.stderr
    assert "[REDACTED]" in result.stderr
    assert token not in result.stderr + result.stdout


async def healthcheck(listen: str) -> int:
    """The exit code of the image's HEALTHCHECK command, run as docker runs it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-I", "-S", str(HEALTHCHECK), env={"METRICS_LISTEN": listen}
    )
    return await asyncio.wait_for(process.wait(), 30)


@pytest.mark.slow
async def test_the_bot_runs_on_a_token_file_and_passes_the_images_health_check(
    tmp_path: Path,
) -> None:
    listen = f"127.0.0.1:{free_port()}"
    async with Emulator(flood=FloodLimits(enabled=False)) as emulator, Tap(emulator, "bot") as tap:
        secret = tmp_path / "telegram_bot_token"
        secret.write_text(f"{emulator.token}\n", encoding="utf-8")
        env = bot_env(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", tap, metrics_listen=listen)
        del env["TELEGRAM_BOT_TOKEN"]
        env["TELEGRAM_BOT_TOKEN_FILE"] = str(secret)
        async with running_bot(emulator, tap, env, tmp_path) as bot:
            assert tap.answered["getMe", 200] >= 1, "the emulator took the token from the file"
            assert await healthcheck(listen) == 0, bot.log()[-4000:]
            assert emulator.token not in bot.log()
        refused = await healthcheck(listen)  # the bot has stopped: nothing answers
    assert refused == 1
