"""Message text rules shared by the parser and the methods: UTF-16 lengths, entity order,
trimming and the entities Telegram finds on its own (commands, mentions, links)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

MAX_MESSAGE_LENGTH = 4096  # UTF-16 code units, counted after entity parsing

_PRIORITY = {
    "blockquote": 0, "expandable_blockquote": 0, "pre": 11, "code": 20, "text_link": 49,
    "text_mention": 49, "bold": 90, "italic": 91, "underline": 92, "strikethrough": 93,
    "spoiler": 94, "custom_emoji": 99,
}  # fmt: skip
_EXTRA_FIELD = {
    "text_link": "url",
    "pre": "language",
    "code": None,
    "custom_emoji": "custom_emoji_id",
}
_OPAQUE = frozenset({"code", "pre", "text_link", "text_mention", "custom_emoji"})
_TRIMMED = " \t\n\v\f\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u3000\ufeff"  # noqa: E501
_DETECTORS = (
    ("bot_command", re.compile(
        r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])"
    )),
    ("mention", re.compile(r"(?<!\w)@[A-Za-z0-9_]{2,32}(?!\w)")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*(?![\w#])")),
    ("url", re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")),
)  # fmt: skip


@dataclass(frozen=True)
class Entity:
    """A MessageEntity; `extra` holds the url, language, custom emoji id or mentioned user id."""

    type: str
    offset: int
    length: int
    extra: str | None = None

    def to_api(self, user: Callable[[int], dict[str, Any]] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.type == "text_mention" and self.extra is not None:
            uid = int(self.extra)
            body["user"] = user(uid) if user else {"id": uid, "is_bot": False, "first_name": ""}
            return body
        field = _EXTRA_FIELD.get(self.type)
        if field and self.extra is not None:
            body[field] = self.extra
        return body


def utf16_len(text: str) -> int:
    """Telegram counts lengths and offsets in UTF-16 code units (an emoji is often 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def sort_entities(entities: list[Entity]) -> list[Entity]:
    """Telegram's order: by offset, longer first, then by type priority."""
    return sorted(entities, key=lambda e: (e.offset, -e.length, _PRIORITY.get(e.type, 50)))


def checked_link(url: str) -> str:
    """The normalised link for a text_link, or "" when Telegram would drop it."""
    url = url.strip()
    if not url:
        return ""
    lowered = url.lower()
    if lowered.startswith(("tg:", "ton:")):
        return url
    if "://" not in url:
        url, lowered = "http://" + url, "http://" + lowered
    if not lowered.startswith(("http://", "https://")):
        return ""
    try:
        parts = urlsplit(url)
        _ = parts.port  # "javascript:alert(1)" reads as host "javascript" with a bad port
    except ValueError:
        return ""
    host = parts.hostname or ""
    if not host or not re.fullmatch(r"[\w.-]+", host) or host.startswith("."):
        return ""
    return parts._replace(path=parts.path or "/").geturl()


def _units_to_index(text: str) -> list[int]:
    """Map each UTF-16 unit position to a str index (length utf16_len + 1)."""
    index: list[int] = []
    for i, char in enumerate(text):
        index.extend([i] * (2 if ord(char) > 0xFFFF else 1))
    index.append(len(text))
    return index


def _substring(text: str, index: list[int], entity: Entity) -> str:
    return text[index[entity.offset] : index[entity.offset + entity.length]]


def finalize(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Apply Telegram's clean-up to a message: drop CR, trim outer whitespace, clip entities,
    drop entities left empty or covering only blanks, then sort."""
    units = [(c, 2 if ord(c) > 0xFFFF else 1) for c in text]
    kept_prefix = [0]
    for char, width in units:
        kept_prefix.append(kept_prefix[-1] + (0 if char == "\r" else width))
    unit_pos = [0]
    for _, width in units:
        unit_pos.append(unit_pos[-1] + width)
    unit_to_kept = {unit_pos[i]: kept_prefix[i] for i in range(len(unit_pos))}
    clean = text.replace("\r", "")
    start = len(clean) - len(clean.lstrip(_TRIMMED))
    clean_trimmed = clean.strip(_TRIMMED)
    lead = utf16_len(clean[:start])
    total = utf16_len(clean_trimmed)
    index = _units_to_index(clean_trimmed)
    result: list[Entity] = []
    for entity in entities:
        begin = _nearest(unit_to_kept, entity.offset) - lead
        end = _nearest(unit_to_kept, entity.offset + entity.length) - lead
        begin, end = max(begin, 0), min(end, total)
        if end <= begin:
            continue
        moved = replace(entity, offset=begin, length=end - begin)
        content = _substring(clean_trimmed, index, moved)
        blank = "\n" if entity.type in _OPAQUE else " \n"
        if content.strip(blank):
            result.append(moved)
    return clean_trimmed, sort_entities(result)


def _nearest(mapping: dict[int, int], unit: int) -> int:
    while unit not in mapping and unit > 0:
        unit -= 1
    return mapping.get(unit, 0)


def detect_entities(text: str, existing: list[Entity]) -> list[Entity]:
    """Entities Telegram adds by itself, outside code, pre and links."""
    taken = [(e.offset, e.offset + e.length) for e in existing if e.type in _OPAQUE]
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) > 0xFFFF else 1))
    found: list[Entity] = []
    for kind, pattern in _DETECTORS:
        for match in pattern.finditer(text):
            begin, end = offsets[match.start()], offsets[match.end()]
            clashes = any(b < end and begin < e for b, e in taken)
            if not clashes:
                found.append(Entity(kind, begin, end - begin))
                taken.append((begin, end))
    return found
