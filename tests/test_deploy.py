"""The container and the service files, read as docker, compose and systemd would read them.

CI machines cannot run `docker build`, so these tests check what the image would be made of:
its base, user, install, health check and command; compose's database, volume and secrets;
the systemd unit. The health-check script itself runs against local HTTP servers.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest
from sqlalchemy.engine import make_url

from tests.deploy_parsing import Instruction, Yaml, dockerfile_stages, parse_yaml, unit_sections

ROOT = Path(__file__).resolve().parent.parent
STAGES = dockerfile_stages((ROOT / "Dockerfile").read_text(encoding="utf-8"))
BUILD, IMAGE = STAGES[0], STAGES[-1]
COMPOSE = parse_yaml((ROOT / "compose.yaml").read_text(encoding="utf-8"))
HEALTHCHECK_SCRIPT = ROOT / "deploy" / "healthcheck.py"
# What the image is built from; nothing else may enter the build context.
SHIPPED = {"bot", "storage", "seeds", "pyproject.toml", "README.md", "constraints.txt"}
SHIPPED_TOOLS = {"deploy/healthcheck.py"}


def instructions(stage: list[Instruction], keyword: str) -> list[Instruction]:
    return [item for item in stage if item.keyword == keyword]


def only(stage: list[Instruction], keyword: str) -> Instruction:
    found = instructions(stage, keyword)
    assert len(found) == 1, f"expected one {keyword}, found {len(found)}"
    return found[0]


def environment(stage: list[Instruction]) -> dict[str, str]:
    pairs = [word.split("=", 1) for item in instructions(stage, "ENV") for word in item.words()]
    assert all(len(pair) == 2 for pair in pairs), "ENV in its key=value form only"
    return {key: value for key, value in pairs}


def context_copies() -> list[str]:
    """The sources of every COPY from the build context (not from another stage)."""
    sources: list[str] = []
    for stage in STAGES:
        for item in instructions(stage, "COPY"):
            words = item.words()
            if not any(word.startswith("--from=") for word in words):
                sources += [word for word in words[:-1] if not word.startswith("--")]
    return sources


def mapping(value: Yaml) -> dict[str, Yaml]:
    assert isinstance(value, dict), f"expected a mapping, found {value!r}"
    return value


def service(name: str) -> dict[str, Yaml]:
    return mapping(mapping(mapping(COMPOSE)["services"])[name])


def test_both_stages_start_from_a_slim_python_311() -> None:
    for stage in STAGES:
        image = stage[0].words()[0]
        assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", image), image


def test_the_image_runs_as_a_non_root_user_it_creates() -> None:
    user = only(IMAGE, "USER").rest
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) != 0, "a numeric non-root uid, checkable by orchestrators"
    created = " ".join(item.rest for item in instructions(IMAGE, "RUN"))
    assert f"useradd --system --uid {uid} " in created
    assert IMAGE.index(only(IMAGE, "USER")) < IMAGE.index(only(IMAGE, "CMD"))


def test_dependencies_are_installed_with_the_pinned_constraints_and_without_test_tools() -> None:
    installs = [item.words() for item in instructions(BUILD, "RUN") if "install" in item.rest]
    pip = [words for words in installs if words[0].endswith("pip")]
    assert len(pip) == 1
    words = pip[0]
    assert words[words.index("-c") + 1] == "constraints.txt"
    assert words[-1] == ".", "the package itself, not editable and without the [test] extra"
    assert "-e" not in words


def test_only_what_runs_is_copied_and_the_sources_stay_in_the_build_stage() -> None:
    sources = context_copies()
    assert set(sources) == SHIPPED | SHIPPED_TOOLS
    assert all((ROOT / source).exists() for source in sources)
    assert not [stage for stage in STAGES if instructions(stage, "ADD")]
    final = [word for item in instructions(IMAGE, "COPY") for word in item.words()[:-1]]
    assert final == ["--from=build", "/opt/venv", "deploy/healthcheck.py"]


def test_the_build_context_keeps_dotenv_secrets_and_databases_out() -> None:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert patterns[0] == "*", "everything is left out unless listed"
    allowed = {pattern[1:].rstrip("/") for pattern in patterns if pattern.startswith("!")}
    assert allowed == SHIPPED | SHIPPED_TOOLS == set(context_copies())
    assert not any(".env" in name or "secret" in name or ".db" in name for name in allowed)


def test_no_secret_is_baked_into_the_image() -> None:
    for stage in STAGES:
        names = set(environment(stage)) | {
            item.rest.split("=")[0] for item in instructions(stage, "ARG")
        }
        assert not [name for name in names if re.search("TOKEN|PASSWORD|SECRET", name)]
    assert not [item for stage in STAGES for item in stage if "TOKEN" in item.rest.upper()]


def test_the_image_keeps_its_database_in_the_data_volume_and_listens_for_metrics() -> None:
    env = environment(IMAGE)
    assert env["DATABASE_URL"] == "sqlite+aiosqlite:////data/newsdigest.db"
    assert env["METRICS_LISTEN"] == "0.0.0.0:9464"
    assert only(IMAGE, "VOLUME").exec_form() == ["/data"]
    assert only(IMAGE, "EXPOSE").rest == "9464"
    assert env["PATH"].startswith("/opt/venv/bin:")


def test_the_health_check_runs_the_shipped_script_and_the_command_is_newsdigest_run() -> None:
    healthcheck = only(IMAGE, "HEALTHCHECK")
    command = healthcheck.exec_form()
    assert command[0] == "python"
    copies = [item.words() for item in instructions(IMAGE, "COPY")]
    assert ["deploy/healthcheck.py", command[1]] in copies
    options = dict(word.split("=", 1) for word in healthcheck.words() if word.startswith("--"))
    assert set(options) >= {"--interval", "--timeout", "--start-period", "--retries"}
    assert only(IMAGE, "CMD").exec_form() == ["newsdigest", "run"]
    assert not instructions(IMAGE, "ENTRYPOINT")
    assert only(IMAGE, "STOPSIGNAL").rest == "SIGTERM"


def test_compose_runs_the_bot_after_postgresql_is_ready_on_a_named_volume() -> None:
    database, bot = service("db"), service("bot")
    assert str(database["image"]).startswith("postgres:")
    volumes = database["volumes"]
    assert isinstance(volumes, list) and len(volumes) == 1
    name, _, path = str(volumes[0]).partition(":")
    assert path == "/var/lib/postgresql/data"
    assert name in mapping(mapping(COMPOSE)["volumes"]), "a named volume, declared"
    probe = mapping(database["healthcheck"])["test"]
    assert isinstance(probe, list) and probe[:2] == ["CMD", "pg_isready"]
    assert mapping(mapping(bot["depends_on"])["db"]) == {"condition": "service_healthy"}
    assert bot["build"] == "."
    assert bot["stop_grace_period"] == "60s", "time for SIGTERM's drain"
    assert bot["ports"] == ["127.0.0.1:9464:9464"], "metrics on the host's loopback only"


def test_compose_gives_the_bot_its_secrets_from_a_file_and_the_environment() -> None:
    bot, database = service("bot"), service("db")
    env = mapping(bot["environment"])
    assert "TELEGRAM_BOT_TOKEN" not in env
    secret = str(env["TELEGRAM_BOT_TOKEN_FILE"]).removeprefix("/run/secrets/")
    assert bot["secrets"] == [secret]
    assert mapping(mapping(COMPOSE)["secrets"])[secret] == {"file": f"./secrets/{secret}"}
    password = "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
    assert mapping(database["environment"])["POSTGRES_PASSWORD"] == password
    url = make_url(str(env["DATABASE_URL"]).replace(password, "pw"))
    assert (url.drivername, url.host, url.port, url.database) == (
        "postgresql+asyncpg",
        "db",
        5432,
        "newsdigest",
    )
    assert url.password == "pw", "the password comes only from the interpolated environment"


def test_the_systemd_unit_hands_the_token_over_as_a_credential_file() -> None:
    text = (ROOT / "deploy" / "newsdigest.service").read_text(encoding="utf-8")
    service_lines = unit_sections(text)["Service"]
    settings = dict(service_lines)
    assert settings["ExecStart"].endswith("/newsdigest run")
    assert settings["User"] not in ("root", "0")
    credential = settings["LoadCredential"].split(":")[0]
    env = dict(v.split("=", 1) for k, v in service_lines if k == "Environment")
    assert env["TELEGRAM_BOT_TOKEN_FILE"] == f"%d/{credential}"
    assert "TELEGRAM_BOT_TOKEN" not in env
    assert settings["KillSignal"] == "SIGTERM" and int(settings["TimeoutStopSec"]) >= 60


class _Health(BaseHTTPRequestHandler):
    """/healthz answering with the server's `status`; anything else is 404."""

    def do_GET(self) -> None:
        status = getattr(self.server, "status", 200) if self.path == "/healthz" else 404
        body = b'{"database": "ok", "role": "sender"}'
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the script's output, not the server's."""


@contextmanager
def health_server(status: int) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    server.status = status  # type: ignore[attr-defined]
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run_healthcheck(listen: str | None) -> subprocess.CompletedProcess[str]:
    """The script as HEALTHCHECK runs it, without the virtualenv's packages (-I -S)."""
    env = {"METRICS_LISTEN": listen} if listen is not None else {}
    return subprocess.run(
        [sys.executable, "-I", "-S", str(HEALTHCHECK_SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(("status", "code"), [(200, 0), (503, 1)])
def test_the_health_check_passes_only_on_200(status: int, code: int) -> None:
    with health_server(status) as port:
        result = run_healthcheck(f"127.0.0.1:{port}")
    assert result.returncode == code, result
    assert f"healthz: {status} " in result.stdout and '"database": "ok"' in result.stdout


def test_the_health_check_asks_loopback_when_the_bot_listens_on_every_address() -> None:
    with health_server(200) as port:
        assert run_healthcheck(f"0.0.0.0:{port}").returncode == 0


def test_the_health_check_fails_when_nothing_answers_or_nothing_is_configured() -> None:
    with health_server(200) as port:
        pass  # the port was free a moment ago and is closed now
    silent = run_healthcheck(f"127.0.0.1:{port}")
    assert silent.returncode == 1 and "no answer" in silent.stdout
    unset = run_healthcheck(None)
    assert unset.returncode == 1 and "METRICS_LISTEN is not set" in unset.stderr
    malformed = run_healthcheck("127.0.0.1:http")
    assert malformed.returncode == 1 and "not a host:port" in malformed.stderr
