"""Which hosts a source may make us connect to, enforced where the socket is opened.

A feed URL, or any redirect it answers with, could point at our own network: loopback admin
pages, cloud metadata (169.254.169.254), the office LAN. Checking URLs is not enough, because a
name can resolve to such an address (and resolve differently a second time: DNS rebinding), and
an address can be spelled in many ways (2130706433, 0x7f.1, [::ffff:127.0.0.1]). So the rule is
applied to what the resolver returns, once per connection, and the socket is opened to that very
address, never to the name again.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

import httpcore
import httpx

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network
Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]

# RFC 6052's well-known prefix: a translator forwards these to the IPv4 in the last 32 bits.
_NAT64 = IPv6Network("64:ff9b::/96")


class PrivateAddressError(httpx.ConnectError):
    """A destination the policy refuses; raised before any connection is attempted.

    It is an `httpx.ConnectError` so that code which knows nothing of the rule still treats it
    as a failed connection rather than crashing; `fetch` tells it apart by its class.
    """

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"refused to connect to {host!r} ({address}): not a public address")
        self.host = host
        self.address = address


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Public addresses only, unless `allow_private` (self-hosted setups, tests) or the address is
    in one of `allowed_networks` (a known internal feed server, say)."""

    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()

    def permits(self, address: IPAddress) -> bool:
        if self.allow_private:
            return True
        if _member(_same_host(address), self.allowed_networks):
            return True
        return is_public(address)


def is_public(address: IPAddress) -> bool:
    """True when `address` and every IPv4 address it carries inside is globally routable.

    `ipaddress` knows the special-purpose registries; the other flags are checked as well
    because its `is_global` says yes to multicast and, in 3.11, to site-local (fec0::/10).
    """
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None:  # the same socket as the IPv4 address
            return is_public(address.ipv4_mapped)
        if address in _NAT64:  # a public translator; what counts is where it forwards to
            return is_public(IPv4Address(int(address) & 0xFFFF_FFFF))
        if address.is_site_local or not all(map(is_public, _tunnelled(address))):
            return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
    )


def _tunnelled(address: IPv6Address) -> list[IPv4Address]:
    """IPv4 endpoints a 6to4 or Teredo address delivers to."""
    found = [address.sixtofour] if address.sixtofour is not None else []
    if address.teredo is not None:
        found.extend(address.teredo)
    return found


def _same_host(address: IPAddress) -> IPAddress:
    """An IPv4-mapped IPv6 address is the IPv4 host itself (the kernel connects over IPv4)."""
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _member(address: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    return any(address in network for network in networks if network.version == address.version)


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The addresses getaddrinfo gives for `host`; it also reads numeric spellings such as
    2130706433 or 0x7f.1, which is why the rule is applied to its answer and not the URL."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ip_address(info[4][0]) for info in infos]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that resolves once, refuses if any answer is not permitted,
    then connects the inner backend to the checked address literal.

    Only the TCP connect sees the IP; httpcore still gives `start_tls` the URL's host name as
    SNI and for certificate checks, so HTTPS keeps working.
    """

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        inner: httpcore.AsyncNetworkBackend | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self._policy = policy
        # AnyIOBackend is what httpcore's (private) AutoBackend picks under asyncio.
        self._inner = inner or httpcore.AnyIOBackend()
        self._resolve = resolver or system_resolver

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._addresses(host, port, timeout)
        for address in addresses:
            if not self._policy.permits(address):
                raise PrivateAddressError(host, str(address))
        last_error = httpcore.ConnectError(f"no address for {host!r}")
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as error:  # try the next address, as browsers do
                last_error = error
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Refused: a unix socket is local by definition."""
        raise PrivateAddressError(path, "unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)

    async def _addresses(self, host: str, port: int, within: float | None) -> list[IPAddress]:
        """Resolve within the connect timeout; failures become httpcore's connect errors."""
        try:
            async with asyncio.timeout(within):
                return list(await self._resolve(host, port))
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host!r} timed out") from None
        except (OSError, ValueError) as error:  # socket.gaierror is an OSError
            raise httpcore.ConnectError(f"cannot resolve {host!r}: {error}") from error
