"""HTML text and page sniffing: same answers as the original patterns, in linear time."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from html import unescape
from typing import Final

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.ingest.html_text import html_to_text, looks_like_html_page, tidy_text

# The patterns as they were before they were made linear: the reference on small inputs, where
# their backtracking (exponential in comments, quadratic in unclosed tags) stays cheap.
OLD_PAGE: Final = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.I | re.S,
)
OLD_HIDDEN: Final = re.compile(
    r"<(script|style|template|noscript|head|title)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S
)
OLD_LINE_BREAK: Final = re.compile(r"<br\b[^>]*>", re.I)
OLD_BLOCKS: Final = (
    "address|article|aside|blockquote|dd|div|dl|dt|figcaption|figure|footer|h1|h2|h3|h4|h5|h6"
    "|header|hr|li|main|nav|ol|p|pre|section|table|td|th|tr|ul"
)
OLD_BLOCK_TAG: Final = re.compile(rf"</?(?:{OLD_BLOCKS})\b[^>]*>", re.I)
OLD_ANY_TAG: Final = re.compile(r"</?[a-zA-Z][^>]*>|<![^>]*>|<\?[^>]*>")


def old_html_to_text(html: str) -> str:
    """html_to_text as it was."""
    if "<" not in html and "&" not in html:
        return tidy_text(html)
    text = OLD_HIDDEN.sub(" ", html)
    text = " ".join(text.split())
    text = OLD_LINE_BREAK.sub("\n", text)
    text = OLD_BLOCK_TAG.sub("\n\n", text)
    text = OLD_ANY_TAG.sub("", text)
    return tidy_text(unescape(text))


# Comments, declarations and page starts, whole and in pieces: at most 12 of them, which keeps
# the old pattern's 2**n paths over comments affordable.
PAGE_PIECES: Final = [
    b"<!--",
    b"-->",
    b"<!---->",
    b"<!-- note -->",
    b"--",
    b"-",
    b">",
    b"<",
    b" ",
    b"\n\t",
    b"x",
    b"<html>",
    b"<HTML lang=kk>",
    b"<html",
    b"<!DOCTYPE html>",
    b"<!doctype\nhtml>",
    b"<!doctype",
    b"<?xml version='1.0'?>",
    b"<?XML",
    b"\xef\xbb\xbf",
    b"<rss>",
]
HTML_PIECES: Final = [
    "<script>",
    "</script>",
    "<SCRIPT type=x>",
    "</script >",
    "<style>",
    "</style>",
    "<head>",
    "</head>",
    "<header>",
    "<title>",
    "</title>",
    "<noscript>",
    "</noscript>",
    "<!--",
    "-->",
    "<!-- x -->",
    "<p>",
    "</p>",
    "<br>",
    "<br/>",
    "<div class='a'>",
    "<a href='/x'>",
    "</a>",
    "<!x>",
    "<?pi?>",
    "<",
    ">",
    "a < b",
    "<тепло>",
    "&amp;",
    "&lt;b&gt;",
    "text",
    " ",
    "\n",
    "\u00a0",
]


@given(st.lists(st.sampled_from(PAGE_PIECES), max_size=12).map(b"".join))
@example(b"<!-- a --> x --><html>")  # `.*?` may run past a `-->`: the old pattern says yes
@example(b"\xef\xbb\xbf <?xml version='1.0'?>\n<!-- c --> <!DOCTYPE html>")
@example(b"<!---->" * 6 + b"x")
@example(b"<!-->")  # the comment's `-->` cannot overlap its `<!--`
@example(b"<!--->--><html>")
def test_page_sniffing_agrees_with_the_old_pattern(data: bytes) -> None:
    assert looks_like_html_page(data) == (OLD_PAGE.match(data[:4096]) is not None)


@given(st.lists(st.sampled_from(HTML_PIECES), max_size=16).map("".join))
@example("<script><script>x</script>y")
@example("<script>a<!--</script>-->b")
@example("<!--<script>-->x</script>y")
@example("<title x='>'>T</title>z")
@example("<script <p>a</script>b")
@example("<a<b>text")
def test_html_text_agrees_with_the_old_patterns(html: str) -> None:
    assert html_to_text(html) == old_html_to_text(html)


def elapsed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


# Each of these took seconds (or, for the comments, longer than anyone waited) before.
HOSTILE_PAGES: Final = [
    b"<!---->" * 600 + b"x",
    b"<!-- -->\n" * 450 + b"x",
    b"<!--" + b"-->" * 1400 + b"x",
    b"<!--" * 1024,
    b"\xef\xbb\xbf<?xml " + b" " * 4000,
    b"<!--" + b"--> <!doctype " * 300,
]


@pytest.mark.parametrize("data", HOSTILE_PAGES, ids=lambda data: repr(data[:12]))
def test_hostile_page_starts_are_sniffed_quickly(data: bytes) -> None:
    assert len(data) >= 4000
    assert elapsed(lambda: looks_like_html_page(data)) < 0.05


HOSTILE_FRAGMENTS: Final = [
    "<script>" * 2_000,
    "<script " * 3_000 + ">",
    "<!--" * 4_000,
    "<a" * 8_000,
    "<br" * 5_400,
    "<!x" * 5_400,
    "<p class='" * 2_400,
    "<title>" * 1_400 + "</title" + " " * 6_300,
]


@pytest.mark.parametrize("html", HOSTILE_FRAGMENTS, ids=lambda html: repr(html[:12]))
def test_hostile_fragments_are_read_in_linear_time(html: str) -> None:
    # 16 to 24 KB: the old patterns took from a tenth of a second to a second.
    assert len(html) >= 16_000
    assert elapsed(lambda: html_to_text(html)) < 0.05


def test_hidden_content_and_comments_are_dropped() -> None:
    html = "<p>Seen</p><script>var a = '<p>not</p>';</script><!-- gone --><p>also seen</p>"
    assert html_to_text(html) == "Seen\n\nalso seen"


def test_unclosed_script_leaves_its_text() -> None:
    assert html_to_text("<p>Kept <script>tail") == "Kept tail"


def test_html_page_with_leading_comments_is_recognised() -> None:
    assert looks_like_html_page(b"\xef\xbb\xbf<!-- cached -->\n<!--x--><!DOCTYPE html><html>")
    assert not looks_like_html_page(b"<?xml version='1.0'?><!-- c --><rss version='2.0'>")
