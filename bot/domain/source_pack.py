"""Source packs: the TOML lists of sources a fresh database starts with (seeds/sources.toml).

Parsing is strict because a pack is loaded unattended on first start: a misspelt field
("offical") would otherwise quietly make an akimat a press source. Messages name the entry
and the field, never a value (a pack may be any file the operator points SOURCE_PACK at).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from bot.domain.taxonomy import LANGUAGES, REGION_SLUGS

BUNDLED: Final = "bundled:"
FIELDS: Final = frozenset(
    {"name", "kind", "url", "minutes", "official", "languages", "region", "confirmed"}
)
_FIELD_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,39}")
_LINE: Final = re.compile(r"at line (\d+)")


class PackError(ValueError):
    """A pack that cannot be loaded; the message says where (entry number, field or line)."""


@dataclass(frozen=True, slots=True)
class PackEntry:
    """One source of a pack.

    `languages` and `region` describe what the source covers (documentation and tests; the
    tagger decides each article's region). `confirmed` is False when nobody recorded the
    address working: a feed found only in other people's code, or a guessed address.
    """

    kind: str
    url: str
    name: str = ""
    minutes: int = 60
    official: bool = False
    languages: tuple[str, ...] = ()
    region: str = ""
    confirmed: bool = True

    @property
    def bundled(self) -> bool:
        """A sample shipped inside the package: read offline."""
        return self.url.lower().startswith(BUNDLED)


def parse_pack(text: str, *, kinds: Collection[str]) -> list[PackEntry]:
    """The `[[source]]` entries of a pack, checked field by field; PackError otherwise."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _LINE.search(str(error))
        where = f" (line {found.group(1)})" if found else ""
        raise PackError(f"not valid TOML{where}") from None
    entries = document.get("source", [])
    if not isinstance(entries, list):
        raise PackError("`source` must be a list of [[source]] tables")
    return [_entry(number, raw, kinds) for number, raw in enumerate(entries, start=1)]


def sample_only(entries: Iterable[PackEntry]) -> list[PackEntry]:
    """The bundled samples of a pack: what a machine without internet can poll."""
    return [entry for entry in entries if entry.bundled]


def _entry(number: int, raw: object, kinds: Collection[str]) -> PackEntry:
    where = f"entry {number}"
    if not isinstance(raw, Mapping):
        raise PackError(f"{where} is not a table")
    unknown = sorted(str(key) for key in raw if key not in FIELDS)
    if unknown:
        name = unknown[0] if _FIELD_NAME.fullmatch(unknown[0]) else "?"
        raise PackError(f"{where}: unknown field {name} (known: {', '.join(sorted(FIELDS))})")
    kind = _text(raw, "kind", where, required=True)
    if kind not in kinds:
        raise PackError(f"{where}: kind must be one of {', '.join(kinds)}")
    minutes = raw.get("minutes", 60)
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        raise PackError(f"{where}: minutes must be a whole number")
    languages = raw.get("languages", [])
    if not isinstance(languages, list) or any(lang not in LANGUAGES for lang in languages):
        raise PackError(f"{where}: languages must be a list of {', '.join(LANGUAGES)}")
    region = _text(raw, "region", where)
    if region and region not in REGION_SLUGS:
        raise PackError(f"{where}: region must be a region slug or national")
    return PackEntry(
        kind=kind,
        url=_text(raw, "url", where, required=True),
        name=_text(raw, "name", where),
        minutes=minutes,
        official=_flag(raw, "official", where, default=False),
        languages=tuple(languages),
        region=region,
        confirmed=_flag(raw, "confirmed", where, default=True),
    )


def _text(raw: Mapping[str, object], field: str, where: str, *, required: bool = False) -> str:
    value = raw.get(field, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise PackError(f"{where}: {field} must be {'non-empty ' if required else ''}text")
    return value.strip()


def _flag(raw: Mapping[str, object], field: str, where: str, *, default: bool) -> bool:
    value = raw.get(field, default)
    if not isinstance(value, bool):
        raise PackError(f"{where}: {field} must be true or false")
    return value
