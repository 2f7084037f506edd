"""The container's health check: GET /healthz on METRICS_LISTEN; exit 0 on 200, 1 otherwise.

Standard library only, since the slim image has no curl. http.client rather than urllib, so a
proxy set in the container's environment is never asked about the bot's own loopback port.
"""

from __future__ import annotations

import http.client
import os
import sys

TIMEOUT_SECONDS = 4.0
# A listener on every address is reached through loopback.
WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}  # noqa: S104


def target(listen: str) -> tuple[str, int]:
    """The host and port to ask, from METRICS_LISTEN's `host:port` (IPv6 in brackets or not)."""
    host, _, port = listen.strip().rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    return WILDCARDS.get(host, host), int(port)


def check(listen: str) -> tuple[bool, str]:
    """Whether /healthz answers 200, and one line saying what it answered."""
    host, port = target(listen)
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        body = response.read(2048).decode("utf-8", "replace").strip()
    except OSError as error:
        return False, f"healthz: no answer from {host}:{port} ({error})"
    finally:
        connection.close()
    return response.status == 200, f"healthz: {response.status} {body}"


def main() -> int:
    listen = os.environ.get("METRICS_LISTEN", "")
    if not listen.strip():
        print("healthz: METRICS_LISTEN is not set, so there is nothing to ask", file=sys.stderr)
        return 1
    try:
        healthy, report = check(listen)
    except ValueError:
        print("healthz: METRICS_LISTEN is not a host:port", file=sys.stderr)
        return 1
    print(report)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
