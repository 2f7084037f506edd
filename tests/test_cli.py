"""The real `newsdigest` command in a subprocess: it runs, prints, fails clearly, and exits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.checks import is_valid

ROOT = Path(__file__).parents[1]
SEEDS = ROOT / "seeds"
TOKEN = "987654:cli-test-secret-token"


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin: str = "",
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, with only the settings given (none of the developer's);
    `timeout` also proves the process exits (engine disposed)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "DEFAULT_", "TELEGRAM_", "ADMIN_", "LOG_"))
    }
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd or ROOT,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def database_env(tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db", "TELEGRAM_BOT_TOKEN": TOKEN}


def test_ingest_prints_one_summary_line_and_exits(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    result = run_cli(
        "ingest", str(SEEDS), "--now", "2025-01-14T08:00", env=database_env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "new 20, duplicate 0, rejected 0, updated 0"
    assert TOKEN not in result.stdout + result.stderr
    again = run_cli("ingest", str(SEEDS), env=database_env, cwd=tmp_path)
    assert again.stdout.strip().splitlines()[0] == "new 0, duplicate 20, rejected 0, updated 0"


def test_ingest_of_nothing_readable_fails(database_env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("ingest", str(tmp_path / "missing.txt"), env=database_env, cwd=tmp_path)
    assert result.returncode == 1
    assert "rejected" in result.stdout and "ingest.not_found" in result.stdout


def test_two_processes_ingest_into_one_sqlite_file_at_once(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    folders = []
    for number in range(2):
        folder = tmp_path / f"feed{number}"
        folder.mkdir()
        lines = ["Site", "", "News", ""]
        for index in range(60):
            lines += [
                f"Story {number}-{index} in Karaganda 13.01.2025",
                f"Unique body {number} {index} about Temirtau roads and {index * 7} schools. "
                f"Source : https://site{number}.kz/{index}",
            ]
        (folder / "page.txt").write_text("\n".join(lines), encoding="utf-8")
        folders.append(folder)
    environment = {**os.environ, **database_env}
    commands = [[sys.executable, "-m", "bot.cli", "ingest", str(folder)] for folder in folders]
    processes = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (stdout, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert stdout.strip().splitlines()[0] == "new 60, duplicate 0, rejected 0, updated 0"


def test_a_malformed_setting_stops_with_one_line_naming_it(tmp_path: Path) -> None:
    result = run_cli("ingest", str(SEEDS), env={"DEFAULT_TIMEZONE": "Mars/Olympus"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "newsdigest: error: setting DEFAULT_TIMEZONE is invalid: "
        "Value error, unknown IANA time zone"
    ]


def test_a_bad_now_is_a_usage_error(database_env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("ingest", str(SEEDS), "--now", "yesterday", env=database_env, cwd=tmp_path)
    assert result.returncode == 2
    assert "--now" in result.stderr


def test_db_upgrade(database_env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("db", "upgrade", env=database_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_demo_needs_no_token_and_shows_repaired_articles(tmp_path: Path) -> None:
    result = run_cli("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "502 Bad Gateway" not in result.stdout
    assert "E-commerce is one of the drivers of economic growth" in result.stdout
    assert "newsdigest run" in result.stdout
    assert not list(tmp_path.glob("*.db")), "the demo must not leave a database behind"


def test_digest_json_prints_the_messages_exactly_as_sent(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    ingest = run_cli(
        "ingest", str(SEEDS), "--now", "2025-01-14T08:00", env=database_env, cwd=tmp_path
    )
    assert ingest.returncode == 0, ingest.stderr
    result = run_cli(
        "digest",
        "--region",
        "turkestan",
        "--lang",
        "ru",
        "--since",
        "2025-01-11",
        "--json",
        env=database_env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    messages = json.loads(result.stdout)
    assert isinstance(messages, list) and messages
    assert all(is_valid(message) for message in messages)
    assert "Туркестанская область" in messages[0]
    nothing = run_cli(
        "digest",
        "--keyword",
        "zzqqxx",
        "--since",
        "2025-01-11",
        "--json",
        env=database_env,
        cwd=tmp_path,
    )
    assert nothing.returncode == 0 and json.loads(nothing.stdout) == []


def test_digest_text_and_a_bad_region(database_env: dict[str, str], tmp_path: Path) -> None:
    run_cli("ingest", str(SEEDS), "--now", "2025-01-14T08:00", env=database_env, cwd=tmp_path)
    text = run_cli(
        "digest",
        "--region",
        "karaganda",
        "--now",
        "2025-01-14T09:00",
        env=database_env,
        cwd=tmp_path,
    )
    assert text.returncode == 0, text.stderr
    assert "News digest · 14 January 2025" in text.stdout
    assert "<b>" not in text.stdout
    bad = run_cli("digest", "--region", "mars", env=database_env, cwd=tmp_path)
    assert bad.returncode == 2 and "unknown region 'mars'" in bad.stderr


def test_demo_prints_three_readers_digests(tmp_path: Path) -> None:
    result = run_cli("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "A Karaganda reader, in English" in result.stdout
    assert "Дайджест новостей" in result.stdout or "Туркестан" in result.stdout
    assert "жылғы 14 қаңтар" in result.stdout
    assert "newsdigest playground" in result.stdout


def test_playground_chats_with_the_real_bot(tmp_path: Path) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "DEFAULT_", "TELEGRAM_", "ADMIN_"))
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "playground"],
        input="/start\n1\n/subscribe karaganda\n/digest\n",
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Welcome to newsdigest" in result.stdout
    assert "[1] English" in result.stdout
    assert "Which regions?" in result.stdout
    assert "Subscribed: Karaganda region" in result.stdout
    assert "News digest" in result.stdout


def test_sources_from_the_command_line(database_env: dict[str, str], tmp_path: Path) -> None:
    listed = run_cli("sources", "list", env=database_env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "bundled:enbekshi-qazaq-business-2025-01-13.txt" in listed.stdout
    polled = run_cli("sources", "poll", "--now", "2025-01-14T08:00", env=database_env, cwd=tmp_path)
    assert polled.returncode == 0, polled.stderr
    assert polled.stdout.strip() == "#1: ok, new 20"
    added = run_cli(
        "sources",
        "add",
        "https://example.kz/rss",
        "--minutes",
        "30",
        env=database_env,
        cwd=tmp_path,
    )
    assert added.returncode == 0 and "added #2 rss https://example.kz/rss" in added.stdout
    bad = run_cli("sources", "add", "nota url", env=database_env, cwd=tmp_path)
    assert bad.returncode == 2 and "http(s)" in bad.stderr
    removed = run_cli("sources", "remove", "2", env=database_env, cwd=tmp_path)
    assert removed.returncode == 0 and "removed #2" in removed.stdout


def test_sources_add_refuses_files_outside_the_seed_folder(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "x.txt").write_text("Site\n\nNews\n", encoding="utf-8")
    folder = tmp_path.resolve() / "seeds"  # SEED_DIR's default, relative to the working dir
    for reference in ("/etc/passwd", "file:///etc/passwd", "./x.txt"):
        refused = run_cli(
            "sources", "add", reference, "--kind", "seed", env=database_env, cwd=tmp_path
        )
        assert refused.returncode == 2, refused.stdout
        assert f"outside {folder}, the only folder seed files are read from" in refused.stderr
    bundled = run_cli("sources", "add", "bundled:../../etc/passwd", env=database_env, cwd=tmp_path)
    assert bundled.returncode == 2 and "outside" in bundled.stderr
    device = run_cli(
        "sources",
        "add",
        "/dev/zero",
        "--kind",
        "seed",
        env={**database_env, "SEED_DIR": "/dev"},
        cwd=tmp_path,
    )
    assert device.returncode == 2 and "/dev/zero is not a regular file" in device.stderr
    listed = run_cli("sources", "list", env=database_env, cwd=tmp_path)
    [only] = listed.stdout.strip().splitlines()
    assert "bundled:enbekshi-qazaq-business-2025-01-13.txt" in only, "nothing else was added"


def test_sources_add_accepts_a_seed_file_inside_the_seed_folder(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "my seeds"
    folder.mkdir()
    sample = folder / "sample.txt"
    sample.write_bytes((SEEDS / "enbekshi-qazaq-business-2025-01-13.txt").read_bytes())
    env = {**database_env, "SEED_DIR": str(folder)}
    added = run_cli("sources", "add", "my seeds/sample.txt", env=env, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == f"added #2 seed {sample.resolve()}", "stored absolute"
    again = run_cli("sources", "add", f"file://{sample}", "--kind", "seed", env=env, cwd=tmp_path)
    assert again.returncode == 2 and "already a source" in again.stderr
    polled = run_cli("sources", "poll", "2", "--now", "2025-01-14T08:00", env=env, cwd=ROOT)
    assert polled.returncode == 0, polled.stderr
    assert polled.stdout.strip() == "#2: ok, new 20"
