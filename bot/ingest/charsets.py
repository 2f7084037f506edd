"""Fetched bytes to text: the BOM, then the document's own declaration, then the HTTP charset,
then a detector when the two disagree or are absent.

feedparser and trafilatura guess for themselves and get Cyrillic wrong: feedparser reads a
UTF-8 body labelled windows-1251 as mojibake, an undeclared windows-1251 feed as windows-1252,
and a UTF-8 feed with one bad byte as iso-8859-2 from the first line to the last; trafilatura
ignores the HTTP charset and lets an unrestricted detector read a short Russian page as cp949.
So both are handed text decoded here. The rules, in order:

1. A byte-order mark, or the first bytes of `<?xml` in UTF-16, UTF-32 or EBCDIC, decides.
2. Well-formed UTF-8 is UTF-8 whatever the labels say, and so is UTF-8 with a few damaged
   bytes: legacy Cyrillic text never looks like that (its letters are lead bytes without
   their continuation bytes), while servers and templates mislabel UTF-8 all the time.
3. Labels the bytes cannot be (UTF-8 on a body that is not) are dropped. One label left, or
   two that agree: it is used. Two that disagree, or none: charset-normalizer chooses, among
   the two or among the region's code pages (see DETECTED). Chosen by measurement
   (BENCHMARKS.md, "Feed charsets"): a few milliseconds on a 1 MB feed, already installed,
   and restricted to these code pages it reads short Russian texts right where its
   unrestricted guess picks cp949 or mac_cyrillic. A text of a few words that fits koi8-r
   and windows-1251 alike goes to the first candidate (chardet 7 breaks such ties better,
   but would be a new dependency feedparser silently picks up). Plain text (seed files)
   has no declaration; the rest applies.

The text comes back without NUL and the other C0 controls XML forbids: left in, they make
feedparser give up its XML parser and trafilatura's lxml cut the page short.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Final, Literal

Markup = Literal["xml", "html", "text"]
How = Literal["bom", "sniffed", "utf-8", "declared", "http", "detected", "fallback"]

# What detection chooses from when no label is left: the code pages Kazakh and Russian text
# was written in (cp1251 above all, koi8-r, the Kazakh kz1048, DOS and ISO Cyrillic), and
# windows-1252 for the Latin-script feeds a chat may also follow. mac_cyrillic is left out:
# it differs from cp1251 only in capitals, so a short text with few capitals goes either way.
DETECTED: Final = ("cp1251", "koi8_r", "kz1048", "cp866", "iso8859_5", "cp1252")
# How far into a page `<meta charset>` is looked for (browsers prescan 1,024 bytes; some CMSs
# put a long comment first).
_META_SCAN: Final = 4096
# Damaged UTF-8: at least this many well-formed non-ASCII characters per bad sequence, up to
# this many bytes past the first bad one.
_UTF8_MAJORITY: Final = 10
_UTF8_SAMPLE: Final = 65_536
_XML_ENCODING: Final = re.compile(
    rb"\s*<\?xml[^>]*?\sencoding\s*=\s*[\"']([A-Za-z][\w.:-]{0,39})[\"']", re.I
)
_META_CHARSET: Final = re.compile(
    rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z][\w.:-]{0,39})", re.I
)
_HTTP_CHARSET: Final = re.compile(r";\s*charset\s*=\s*[\"']?\s*([^\s;\"',]+)", re.I)
_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16's: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# `<?` (`<?xm` for EBCDIC) without a BOM, as XML 1.0 appendix F lists them.
_SNIFFED: Final = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"\x4c\x6f\xa7\x94", "cp037"),
)
# Labels read from an ASCII-compatible document that cannot be meant literally: it is not
# UTF-16 or UTF-32 if its declaration was readable (WHATWG: read as UTF-8); UTF-7 is refused
# by every browser (a cross-site scripting vector); ISO-8859-1 and ASCII mean windows-1252.
_READ_AS: Final = {
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
    "utf-32": "utf-8",
    "utf-32-le": "utf-8",
    "utf-32-be": "utf-8",
    "utf-7": None,
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
}
_ALIASES: Final = {"x-cp1251": "cp1251", "x-mac-cyrillic": "mac-cyrillic", "unicode": "utf-8"}
_CONTROLS: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_BYTES: Final = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_EBCDIC: Final = frozenset({"cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"})
_DECLARATION: Final = re.compile(r"\s*<\?xml\s[^>]*?\?>")
_HIGH_BYTES: Final = bytes(range(0x80, 0x100))
_REPLACEMENT: Final = "\ufffd"
UTF8_DECLARATION: Final = '<?xml version="1.0" encoding="utf-8"?>'


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text, the Python codec that produced it, and which rule chose the codec."""

    text: str
    encoding: str
    how: How


def http_charset(content_type: str | None) -> str | None:
    """The `charset` parameter of a Content-Type header, as written; None when absent."""
    if not content_type:
        return None
    match = _HTTP_CHARSET.search(content_type)
    return match.group(1) if match else None


def declared_charset(body: bytes, markup: Markup) -> str | None:
    """The encoding the document names: its XML declaration, or for HTML `<meta charset>`;
    plain text names none."""
    if markup == "text":
        return None
    if match := _XML_ENCODING.match(body):
        return match.group(1).decode("ascii")
    if markup == "html" and (match := _META_CHARSET.search(body, 0, _META_SCAN)):
        return match.group(1).decode("ascii")
    return None


def decode_document(body: bytes, *, content_type: str | None, markup: Markup) -> Decoded:
    """`body` as text, by the rules in the module docstring; never raises."""
    for mark, encoding in _BOMS:
        if body.startswith(mark):
            return _decoded(body[len(mark) :], encoding, "bom")
    for start, encoding in _SNIFFED:
        if body.startswith(start):
            return _sniffed(body, encoding, markup)
    body = body.replace(b"\x00", b"")  # NUL is U+0000 in every ASCII-compatible encoding
    if (utf8 := _as_utf8(body)) is not None:
        return Decoded(_without_controls(utf8, body), "utf-8", "utf-8")
    declared = _codec(declared_charset(body, markup))
    http = _codec(http_charset(content_type))
    labels = [label for label in dict.fromkeys((declared, http)) if label not in (None, "utf-8")]
    if len(labels) == 1:
        return _decoded(body, labels[0], "declared" if labels[0] == declared else "http")
    detected = _detect(body, labels or list(DETECTED))
    if detected is not None:
        return _decoded(body, detected, "detected")
    if labels:
        return _decoded(body, labels[0], "declared")
    return _decoded(body, "utf-8", "fallback")


def utf8_xml(body: bytes, *, content_type: str | None) -> tuple[bytes, str]:
    """An XML document as UTF-8 bytes whose declaration says so, and a Content-Type that says
    so too (`application/xml` when there was none): what feedparser then reads as it is,
    since it believes the header, the declaration or ISO-8859-1, depending on the media type.
    """
    text = decode_document(body, content_type=content_type, markup="xml").text
    declaration = _DECLARATION.match(text)
    text = UTF8_DECLARATION + text[declaration.end() if declaration else 0 :]
    media_type = (content_type or "").partition(";")[0].strip() or "application/xml"
    return text.encode("utf-8", "replace"), f"{media_type}; charset=utf-8"


def html_text(body: bytes, *, content_type: str | None) -> str:
    """A page as text for lxml: decoded by our rules, less any XML declaration (lxml refuses
    text that has one, and trafilatura then parses the bytes again by their `<meta charset>`).
    """
    text = decode_document(body, content_type=content_type, markup="html").text
    declaration = _DECLARATION.match(text)
    return text[declaration.end() :] if declaration else text


def _sniffed(body: bytes, encoding: str, markup: Markup) -> Decoded:
    """A UTF-16, UTF-32 or EBCDIC document without a BOM; an EBCDIC declaration may name
    another EBCDIC code page than cp037, whose `<?xml` it shares."""
    if encoding == "cp037":
        head = body[:200].decode("cp037").encode("ascii", "replace")
        named = _codec(declared_charset(head, markup))
        encoding = named if named in _EBCDIC else encoding
    return _decoded(body, encoding, "sniffed")


def _as_utf8(body: bytes) -> str | None:
    """The body as UTF-8 when it is, or when it is UTF-8 with a few damaged bytes (each then
    U+FFFD); None when its non-ASCII characters are mostly not UTF-8. Judged up to a sample's
    length past the first bad byte: a legacy body fails at its first letter."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        sample = body[: error.start + _UTF8_SAMPLE]
    text = sample.decode("utf-8", "replace")
    bad = text.count(_REPLACEMENT) - sample.count(_REPLACEMENT.encode())
    well_formed = len(text) - len(sample.translate(None, _HIGH_BYTES)) - bad
    if well_formed < _UTF8_MAJORITY * bad:
        return None
    return body.decode("utf-8", "replace")


def _codec(label: str | None) -> str | None:
    """A label as a Python codec name, read as browsers read it; None when unknown."""
    if not label:
        return None
    label = label.strip().lower()
    try:
        name = codecs.lookup(_ALIASES.get(label, label)).name
    except LookupError:
        return None
    return _READ_AS.get(name, name)


def _detect(body: bytes, candidates: list[str]) -> str | None:
    """charset-normalizer's choice among `candidates`; None when none of them fits."""
    from charset_normalizer import from_bytes  # 25 ms to import, and most bodies never need it

    best = from_bytes(body, cp_isolation=candidates, preemptive_behaviour=False).best()
    return None if best is None else _codec(best.encoding)


def _decoded(body: bytes, encoding: str, how: How) -> Decoded:
    text = codecs.decode(body, encoding, "replace")
    return Decoded(_without_controls(text, body), encoding, how)


def _without_controls(text: str, body: bytes) -> str:
    """The text without C0 controls but tab and line ends. The bytes are looked at first (a
    tenth of the time of a search through the text): most documents have no such byte."""
    if len(body.translate(None, _CONTROL_BYTES)) == len(body):
        return text
    return _CONTROLS.sub("", text)
