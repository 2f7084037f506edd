"""Telegram's HTML parse mode: escaping, length as Telegram counts it, and a strict validator.

Telegram limits a message to 4,096 UTF-16 code units of the text *after* entity parsing
(tags removed, entities unescaped), so lengths here are counted the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

MAX_MESSAGE_UNITS: Final = 4096

# Tags Telegram accepts (Bot API "HTML style"); aliases close only with their own name.
_PLAIN_TAGS: Final = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "pre"}
)
_ALLOWED_TAGS: Final = _PLAIN_TAGS | {"span", "a", "code", "blockquote", "tg-emoji"}
_NAMED_ENTITIES: Final = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_SPECIAL: Final = re.compile(r"[<>&]")
_TAG: Final = re.compile(
    r"<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9-]*)"
    r"(?P<attrs>(?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:=\"[^\"<>]*\")?)*)\s*>"
)
_ATTR: Final = re.compile(r"([a-zA-Z][a-zA-Z0-9-]*)(?:=\"([^\"<>]*)\")?")
_ENTITY: Final = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_EMOJI_ID: Final = re.compile(r"[0-9]{1,20}")
_LANGUAGE_CLASS: Final = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")


class Html(str):
    """A string that is already valid Telegram HTML: formatting it in does not escape it again."""

    __slots__ = ()


class TelegramHtmlError(ValueError):
    """The text would be rejected by Telegram's HTML parser (or breaks our stricter rules)."""


def escape(text: str) -> Html:
    """Escape text for an element body: `&`, `<`, `>` become entities."""
    return Html(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def escape_attr(text: str) -> Html:
    """Escape text for a double-quoted attribute value."""
    return Html(escape(text).replace('"', "&quot;"))


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: characters outside the BMP count twice."""
    return len(text.encode("utf-16-le")) // 2


def fit_lines(lines: Sequence[str], *, max_units: int = MAX_MESSAGE_UNITS) -> Html:
    """Lines of valid HTML joined by line feeds, as many whole lines as fit in `max_units`
    visible units; when some are left out, a last line "…" says so."""
    kept: list[str] = []
    used = 0  # visible units of the kept lines and the line feeds between them
    for line in lines:
        units = visible_len(line) + (1 if kept else 0)
        if used + units > max_units:
            break
        kept.append(line)
        used += units
    else:
        return Html("\n".join(kept))
    while kept and used + 2 > max_units:  # room for "\n…"
        used -= visible_len(kept.pop()) + (1 if kept else 0)
    kept.append("…")
    return Html("\n".join(kept))


def link(href: str, text: str) -> Html:
    """An `<a>` element; both arguments are raw text."""
    return Html(f'<a href="{escape_attr(href)}">{escape(text)}</a>')


@dataclass(slots=True)
class _Open:
    name: str
    start: int
    out_index: int


def visible_text(html: str) -> str:
    """The text Telegram shows for `html`; raises TelegramHtmlError when Telegram would refuse it.

    Stricter than Telegram where that costs nothing: every `<`, `>` and `&` outside markup
    must be escaped, and tags must nest properly.
    """
    out: list[str] = []
    stack: list[_Open] = []
    pos = 0
    while True:
        found = _SPECIAL.search(html, pos)
        if found is None:
            out.append(html[pos:])
            break
        out.append(html[pos : found.start()])
        pos = found.start()
        char = found.group()
        if char == ">":
            raise TelegramHtmlError(f"unescaped '>' at {pos}")
        if char == "&":
            decoded, pos = _entity(html, pos)
            out.append(decoded)
            continue
        tag = _TAG.match(html, pos)
        if tag is None:
            raise TelegramHtmlError(f"unescaped '<' or malformed tag at {pos}")
        closed = _apply_tag(tag, stack, pos, len(out))
        if (
            closed is not None
            and closed.name == "tg-emoji"
            and not "".join(out[closed.out_index :])
        ):
            raise TelegramHtmlError(f"empty <tg-emoji> at {pos}")
        pos = tag.end()
    if stack:
        raise TelegramHtmlError(f"unclosed <{stack[-1].name}> opened at {stack[-1].start}")
    return "".join(out)


def visible_len(html: str) -> int:
    """UTF-16 length of the text Telegram shows for `html` (raises on invalid markup)."""
    return utf16_len(visible_text(html))


def _entity(html: str, pos: int) -> tuple[str, int]:
    match = _ENTITY.match(html, pos)
    if match is None:
        raise TelegramHtmlError(f"unescaped '&' at {pos}")
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        if name not in _NAMED_ENTITIES:
            raise TelegramHtmlError(f"unsupported entity &{name}; at {pos}")
        return _NAMED_ENTITIES[name], match.end()
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise TelegramHtmlError(f"invalid character reference at {pos}")
    return chr(code), match.end()


def _apply_tag(tag: re.Match[str], stack: list[_Open], pos: int, out_index: int) -> _Open | None:
    """Open or close one tag; returns the element a closing tag ended."""
    name = tag["name"].lower()
    if name not in _ALLOWED_TAGS:
        raise TelegramHtmlError(f"tag <{name}> is not allowed at {pos}")
    if tag["close"]:
        if tag["attrs"].strip():
            raise TelegramHtmlError(f"closing tag with attributes at {pos}")
        if not stack or stack[-1].name != name:
            raise TelegramHtmlError(f"unbalanced </{name}> at {pos}")
        return stack.pop()
    attrs = _attributes(tag["attrs"], pos)
    parent = stack[-1].name if stack else None
    _check_nesting(name, parent, stack, pos)
    _check_attributes(name, attrs, parent, pos)
    stack.append(_Open(name, pos, out_index))
    return None


def _attributes(text: str, pos: int) -> dict[str, str | None]:
    attrs: dict[str, str | None] = {}
    for match in _ATTR.finditer(text):
        key = match.group(1).lower()
        if key in attrs:
            raise TelegramHtmlError(f"repeated attribute {key} at {pos}")
        raw = match.group(2)
        attrs[key] = None if raw is None else _unescape_attr(raw)
    return attrs


def _unescape_attr(raw: str) -> str:
    out: list[str] = []
    index = 0
    while (amp := raw.find("&", index)) >= 0:
        out.append(raw[index:amp])
        decoded, index = _entity(raw, amp)
        out.append(decoded)
    out.append(raw[index:])
    return "".join(out)


def _check_nesting(name: str, parent: str | None, stack: list[_Open], pos: int) -> None:
    if parent == "code" or (parent == "pre" and name != "code"):
        raise TelegramHtmlError(f"<{name}> inside <{parent}> at {pos}")
    if name == "pre" and stack:
        raise TelegramHtmlError(f"<pre> must not be nested at {pos}")
    if name in ("a", "blockquote") and any(item.name == name for item in stack):
        raise TelegramHtmlError(f"nested <{name}> at {pos}")
    if parent == "tg-emoji":
        raise TelegramHtmlError(f"<{name}> inside <tg-emoji> at {pos}")


def _check_attributes(
    name: str, attrs: dict[str, str | None], parent: str | None, pos: int
) -> None:
    allowed: set[str]
    if name in _PLAIN_TAGS:
        allowed = set()
    elif name == "a":
        allowed = {"href"}
        if not attrs.get("href"):
            raise TelegramHtmlError(f"<a> without href at {pos}")
    elif name == "span":
        allowed = {"class"}
        if attrs.get("class") != "tg-spoiler":
            raise TelegramHtmlError(f'<span> without class="tg-spoiler" at {pos}')
    elif name == "code":
        allowed = {"class"} if parent == "pre" else set()
        value = attrs.get("class", "language-x")
        if value is None or not _LANGUAGE_CLASS.fullmatch(value):
            raise TelegramHtmlError(f"bad <code> class at {pos}")
    elif name == "blockquote":
        allowed = {"expandable"}
        if attrs.get("expandable") is not None:
            raise TelegramHtmlError(f"expandable takes no value at {pos}")
    else:  # tg-emoji
        allowed = {"emoji-id"}
        if not _EMOJI_ID.fullmatch(attrs.get("emoji-id") or ""):
            raise TelegramHtmlError(f"<tg-emoji> without a numeric emoji-id at {pos}")
    extra = set(attrs) - allowed
    if extra:
        raise TelegramHtmlError(f"attribute {sorted(extra)[0]} not allowed on <{name}> at {pos}")
    if name != "blockquote" and any(value is None for value in attrs.values()):
        raise TelegramHtmlError(f"attribute without a value on <{name}> at {pos}")
