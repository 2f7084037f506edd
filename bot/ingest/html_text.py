"""HTML fragments (feed descriptions, titles) as plain text, keeping paragraph breaks."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Final

_BLOCKS: Final = frozenset(
    {
        *("address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption"),
        *("figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main"),
        *("nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"),
    }
)
_INVISIBLE: Final = frozenset({"script", "style", "template", "noscript", "head", "title"})
_SPACES: Final = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANK_LINES: Final = re.compile(r"\n\s*\n\s*")
_ANY_WHITESPACE: Final = re.compile(r"\s+")
# An HTML document, not a feed or a text file: what servers and proxies send for errors and logins.
_HTML_PAGE: Final = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.I | re.S,
)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self._hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            # Line breaks in HTML source are spaces; only tags make paragraphs.
            self.parts.append(_ANY_WHITESPACE.sub(" ", data))


def html_to_text(html: str) -> str:
    """Visible text: tags dropped, entities decoded once, blocks separated by a blank line."""
    if "<" not in html and "&" not in html:
        return tidy_text(html)  # plain text after all: its line breaks are meant
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return tidy_text("".join(collector.parts))


def tidy_text(text: str) -> str:
    """Runs of spaces collapsed, lines trimmed, at most one blank line between paragraphs."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(text: str) -> str:
    """A title: all whitespace, line breaks included, collapsed to single spaces."""
    return " ".join(text.split())


def looks_like_html_page(data: bytes) -> bool:
    """Whether bytes start like an HTML document (doctype or `<html>`, after any comments)."""
    return _HTML_PAGE.match(data[:4096]) is not None
