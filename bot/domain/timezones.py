"""Time-zone names a chat may choose: any IANA name, typed loosely, stored canonically.

Since 1 March 2024 all of Kazakhstan keeps UTC+5 with no DST, so `Asia/Almaty` is the right
default for every region. Reading the time-zone database is the only I/O here.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from typing import Final

DEFAULT_ZONE: Final = "Asia/Almaty"

# Offered on the /timezone keyboard: Kazakhstan first, then where readers often live.
SUGGESTED_ZONES: Final[tuple[str, ...]] = (
    "Asia/Almaty",
    "Europe/Moscow",
    "Asia/Tashkent",
    "Asia/Bishkek",
    "Europe/Istanbul",
    "Asia/Dubai",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "UTC",
)


def canonical_zone(name: str) -> str | None:
    """The canonical spelling of a zone typed in any case, with spaces for underscores.

    `asia/almaty` and `America/New York` resolve; so does a bare city (`almaty`, `new york`)
    when exactly one zone ends with it. None when unknown or ambiguous.
    """
    key = _key(name)
    if not key:
        return None
    by_name, by_city = _index()
    return by_name.get(key) or by_city.get(key)


def is_valid_zone(name: str) -> bool:
    """Whether `name` is a canonical IANA zone name, as stored in the database."""
    return canonical_zone(name) == name


# Not places: tzdata build artefacts a user should never end up with.
_EXCLUDED: Final = frozenset({"Factory", "localtime", "posixrules"})
_SEPARATORS: Final = re.compile(r"[\s_]+")


def _key(name: str) -> str:
    return _SEPARATORS.sub("_", name.strip()).strip("_").casefold()


@functools.cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """Lower-cased full name -> zone, and unambiguous last component -> zone."""
    zones = sorted(zoneinfo.available_timezones() - _EXCLUDED)
    by_name = {_key(zone): zone for zone in zones}
    cities: dict[str, list[str]] = {}
    for zone in zones:
        if "/" in zone:
            cities.setdefault(_key(zone.rsplit("/", 1)[1]), []).append(zone)
    by_city = {city: found[0] for city, found in cities.items() if len(found) == 1}
    return by_name, by_city
