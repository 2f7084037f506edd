"""The address rule: private destinations are refused in any spelling, after any redirect and
whatever DNS answers, before a single connection is attempted.

The inner network backend is httpcore's real one with a log of its connects (a recorder at the
library boundary); resolvers are injected where a test needs a name to resolve somewhere.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from pathlib import Path

import httpcore
import httpx
import pytest
from aiohttp import web
from hypothesis import example, given
from hypothesis import strategies as st

from bot.ingest.address_guard import (
    AddressPolicy,
    GuardedBackend,
    IPAddress,
    PrivateAddressError,
    is_public,
    system_resolver,
)
from bot.ingest.fetch import FetchResult, fetch
from bot.ingest.http_client import source_client
from bot.settings import Settings
from tests.ingest.http_server import LocalServer, redirect, respond, running_server

MB = 1024 * 1024
ONLY_127_0_0_1 = (IPv4Network("127.0.0.1/32"),)
PRIVATE_V4 = [
    IPv4Network(net)
    for net in (
        "127.0.0.0/8",
        "10.0.0.0/8",
        "192.168.0.0/16",
        "172.16.0.0/12",
        "169.254.0.0/16",
        "100.64.0.0/10",
    )
]


class RecordingBackend(httpcore.AsyncNetworkBackend):
    """httpcore's real asyncio backend, logging every TCP connect it is asked to make."""

    def __init__(self) -> None:
        self.connects: list[tuple[str, int]] = []
        self._real = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connects.append((host, port))
        return await self._real.connect_tcp(
            host, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AssertionError("the guard must never hand a unix socket through")

    async def sleep(self, seconds: float) -> None:
        await self._real.sleep(seconds)


class FakeDns:
    """Answers every name with the next of `answers` (the last one repeats); logs the names."""

    def __init__(self, *answers: tuple[str, ...]) -> None:
        self._answers = list(answers)
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        self.asked.append(host)
        answer = self._answers.pop(0) if len(self._answers) > 1 else self._answers[0]
        return [ip_address(address) for address in answer]


def resolve(spelling: str) -> list[IPAddress]:
    """What the real resolver makes of a host spelling (numeric ones never touch DNS)."""
    return asyncio.run(system_resolver(spelling, 80))


def refused(spelling: str, policy: AddressPolicy | None = None) -> bool:
    policy = policy or AddressPolicy()
    return not all(policy.permits(address) for address in resolve(spelling))


def client(
    recorder: RecordingBackend,
    *,
    allowed: tuple[IPv4Network | IPv6Network, ...] = ONLY_127_0_0_1,
    allow_private: bool = False,
    dns: FakeDns | None = None,
) -> httpx.AsyncClient:
    settings = Settings(
        _env_file=None, allow_private_sources=allow_private, private_source_networks=allowed
    )
    return source_client(settings, network_backend=recorder, resolver=dns)


async def get(http: httpx.AsyncClient, url: str) -> FetchResult:
    return await fetch(http, url, etag=None, last_modified=None, max_bytes=MB, timeout=5)


@pytest.fixture
async def admin() -> AsyncIterator[LocalServer]:
    """An "internal admin panel" on another loopback address (all of 127/8 is loopback)."""
    async with running_server(host="127.0.0.2") as local:
        local.route("/admin", respond(200, b"<h1>secret admin panel</h1>"))
        yield local


# The rule itself --------------------------------------------------------------------------

REFUSED_SPELLINGS = [
    "127.0.0.1",
    "2130706433",  # 127.0.0.1 as one decimal number
    "0177.0.0.1",  # octal
    "0x7f.1",  # hex, short form
    "0x7f000001",
    "127.1",  # short form
    "0",  # 0.0.0.0
    "0.0.0.0",  # noqa: S104 - an address under test, not a bind
    "10.0.0.1",
    "012.0.0.1",  # 10.0.0.1 in octal
    "172.16.5.4",
    "192.168.1.1",
    "3232235777",  # 192.168.1.1
    "169.254.169.254",  # cloud metadata
    "0xa9fea9fe",  # the same, in hex
    "2852039166",  # the same, in decimal
    "100.64.0.1",  # carrier-grade NAT
    "198.18.0.1",  # benchmarking
    "192.0.2.1",  # documentation
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "::1",
    "::",
    "0:0:0:0:0:0:0:1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::127.0.0.1",  # IPv4-compatible (deprecated)
    "2002:7f00:1::1",  # 6to4 around 127.0.0.1
    "2002:a9fe:a9fe::",  # 6to4 around the metadata address
    "2002::1",  # 6to4 around 0.0.0.0
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::169.254.169.254",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2001:db8::1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fec0::1",  # site-local (deprecated)
    "ff02::1",  # multicast
    "100::1",  # discard-only
]

PUBLIC_SPELLINGS = [
    "93.184.216.34",
    "1572395042",  # 93.184.216.34 in decimal: spelling alone decides nothing
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700::1111",
    "2001:4860:4860::8888",
    "::ffff:93.184.216.34",  # mapped: the same IPv4 host
    "64:ff9b::5db8:d822",  # NAT64 of a public address
]


@pytest.mark.parametrize("spelling", REFUSED_SPELLINGS)
def test_private_spellings_are_refused(spelling: str) -> None:
    assert refused(spelling)


@pytest.mark.parametrize("spelling", PUBLIC_SPELLINGS)
def test_public_addresses_are_permitted(spelling: str) -> None:
    assert not refused(spelling)


@pytest.mark.parametrize("spelling", ["127.0.0.1", "10.0.0.1", "::1", "fe80::1", "224.0.0.1"])
def test_allow_private_lifts_the_rule(spelling: str) -> None:
    assert not refused(spelling, AddressPolicy(allow_private=True))


def test_allowed_networks_let_exactly_their_members_through() -> None:
    policy = AddressPolicy(allowed_networks=(IPv4Network("10.1.2.0/24"), IPv6Network("fd00::/64")))
    assert not refused("10.1.2.7", policy)
    assert not refused("::ffff:10.1.2.7", policy)  # the same host
    assert not refused("fd00::5", policy)
    assert refused("10.1.3.7", policy)
    assert refused("127.0.0.1", policy)
    assert refused("fd00:0:0:1::5", policy)


def private_ipv4() -> st.SearchStrategy[IPv4Address]:
    return st.sampled_from(PRIVATE_V4).flatmap(
        lambda net: st.integers(int(net.network_address), int(net.broadcast_address)).map(
            IPv4Address
        )
    )


def spellings(address: IPv4Address) -> list[str]:
    number = int(address)
    return [
        str(address),
        str(number),
        f"0x{number:x}",
        ".".join(f"0{int(octet):o}" for octet in str(address).split(".")),
        f"::ffff:{address}",
    ]


@given(private_ipv4())
@example(IPv4Address("127.255.255.255"))
@example(IPv4Address("100.127.255.255"))
@example(IPv4Address("172.31.255.255"))
def test_private_ipv4_is_refused_in_every_spelling(address: IPv4Address) -> None:
    for spelling in spellings(address):
        assert resolve(spelling) in ([address], [IPv6Address(f"::ffff:{address}")])
        assert refused(spelling), spelling


@given(private_ipv4())
def test_tunnelled_private_ipv4_is_refused(address: IPv4Address) -> None:
    number = int(address)
    sixtofour = IPv6Address((0x2002 << 112) | (number << 80))
    nat64 = IPv6Address(int(IPv6Address("64:ff9b::")) | number)
    assert sixtofour.sixtofour == address
    assert not is_public(sixtofour)
    assert not is_public(nat64)


@given(st.integers(0, 2**32 - 1).map(IPv4Address))
def test_mapped_ipv4_is_judged_as_the_ipv4(address: IPv4Address) -> None:
    policy = AddressPolicy()
    assert policy.permits(IPv6Address(f"::ffff:{address}")) == policy.permits(address)


@given(
    private_ipv4(),
    st.sampled_from(PRIVATE_V4),
    st.integers(0, 2**32 - 1),
    st.integers(0, 32),
)
def test_allowed_networks_admit_exactly_their_members(
    address: IPv4Address, parent: IPv4Network, seed: int, extra_bits: int
) -> None:
    prefix = min(32, parent.prefixlen + extra_bits)
    base = IPv4Address(int(parent.network_address) | (seed & int(parent.hostmask)))
    allowed = IPv4Network(f"{base}/{prefix}", strict=False)
    policy = AddressPolicy(allowed_networks=(allowed,))
    assert policy.permits(address) == (address in allowed)


# The backend: refuse before connecting, connect to the checked literal ---------------------


@pytest.mark.parametrize(
    "host",
    ["2130706433", "0177.0.0.1", "0x7f.1", "::1", "::ffff:127.0.0.1", "169.254.169.254", "0"],
)
async def test_backend_refuses_before_connecting(host: str) -> None:
    recorder = RecordingBackend()
    backend = GuardedBackend(AddressPolicy(), inner=recorder)
    with pytest.raises(PrivateAddressError):
        await backend.connect_tcp(host, 80)
    assert recorder.connects == []


async def test_one_refused_answer_refuses_the_name() -> None:
    recorder = RecordingBackend()
    dns = FakeDns(("127.0.0.1", "127.0.0.2"))
    policy = AddressPolicy(allowed_networks=ONLY_127_0_0_1)
    backend = GuardedBackend(policy, inner=recorder, resolver=dns)
    with pytest.raises(PrivateAddressError) as refusal:
        await backend.connect_tcp("feeds.example", 80)
    assert (refusal.value.host, refusal.value.address) == ("feeds.example", "127.0.0.2")
    assert recorder.connects == []


async def test_unix_sockets_are_refused() -> None:
    backend = GuardedBackend(AddressPolicy(allow_private=True), inner=RecordingBackend())
    with pytest.raises(PrivateAddressError):
        await backend.connect_unix_socket("/run/docker.sock")


async def test_next_address_is_tried_when_one_does_not_answer(server: LocalServer) -> None:
    recorder = RecordingBackend()
    dns = FakeDns(("127.0.0.3", "127.0.0.1"))  # nothing listens on 127.0.0.3
    backend = GuardedBackend(AddressPolicy(allow_private=True), inner=recorder, resolver=dns)
    stream = await backend.connect_tcp("feeds.example", server.port, timeout=5)
    await stream.aclose()
    assert recorder.connects == [("127.0.0.3", server.port), ("127.0.0.1", server.port)]


async def test_unresolvable_name_is_a_connection_reason() -> None:
    async def nxdomain(host: str, port: int) -> list[IPAddress]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    recorder = RecordingBackend()
    settings = Settings(_env_file=None)
    async with source_client(settings, network_backend=recorder, resolver=nxdomain) as http:
        result = await get(http, "http://feeds.example/rss")
    assert (result.status, result.reason) == ("error", "fetch.connection")
    assert recorder.connects == []


async def test_slow_resolver_is_a_timeout() -> None:
    async def stuck(host: str, port: int) -> list[IPAddress]:
        await asyncio.sleep(10)
        return []

    settings = Settings(_env_file=None)
    async with source_client(settings, resolver=stuck) as http:
        result = await fetch(
            http, "http://feeds.example/", etag=None, last_modified=None, max_bytes=MB, timeout=0.2
        )
    assert result.reason == "fetch.timeout"


# Through the client and fetch -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://2130706433:{port}/rss", "fetch.private_address"),
        ("http://0x7f.1:{port}/rss", "fetch.private_address"),
        ("http://127.1:{port}/rss", "fetch.private_address"),
        ("http://127.0.0.1:{port}/rss", "fetch.private_address"),
        ("http://localhost:{port}/rss", "fetch.private_address"),
        ("http://[::1]:{port}/rss", "fetch.private_address"),
        ("http://[::ffff:127.0.0.1]:{port}/rss", "fetch.private_address"),
        ("https://127.0.0.1:{port}/rss", "fetch.private_address"),
        ("http://169.254.169.254/latest/meta-data/", "fetch.private_address"),
        ("http://10.0.0.1/", "fetch.private_address"),
        ("http://[fe80::1]/", "fetch.private_address"),
        ("http://0177.0.0.1:{port}/rss", "fetch.invalid_url"),  # httpx refuses this one itself
    ],
)
async def test_refused_urls_never_connect(server: LocalServer, url: str, reason: str) -> None:
    server.route("/rss", respond(200, b"<rss/>"))
    recorder = RecordingBackend()
    async with client(recorder, allowed=()) as http:
        result = await get(http, url.format(port=server.port))
    assert (result.status, result.reason, result.body) == ("error", reason, b"")
    assert recorder.connects == []
    assert server.requests == []


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.2:{port}/admin",
        "http://2130706434:{port}/admin",  # 127.0.0.2 in decimal
        "http://[::1]:{port}/admin",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
async def test_redirect_to_a_private_address_is_refused(
    server: LocalServer, admin: LocalServer, location: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = server.route("/feed", redirect(location.format(port=admin.port)))
    recorder = RecordingBackend()
    with caplog.at_level(logging.INFO, logger="bot.ingest.fetch"):
        async with client(recorder) as http:
            result = await get(http, url)
    assert (result.status, result.reason, result.final_url) == (
        "error",
        "fetch.private_address",
        url,
    )
    assert admin.requests == []
    assert recorder.connects == [("127.0.0.1", server.port)]
    [record] = caplog.records
    assert record.levelno == logging.INFO
    assert url in record.getMessage()


async def test_allow_private_sources_follows_the_same_redirect(
    server: LocalServer, admin: LocalServer
) -> None:
    url = server.route("/feed", redirect(admin.url("/admin")))
    async with client(RecordingBackend(), allowed=(), allow_private=True) as http:
        result = await get(http, url)
    assert (result.status, result.body) == ("ok", b"<h1>secret admin panel</h1>")
    assert len(admin.requests) == 1


async def test_name_resolving_to_a_private_address_is_refused(admin: LocalServer) -> None:
    recorder = RecordingBackend()
    dns = FakeDns(("127.0.0.2",))
    async with client(recorder, dns=dns) as http:
        result = await get(http, f"http://feeds.example:{admin.port}/admin")
    assert result.reason == "fetch.private_address"
    assert recorder.connects == []
    assert admin.requests == []


async def test_the_checked_address_is_dialled_not_the_name(
    server: LocalServer, admin: LocalServer
) -> None:
    """DNS rebinding: were the name looked up again to connect, it would answer 127.0.0.2."""
    server.route("/feed", respond(200, b"<rss/>"))
    recorder = RecordingBackend()
    dns = FakeDns(("127.0.0.1",), ("127.0.0.2",))
    async with client(recorder, dns=dns) as http:
        result = await get(http, f"http://feeds.example:{server.port}/feed")
    assert (result.status, result.body) == ("ok", b"<rss/>")
    assert dns.asked == ["feeds.example"]
    assert recorder.connects == [("127.0.0.1", server.port)]
    assert server.hits("/feed")[0].headers["host"] == f"feeds.example:{server.port}"
    assert admin.requests == []


async def test_every_new_connection_is_checked_again(
    server: LocalServer, admin: LocalServer
) -> None:
    """A redirect within one origin reuses the checked connection; a new origin is looked up
    again, and this time the name has been rebound to the admin panel."""
    server.route("/old", redirect("/feed"))
    server.route("/feed", redirect(f"http://feeds.example:{admin.port}/admin"))
    recorder = RecordingBackend()
    dns = FakeDns(("127.0.0.1",), ("127.0.0.2",))
    async with client(recorder, dns=dns) as http:
        result = await get(http, f"http://feeds.example:{server.port}/old")
    assert result.reason == "fetch.private_address"
    assert dns.asked == ["feeds.example", "feeds.example"]
    assert recorder.connects == [("127.0.0.1", server.port)]
    assert [request.path for request in server.requests] == ["/old", "/feed"]
    assert admin.requests == []


@pytest.mark.parametrize(("size", "connects"), [(100, 1), (200_000, 2)])
async def test_short_redirect_bodies_keep_the_connection(
    server: LocalServer, size: int, connects: int
) -> None:
    """fetch reads a redirect's body raw so the next hop can reuse the connection; a long one
    is cut off and the connection dropped instead."""
    server.route("/old", respond(301, b"m" * size, headers=[("Location", "/rss")]))
    server.route("/rss", respond(200, b"<rss/>"))
    recorder = RecordingBackend()
    async with client(recorder) as http:
        result = await get(http, server.url("/old"))
    assert (result.status, result.body) == ("ok", b"<rss/>")
    assert recorder.connects == [("127.0.0.1", server.port)] * connects


# TLS: the socket goes to the IP literal, the certificate is checked against the name ------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=feeds.example",
                "-addext",
                "subjectAltName=DNS:feeds.example",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"openssl cannot make a test certificate: {error}")
    return cert, key


async def test_https_checks_the_certificate_against_the_name(
    certificate: tuple[Path, Path],
) -> None:
    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)

    async def hello(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(body=b"<rss/>")

    runner = web.ServerRunner(web.Server(hello, access_log=None), shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_context)
    await site.start()
    try:
        port = runner.addresses[0][1]
        recorder = RecordingBackend()
        policy = AddressPolicy(allowed_networks=ONLY_127_0_0_1)
        backend = GuardedBackend(policy, inner=recorder, resolver=FakeDns(("127.0.0.1",)))
        client_context = ssl.create_default_context(cafile=str(cert))
        async with httpcore.AsyncConnectionPool(
            ssl_context=client_context, network_backend=backend
        ) as pool:
            response = await pool.request("GET", f"https://feeds.example:{port}/")
        assert (response.status, response.content) == (200, b"<rss/>")
        assert recorder.connects == [("127.0.0.1", port)]
    finally:
        await runner.cleanup()
