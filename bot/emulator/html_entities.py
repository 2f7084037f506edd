"""Telegram-HTML parser, written independently of the bot's renderer.

It follows the Bot API's documented HTML mode and the reference behaviour of Telegram's
server: byte offsets in error messages count UTF-8 bytes of the input, entity offsets and
lengths count UTF-16 code units, unknown named entities stay literal text.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.emulator.text import Entity, checked_link

_SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_SIMPLE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "u": "underline", "ins": "underline", "tg-spoiler": "spoiler", "span": "spoiler",
}  # fmt: skip
_NAMED = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_SPACES = b" \t\r\n\v\f"
_NAME_TOKEN = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; str(error) is Telegram's reason."""


@dataclass
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    out_start: int


def decode_entity(data: bytes, pos: int) -> tuple[str, int] | None:
    """Decode `&...` at `pos`: (character, next position) or None when it is literal text."""
    end = pos + 1
    if data[end : end + 1] == b"#":
        end += 1
        hexadecimal = data[end : end + 1] == b"x"
        digits = b"0123456789abcdefABCDEF" if hexadecimal else b"0123456789"
        end += hexadecimal
        start = end
        while end < len(data) and data[end] in digits:
            end += 1
        if end == start or end - pos >= 10:
            return None
        code = int(data[start:end], 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF:
            return None
        char = chr(code)
    else:
        while end < len(data) and chr(data[end]).isascii() and chr(data[end]).isalpha():
            end += 1
        named = _NAMED.get(data[pos + 1 : end])
        if named is None:
            return None
        char = named
    if data[end : end + 1] == b";":
        end += 1
    return char, end


def _utf16_units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


class _Parser:
    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8", "surrogatepass")
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_Open] = []
        self.entities: list[Entity] = []

    def at(self, i: int) -> int:
        return self.data[i] if i < len(self.data) else 0

    def is_space(self, i: int) -> bool:
        return i >= len(self.data) or self.data[i] in _SPACES

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.utf16 += sum(_utf16_units(c) for c in chars)

    def run(self) -> tuple[str, list[Entity]]:
        data, i = self.data, 0
        while i < len(data):
            byte = data[i]
            if byte == ord("&"):
                decoded = decode_entity(data, i)
                if decoded is not None:
                    self.emit(decoded[0])
                    i = decoded[1]
                    continue
            if byte != ord("<"):
                end = i + 1
                while end < len(data) and data[end] not in b"<&":
                    end += 1
                self.emit(data[i:end].decode("utf-8", "surrogatepass"))
                i = end
                continue
            i = self.end_tag(i) if self.at(i + 1) == ord("/") else self.start_tag(i)
        if self.stack:
            tag = self.stack[-1].tag
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{tag}"')
        text = "".join(self.out)
        if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
            raise HtmlParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        return text, self.entities

    def start_tag(self, begin: int) -> int:
        i = begin + 1
        while not self.is_space(i) and self.at(i) != ord(">"):
            i += 1
        if i >= len(self.data):
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        tag = self.data[begin + 1 : i].decode("utf-8", "replace").lower()
        if tag not in _SUPPORTED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
        argument = ""
        while self.at(i) != ord(">"):
            while i < len(self.data) and self.is_space(i):
                i += 1
            if i >= len(self.data):
                raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            if self.at(i) == ord(">"):
                break
            name_start = i
            while not self.is_space(i) and self.at(i) not in b"=>":
                i += 1
            name = self.data[name_start:i].decode("utf-8", "replace")
            if not name:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                )
            while i < len(self.data) and self.is_space(i):
                i += 1
            if self.at(i) != ord("="):
                if tag == "blockquote" and name == "expandable":
                    argument = "expandable"
                continue
            value, i = self.attribute_value(tag, begin, i + 1)
            argument = _tag_argument(tag, name, value, argument)
        if tag == "span" and argument != "spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        self.stack.append(_Open(tag, argument, self.utf16, len(self.out)))
        return i + 1

    def attribute_value(self, tag: str, begin: int, i: int) -> tuple[str, int]:
        while i < len(self.data) and self.is_space(i):
            i += 1
        if i >= len(self.data):
            raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        quote = self.at(i)
        if quote not in b"'\"":
            token_start = i
            while self.at(i) in _NAME_TOKEN and i < len(self.data):
                i += 1
            if not self.is_space(i) and self.at(i) != ord(">"):
                raise HtmlParseError(f"Unexpected end of name token at byte offset {token_start}")
            value = self.data[token_start:i].decode("ascii").lower()
        else:
            i += 1
            chars: list[str] = []
            while i < len(self.data) and self.at(i) != quote:
                decoded = decode_entity(self.data, i) if self.at(i) == ord("&") else None
                if decoded is not None:
                    chars.append(decoded[0])
                    i = decoded[1]
                    continue
                end = i + 1
                while end < len(self.data) and self.data[end] not in (quote, ord("&")):
                    end += 1
                chars.append(self.data[i:end].decode("utf-8", "surrogatepass"))
                i = end
            i += 1
            value = "".join(chars)
        if i >= len(self.data):
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        return value, i

    def end_tag(self, begin: int) -> int:
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
        i = begin + 2
        while not self.is_space(i) and self.at(i) != ord(">"):
            i += 1
        name = self.data[begin + 2 : i].decode("utf-8", "replace").lower()
        while i < len(self.data) and self.is_space(i):
            i += 1
        if self.at(i) != ord(">"):
            raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
        top = self.stack[-1]
        if name and name != top.tag:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{top.tag}>", '
                f'found "</{name}>"'
            )
        self.stack.pop()
        if self.utf16 > top.utf16_offset:
            self.close(top)
        return i + 1

    def close(self, top: _Open) -> None:
        offset, length = top.utf16_offset, self.utf16 - top.utf16_offset
        last = self.entities[-1] if self.entities else None
        same_range = last is not None and (last.offset, last.length) == (offset, length)
        if top.tag in _SIMPLE:
            self.entities.append(Entity(_SIMPLE[top.tag], offset, length))
        elif top.tag == "blockquote":
            kind = "expandable_blockquote" if top.argument else "blockquote"
            self.entities.append(Entity(kind, offset, length))
        elif top.tag == "tg-emoji":
            if not top.argument.isdigit() or int(top.argument) == 0:
                raise HtmlParseError("Invalid custom emoji identifier specified")
            self.entities.append(Entity("custom_emoji", offset, length, extra=top.argument))
        elif top.tag == "a":
            self.close_link(top, offset, length)
        elif top.tag == "pre" and same_range and last and last.type == "code" and last.extra:
            self.entities[-1] = Entity("pre", offset, length, extra=last.extra)
        elif top.tag == "pre":
            self.entities.append(Entity("pre", offset, length))
        elif same_range and last and last.type == "pre" and top.argument:
            self.entities[-1] = Entity("pre", offset, length, extra=top.argument)
        else:
            self.entities.append(Entity("code", offset, length, extra=top.argument or None))

    def close_link(self, top: _Open, offset: int, length: int) -> None:
        url = top.argument or "".join(self.out[top.out_start :])
        user_id = _mention_user_id(url)
        if user_id is not None:
            self.entities.append(Entity("text_mention", offset, length, extra=str(user_id)))
            return
        link = checked_link(url)
        if link:
            self.entities.append(Entity("text_link", offset, length, extra=link))


def _tag_argument(tag: str, name: str, value: str, current: str) -> str:
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    if tag == "blockquote" and name == "expandable":
        return "expandable"
    return current


def _mention_user_id(url: str) -> int | None:
    prefix = "tg://user?id="
    if url.lower().startswith(prefix) and url[len(prefix) :].isdigit():
        return int(url[len(prefix) :])
    return None


def parse_html(text: str) -> tuple[str, list[Entity]]:
    """Return the plain text and its entities (UTF-16 offsets), or raise HtmlParseError."""
    return _Parser(text).run()
