"""The Telegram HTML helpers: escaping, UTF-16 length, and the validator against hand-made cases."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.telegram_html import (
    TelegramHtmlError,
    escape,
    escape_attr,
    link,
    utf16_len,
    visible_len,
    visible_text,
)
from tests.checks import is_valid

GOOD = [
    ("plain text", "plain text"),
    ("", ""),
    ("<b>bold</b> <strong>s</strong> <i>i</i> <em>e</em>", "bold s i e"),
    ("<u>u</u><ins>i</ins><s>s</s><strike>k</strike><del>d</del>", "uiskd"),
    ('<span class="tg-spoiler">x</span><tg-spoiler>y</tg-spoiler>', "xy"),
    ('<a href="https://e.kz/?a=1&amp;b=2">link</a>', "link"),
    ('<a href="tg://user?id=1"><b>nested</b></a>', "nested"),
    ("<code>x &lt; y</code>", "x < y"),
    ('<pre><code class="language-python">print(1)</code></pre>', "print(1)"),
    ("<pre>pre</pre>", "pre"),
    ("<blockquote>q</blockquote><blockquote expandable>e</blockquote>", "qe"),
    ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
    ("&lt;script&gt; &amp; &quot;q&quot;", '<script> & "q"'),
    ("&#128512; &#x1F600; &#65;", "😀 😀 A"),
    ("<b>a <i>b <u>c</u></i></b>", "a b c"),
    ("<B>upper</B>", "upper"),
    ("line\nbreak", "line\nbreak"),
]

BAD = [
    "<script>alert(1)</script>",
    "<b>unclosed",
    "stray</b>",
    "<b><i>crossed</b></i>",
    "a < b",
    "a > b",
    "a & b",
    "&nbsp;",
    "&#0;",
    "&#xD800;",
    "&#x110000;",
    "&amp",
    "<a>no href</a>",
    '<a href="">empty href</a>',
    "<span>no class</span>",
    '<span class="other">x</span>',
    '<code class="language-py">outside pre</code>',
    '<b class="x">attr</b>',
    "<br/>",
    "<br>",
    '<a href="https://a.kz"><a href="https://b.kz">nested</a></a>',
    "<blockquote><blockquote>nested</blockquote></blockquote>",
    "<pre><b>bold in pre</b></pre>",
    "<code><i>in code</i></code>",
    '<tg-emoji emoji-id="1"></tg-emoji>',
    "<tg-emoji>👍</tg-emoji>",
    '<blockquote expandable="yes">x</blockquote>',
    '<a href="https://a.kz" href="https://b.kz">twice</a>',
    "</b attr>",
    "<a href=https://a.kz>unquoted</a>",
    "<b",
]


@pytest.mark.parametrize(("html", "text"), GOOD)
def test_accepts_what_telegram_accepts(html: str, text: str) -> None:
    assert visible_text(html) == text
    assert is_valid(html)


@pytest.mark.parametrize("html", BAD)
def test_refuses_what_telegram_refuses(html: str) -> None:
    with pytest.raises(TelegramHtmlError):
        visible_text(html)
    assert not is_valid(html)


@pytest.mark.parametrize(
    ("text", "units"),
    [("", 0), ("abc", 3), ("Ёлка", 4), ("😀", 2), ("a😀b", 4), ("👨‍👩‍👧", 8), ("𝔸", 2)],
)
def test_utf16_len_counts_astral_characters_twice(text: str, units: int) -> None:
    assert utf16_len(text) == units


def test_visible_len_counts_after_entity_parsing() -> None:
    assert visible_len("<b>&lt;😀&gt;</b>") == 4


@given(st.text())
@example("<script>&amp;</script>")
@example('"quoted" & <tags>')
def test_escape_round_trips(text: str) -> None:
    assert visible_text(escape(text)) == text


@given(st.text(), st.text(min_size=1))
@example('https://e.kz/?q="x"&y=<1>', "<b>")
def test_link_is_always_valid(text: str, href: str) -> None:
    assert visible_text(link(href, text)) == text
    assert '"' not in escape_attr(href)
