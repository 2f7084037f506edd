"""GET /metrics (Prometheus text format) and GET /healthz (JSON) on METRICS_LISTEN.

Started by `newsdigest run` before it waits for the sender lease, so a standby answers too;
nothing listens when METRICS_LISTEN is unset.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, generate_latest

from bot.clock import Clock
from bot.metrics.health import DatabaseProbe, Heartbeats, health_report
from bot.metrics.registry import METRICS, Metrics
from bot.settings import Settings, SettingsError, host_and_port

logger = logging.getLogger(__name__)


class Endpoints:
    """The two routes, over the registry, the heartbeats and a database probe."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        heartbeats: Heartbeats,
        probe: DatabaseProbe,
        metrics: Metrics,
    ) -> None:
        self.settings, self.clock, self.heartbeats = settings, clock, heartbeats
        self.probe, self.metrics = probe, metrics

    async def scrape(self, _request: web.Request) -> web.Response:
        """The classic text format (0.0.4), which every Prometheus version reads."""
        body = generate_latest(self.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_PLAIN_0_0_4})

    async def health(self, _request: web.Request) -> web.Response:
        database_ok = await self.probe.answers()
        report = health_report(
            self.heartbeats,
            now=self.clock.now(),
            database_ok=database_ok,
            tick_seconds=self.settings.digest_tick_seconds,
            poll_seconds=self.settings.source_tick_seconds,
        )
        return web.json_response(report.body, status=report.status)

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/metrics", self.scrape)
        app.router.add_get("/healthz", self.health)
        return app


@asynccontextmanager
async def serving(
    settings: Settings, clock: Clock, heartbeats: Heartbeats, metrics: Metrics = METRICS
) -> AsyncIterator[None]:
    """Serve /metrics and /healthz on METRICS_LISTEN while the block runs (nothing if unset)."""
    if settings.metrics_listen is None:
        yield
        return
    host, port = host_and_port(settings.metrics_listen)
    probe = DatabaseProbe(settings.database_url)
    endpoints = Endpoints(settings, clock, heartbeats, probe, metrics)
    runner = web.AppRunner(endpoints.application(), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as error:  # taken, or not an address of this machine
            raise SettingsError(
                f"setting METRICS_LISTEN: cannot listen on {host}:{port} ({error.strerror})"
            ) from None
        logger.info("metrics and health on http://%s:%s (/metrics, /healthz)", host, port)
        yield
    finally:
        await runner.cleanup()
        await probe.close()
