"""HTML fragments (feed descriptions, titles) as plain text, keeping paragraph breaks."""

from __future__ import annotations

import re
from html import unescape
from typing import Final

_BLOCKS: Final = frozenset(
    {
        *("address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption"),
        *("figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main"),
        *("nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"),
    }
)
_HIDDEN: Final = re.compile(
    r"<(script|style|template|noscript|head|title)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S
)
_LINE_BREAK: Final = re.compile(r"<br\b[^>]*>", re.I)
_BLOCK_TAG: Final = re.compile(rf"</?(?:{'|'.join(sorted(_BLOCKS))})\b[^>]*>", re.I)
# A tag starts with a Latin letter: "a < b" and "<тепло>" are text.
_ANY_TAG: Final = re.compile(r"</?[a-zA-Z][^>]*>|<![^>]*>|<\?[^>]*>")
# Runs of horizontal space, written so that a lone " " (most matches) is left alone.
_SPACES: Final = re.compile(
    r" [ \t\r\f\v\u00a0\u200b]+|[\t\r\f\v\u00a0\u200b][ \t\r\f\v\u00a0\u200b]*"
)
_AROUND_NEWLINE: Final = re.compile(r" ?\n ?")
_BLANK_LINES: Final = re.compile(r"\n{3,}")
# An HTML document, not a feed or a text file: what servers and proxies send for errors and logins.
_HTML_PAGE: Final = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.I | re.S,
)


def html_to_text(html: str) -> str:
    """Visible text: tags dropped, entities decoded once, blocks separated by a blank line.

    Regular expressions rather than html.parser: five times faster on feed descriptions, and
    feeds carry fragments, not documents with scripts in odd places.
    """
    if "<" not in html and "&" not in html:
        return tidy_text(html)  # plain text after all: its line breaks are meant
    text = _HIDDEN.sub(" ", html)
    text = " ".join(text.split())  # line breaks in HTML source are spaces
    text = _LINE_BREAK.sub("\n", text)
    text = _BLOCK_TAG.sub("\n\n", text)
    text = _ANY_TAG.sub("", text)
    return tidy_text(unescape(text))


def tidy_text(text: str) -> str:
    """Runs of spaces collapsed, lines trimmed, at most one blank line between paragraphs."""
    text = _AROUND_NEWLINE.sub("\n", _SPACES.sub(" ", text))
    return _BLANK_LINES.sub("\n\n", text).strip()


def one_line(text: str) -> str:
    """A title: all whitespace, line breaks included, collapsed to single spaces."""
    return " ".join(text.split())


def looks_like_html_page(data: bytes) -> bool:
    """Whether bytes start like an HTML document (doctype or `<html>`, after any comments)."""
    return _HTML_PAGE.match(data[:4096]) is not None
