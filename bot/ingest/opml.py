"""OPML, the source list every feed reader imports and exports: reading and writing it.

Outlines with an `xmlUrl` are sources, at any depth (readers nest them in folders); the
title is `title`, else `text`. What feed readers do not know travels in attributes of our
own namespace: `newsdigest:kind` (rss when absent), `newsdigest:minutes` (60 when absent) and
`newsdigest:official` ("true" for government bodies, "false" when absent).
Read with the standard library's expat (2.4.1 and later refuse entity amplification), and
any DOCTYPE is refused before its first declaration is read, since OPML never needs one: no
entity is ever declared, let alone expanded. defusedxml would add a dependency to refuse
what this refuses already. Pure: no I/O, no database.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from bot.ingest.html_text import one_line

NAMESPACE: Final = "urn:x-newsdigest:opml"
DEFAULT_KIND: Final = "rss"
DEFAULT_MINUTES: Final = 60
MAX_BYTES: Final = 5 * 1024 * 1024
MAX_SOURCES: Final = 5_000
TITLE_MAX_CHARS: Final = 200
_KIND: Final = f"{{{NAMESPACE}}}kind"
_MINUTES: Final = f"{{{NAMESPACE}}}minutes"
_OFFICIAL: Final = f"{{{NAMESPACE}}}official"
_FLAGS: Final = {"true": True, "false": False}
# What XML 1.0 cannot carry at all, even escaped: a name holding it is written without it.
_NOT_XML: Final = re.compile(r"[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")

ET.register_namespace("newsdigest", NAMESPACE)


class OpmlError(ValueError):
    """The document is not OPML we can import; the message names the problem in one line."""


@dataclass(frozen=True, slots=True)
class OpmlSource:
    """One source as OPML carries it (the kind and minutes are checked when it is added)."""

    url: str
    title: str
    kind: str = DEFAULT_KIND
    minutes: int = DEFAULT_MINUTES
    official: bool = False


class _NoDoctype(ET.TreeBuilder):
    """Tree building that stops at `<!DOCTYPE`, before any entity declaration is read."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise OpmlError("a DOCTYPE is not allowed in OPML")


def parse_opml(data: bytes) -> list[OpmlSource]:
    """The sources of an OPML document in document order; OpmlError naming what is wrong:
    not XML, a DOCTYPE, not OPML, no body, no outline with an xmlUrl, a bad minutes value."""
    if len(data) > MAX_BYTES:
        raise OpmlError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    parser = ET.XMLParser(target=_NoDoctype())  # noqa: S314 - see _NoDoctype
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as error:
        raise OpmlError(f"not XML ({error})") from None
    if root.tag != "opml":
        raise OpmlError(f"not OPML: the document is <{_local(root.tag)}>, not <opml>")
    body = root.find("body")
    if body is None:
        raise OpmlError("no <body> in the OPML document")
    outlines = [outline for outline in body.iter("outline") if outline.get("xmlUrl") is not None]
    if not outlines:
        raise OpmlError("no <outline> with an xmlUrl: there is nothing to import")
    if len(outlines) > MAX_SOURCES:
        raise OpmlError(f"{len(outlines)} sources: at most {MAX_SOURCES} can be imported at once")
    return [_source(outline, number) for number, outline in enumerate(outlines, start=1)]


def _source(outline: ET.Element, number: int) -> OpmlSource:
    """Source `number` (counted among the outlines with an xmlUrl, from 1)."""
    url = (outline.get("xmlUrl") or "").strip()
    if not url:
        raise OpmlError(f"source {number} has an empty xmlUrl")
    title = one_line(outline.get("title") or outline.get("text") or "")[:TITLE_MAX_CHARS]
    kind = (outline.get(_KIND) or DEFAULT_KIND).strip()
    minutes_text = (outline.get(_MINUTES) or str(DEFAULT_MINUTES)).strip()
    if not (minutes_text.isascii() and minutes_text.isdigit() and len(minutes_text) <= 6):
        raise OpmlError(f"source {number} ({url[:100]}): minutes must be a whole number")
    official = _FLAGS.get((outline.get(_OFFICIAL) or "false").strip().lower())
    if official is None:
        raise OpmlError(f"source {number} ({url[:100]}): official must be true or false")
    return OpmlSource(url, title, kind, int(minutes_text), official)


def write_opml(sources: Iterable[OpmlSource], *, title: str = "newsdigest sources") -> str:
    """OPML 2.0 of `sources`, one outline each; `parse_opml` reads back the same sources."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for source in sources:
        name = _NOT_XML.sub("", source.title or source.url)
        attributes = {"text": name, "title": name}
        if source.kind == DEFAULT_KIND:
            attributes["type"] = "rss"
        attributes |= {
            "xmlUrl": _NOT_XML.sub("", source.url),
            _KIND: source.kind,
            _MINUTES: str(source.minutes),
        }
        if source.official:
            attributes[_OFFICIAL] = "true"
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2][:50]
