"""HTML fragments (feed descriptions, titles) as plain text, keeping paragraph breaks.

Every pattern here runs in linear time on hostile input. Python's `re` backtracks, so a pattern
that can fail late (`[^>]*>` with no `>` left, `.*?</script>` with no end tag) is only ever
tried where it must succeed, or its failure is remembered instead of re-discovered at every `<`.
"""

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
_HIDDEN_TAGS: Final = ("script", "style", "template", "noscript", "head", "title")
# Where hidden content starts; what ends it is looked for separately (see _drop_hidden).
_HIDDEN_START: Final = re.compile(rf"<({'|'.join(_HIDDEN_TAGS)})\b|<!--", re.I)
_HIDDEN_END: Final = {name: re.compile(rf"</{name}\s*>", re.I) for name in _HIDDEN_TAGS}
_COMMENT_END: Final = re.compile("-->")
_TAG_END: Final = re.compile(">")
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
_SNIFFED_BYTES: Final = 4096
_BOM: Final = b"\xef\xbb\xbf"
_WHITE_SPACE: Final = re.compile(rb"\s*")
_XML_DECLARATION: Final = re.compile(rb"<\?xml[^>]*>", re.I)
_PAGE_START: Final = re.compile(rb"\s*<(?:!doctype\s+html|html[\s>])", re.I)


def html_to_text(html: str) -> str:
    """Visible text: tags dropped, entities decoded once, blocks separated by a blank line.

    Regular expressions rather than html.parser: five times faster on feed descriptions, and
    feeds carry fragments, not documents with scripts in odd places.
    """
    if "<" not in html and "&" not in html:
        return tidy_text(html)  # plain text after all: its line breaks are meant
    text = _drop_hidden(html)
    text = " ".join(text.split())  # line breaks in HTML source are spaces
    text = _sub_tags(_LINE_BREAK, "\n", text)
    text = _sub_tags(_BLOCK_TAG, "\n\n", text)
    text = _sub_tags(_ANY_TAG, "", text)
    return tidy_text(unescape(text))


def tidy_text(text: str) -> str:
    """Runs of spaces collapsed, lines trimmed, at most one blank line between paragraphs."""
    text = _AROUND_NEWLINE.sub("\n", _SPACES.sub(" ", text))
    return _BLANK_LINES.sub("\n\n", text).strip()


def one_line(text: str) -> str:
    """A title: all whitespace, line breaks included, collapsed to single spaces."""
    return " ".join(text.split())


def looks_like_html_page(data: bytes) -> bool:
    """Whether bytes start like an HTML document (doctype or `<html>`, after any comments).

    As the pattern `^BOM? \\s* (<?xml…>\\s*)? (<!--.*?-->\\s*)* <(!doctype\\s+html|html[\\s>])`
    would answer, without its exponential backtracking over runs of comments: since `.*?`
    may run past any `-->`, the page may start after every `-->` once a comment has opened.
    """
    head = data[:_SNIFFED_BYTES]
    at = len(_BOM) if head.startswith(_BOM) else 0
    at = _end_of_space(head, at)
    if declaration := _XML_DECLARATION.match(head, at):
        at = _end_of_space(head, declaration.end())
    if _PAGE_START.match(head, at):
        return True
    if not head.startswith(b"<!--", at):
        return False
    end = head.find(b"-->", at + 4)
    while end >= 0:
        if _PAGE_START.match(head, end + 3):
            return True
        end = head.find(b"-->", end + 1)
    return False


def _end_of_space(data: bytes, at: int) -> int:
    match = _WHITE_SPACE.match(data, at)
    return match.end() if match else at


def _sub_tags(pattern: re.Pattern[str], replacement: str, text: str) -> str:
    """`pattern.sub` for a pattern that ends with `[^>]*>`: tried only up to the last `>`.

    Past it no match can end, and each `<` there would rescan the rest of the text to find out.
    """
    end = text.rfind(">") + 1
    if end == len(text):
        return pattern.sub(replacement, text)
    return pattern.sub(replacement, text[:end]) + text[end:]


def _drop_hidden(html: str) -> str:
    """Scripts, styles, heads and comments replaced by a space, as the pattern
    `<(script|…)\\b[^>]*>.*?</\\1\\s*>|<!--.*?-->` would replace them, in linear time."""
    ends = {name: _NextMatch(pattern, html) for name, pattern in _HIDDEN_END.items()}
    comment_end, tag_end = _NextMatch(_COMMENT_END, html), _NextMatch(_TAG_END, html)
    parts: list[str] = []
    kept = at = 0
    while start := _HIDDEN_START.search(html, at):
        name = start.group(1)
        if name is None:
            end = comment_end.at_or_after(start.end())
        else:
            opened = tag_end.at_or_after(start.end())
            if opened is None:
                break  # no `>` left: nothing more can be hidden
            end = ends[name.lower()].at_or_after(opened.end())
        if end is None:
            at = start.start() + 1  # unclosed: the tag is left to _ANY_TAG, its text stays
            continue
        parts += (html[kept : start.start()], " ")
        kept = at = end.end()
    return "".join(parts) + html[kept:] if parts else html


class _NextMatch:
    """The first match of a pattern at or after a position, for positions that only grow.

    A match (or the lack of one) found from an earlier position still answers, so a thousand
    `<script>` tags without an end tag cost one search for `</script>`, not a thousand."""

    __slots__ = ("_found", "_from", "_pattern", "_text")

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self._pattern, self._text = pattern, text
        self._from = -1
        self._found: re.Match[str] | None = None

    def at_or_after(self, position: int) -> re.Match[str] | None:
        found = self._found
        if self._from < 0 or (found is not None and found.start() < position):
            found = self._found = self._pattern.search(self._text, position)
            self._from = position
        return found
