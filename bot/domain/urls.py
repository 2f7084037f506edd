"""URL normalisation: one canonical form per article, and the site name shown in digests."""

from __future__ import annotations

from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PREFIXES: Final = ("utm_", "mc_", "pk_", "hsa_")
_TRACKING_NAMES: Final = frozenset(
    {"fbclid", "gclid", "yclid", "dclid", "msclkid", "igshid", "_openstat", "ref", "ref_src", "spm"}
)
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


def canonical_url(url: str) -> str | None:
    """Lower-case scheme and host, no fragment, no tracking parameters, no default port.

    Returns None for anything that is not an absolute http(s) URL.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not _is_tracking(key)
        ]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def site_name(url: str | None) -> str:
    """The domain shown beside an item: `gov.kz` for `https://www.gov.kz/...`."""
    if not url:
        return ""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)
