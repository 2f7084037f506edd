"""The HTTP client that fetches sources: polite, bounded, and unable to reach private networks."""

from __future__ import annotations

import httpcore
import httpx

from bot.ingest.address_guard import AddressPolicy, GuardedBackend, Resolver
from bot.settings import Settings

_SCHEMES = frozenset({"http", "https"})


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, but its connection pool connects through `backend`.

    httpx 0.28's `AsyncHTTPTransport` builds its httpcore pool itself and offers no
    `network_backend` parameter, so the pool is replaced after construction; the rest (exception
    mapping, response streams) is inherited unchanged. Every hop is also held to http/https,
    because httpcore would follow a redirect to ws:// as well.
    """

    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        super().__init__(trust_env=False)
        limits = httpx.Limits()
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme not in _SCHEMES:
            raise httpx.UnsupportedProtocol(
                f"unsupported scheme {request.url.scheme!r}", request=request
            )
        return await super().handle_async_request(request)


def source_client(
    settings: Settings,
    *,
    network_backend: httpcore.AsyncNetworkBackend | None = None,
    resolver: Resolver | None = None,
) -> httpx.AsyncClient:
    """The client for feeds and pages: identifies itself, follows a few redirects, never hangs,
    and connects only where `settings` permit (public addresses unless told otherwise).

    `trust_env=False`: a proxy from HTTP_PROXY and friends would make the connection to the
    proxy, not to the source, so the address rule would never see the real destination.
    `network_backend` (what the guard connects through) and `resolver` are for tests.
    """
    policy = AddressPolicy(
        allow_private=settings.allow_private_sources,
        allowed_networks=settings.private_source_networks,
    )
    backend = GuardedBackend(policy, inner=network_backend, resolver=resolver)
    return httpx.AsyncClient(
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        follow_redirects=True,
        max_redirects=5,
        timeout=httpx.Timeout(20.0, connect=10.0),
        trust_env=False,
        transport=GuardedTransport(backend),
    )
