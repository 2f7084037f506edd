# syntax=docker/dockerfile:1
# newsdigest as a container: `docker build -t newsdigest .`, then see compose.yaml and the
# README's "Deploying" section. No secret is ever part of the image: the token comes from
# TELEGRAM_BOT_TOKEN or TELEGRAM_BOT_TOKEN_FILE at run time, and .dockerignore keeps `.env` out.

# Build stage: the package and its pinned dependencies into a virtualenv, nothing else.
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
WORKDIR /src
COPY constraints.txt pyproject.toml README.md ./
COPY bot ./bot
COPY storage ./storage
COPY seeds ./seeds
# The exact versions `make test` runs with; each has a wheel for linux/amd64 and arm64, so no
# compiler is needed.
RUN /opt/venv/bin/pip install -c constraints.txt .

# Run stage: Python, the virtualenv and the health check; the sources are not copied.
FROM python:3.11-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    DATABASE_URL=sqlite+aiosqlite:////data/newsdigest.db \
    METRICS_LISTEN=0.0.0.0:9464
# A fixed numeric id, so orchestrators can check it is not root and file secrets can be
# owned by it on the host.
RUN groupadd --system --gid 10001 newsdigest \
    && useradd --system --uid 10001 --gid newsdigest --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin newsdigest \
    && install --directory --owner=newsdigest --group=newsdigest --mode=0750 /data
COPY --from=build /opt/venv /opt/venv
COPY deploy/healthcheck.py /opt/newsdigest/healthcheck.py
USER 10001:10001
# The SQLite database (and BACKUP_DIR, when set under it) live here; with PostgreSQL nothing does.
WORKDIR /data
VOLUME ["/data"]
# Prometheus metrics and the health check (GET /metrics, GET /healthz).
EXPOSE 9464
# GET /healthz on METRICS_LISTEN: 503 when the database does not answer or the ticks stalled.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/opt/newsdigest/healthcheck.py"]
# SIGTERM drains: digests being sent finish and are recorded (give it a grace period).
STOPSIGNAL SIGTERM
CMD ["newsdigest", "run"]
