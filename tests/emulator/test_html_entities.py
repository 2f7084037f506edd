"""The emulator's own Telegram-HTML parser against Telegram's documented behaviour."""

from __future__ import annotations

import html

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.emulator.html_entities import HtmlParseError, parse_html
from bot.emulator.text import Entity, finalize, utf16_len

OK_CASES = [
    ("plain", "plain", []),
    ("&lt;&gt;&amp;&quot;", '<>&"', []),
    ("&lt no semicolon", "< no semicolon", []),
    ("&nbsp;&laquo;&ge;", "&nbsp;&laquo;&ge;", []),  # only four named entities exist
    ("AT&T & co", "AT&T & co", []),
    ("&#65;&#x42;&#12345678;", "AB&#12345678;", []),
    ("<b>bold</b>", "bold", [Entity("bold", 0, 4)]),
    ("<STRONG>x</strong>", "x", [Entity("bold", 0, 1)]),
    ("🏟 <i>🏟</i>", "🏟 🏟", [Entity("italic", 3, 2)]),
    ("<u>a</u><ins>b</ins>", "ab", [Entity("underline", 0, 1), Entity("underline", 1, 1)]),
    ("<s>a</s><del>b</del>", "ab", [Entity("strikethrough", 0, 1), Entity("strikethrough", 1, 1)]),
    ('<span class="tg-spoiler">s</span>', "s", [Entity("spoiler", 0, 1)]),
    ("<tg-spoiler>s</tg-spoiler>", "s", [Entity("spoiler", 0, 1)]),
    ('<a href="https://ex.com/a?b=1&amp;c=2">l</a>', "l", [
        Entity("text_link", 0, 1, "https://ex.com/a?b=1&c=2")
    ]),
    ("<a href=telegram.org>t</a>", "t", [Entity("text_link", 0, 1, "http://telegram.org/")]),
    ('<a href="tg://user?id=42">u</a>', "u", [Entity("text_mention", 0, 1, "42")]),
    ('<a href="javascript:alert(1)">x</a>', "x", []),
    ("<a>telegram.org</a>", "telegram.org", [
        Entity("text_link", 0, 12, "http://telegram.org/")
    ]),
    ("<code>c</code>", "c", [Entity("code", 0, 1)]),
    ('<pre><code class="language-python">p</code></pre>', "p", [Entity("pre", 0, 1, "python")]),
    ("<pre>p</pre>", "p", [Entity("pre", 0, 1)]),
    ("<blockquote>q</blockquote>", "q", [Entity("blockquote", 0, 1)]),
    ("<blockquote expandable>q</blockquote>", "q", [Entity("expandable_blockquote", 0, 1)]),
    ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍", [
        Entity("custom_emoji", 0, 2, "5368324170671202286")
    ]),
    ("<b>a<i>b</i></b>", "ab", [Entity("italic", 1, 1), Entity("bold", 0, 2)]),
    ("<i>a</>", "a", [Entity("italic", 0, 1)]),
    ("<i>a</i   >", "a", [Entity("italic", 0, 1)]),
    ("<b></b>x", "x", []),
    ("<b data-x = '1'>x</b>", "x", [Entity("bold", 0, 1)]),
]  # fmt: skip

ERROR_CASES = [
    ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;<abac>", 'Unsupported start tag "abac" at byte offset 13'),
    ("a < b", 'Unsupported start tag "" at byte offset 2'),
    ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
    ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
    ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
    ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
    ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
    ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
    ("🏟 🏟&lt;<i>a</em   >", 'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"'),
    ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ("<tg-emoji emoji-id=abc>x</tg-emoji>", "Invalid custom emoji identifier specified"),
    ("&#xDFDF;", "Text contains invalid Unicode characters after decoding HTML entities, "
     "check for unmatched surrogate code units"),
]  # fmt: skip


@pytest.mark.parametrize(("source", "text", "entities"), OK_CASES)
def test_parses_like_telegram(source: str, text: str, entities: list[Entity]) -> None:
    assert parse_html(source) == (text, entities)


@pytest.mark.parametrize(("source", "reason"), ERROR_CASES)
def test_rejects_like_telegram(source: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(source)
    assert str(caught.value) == reason


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
@example("a < b & c > d")
@example("😀 & <b>")
def test_escaped_text_round_trips(text: str) -> None:
    assert parse_html(html.escape(text, quote=False)) == (text, [])


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1))
@example("😀")
def test_bold_covers_the_utf16_length(text: str) -> None:
    plain, entities = parse_html(f"<b>{html.escape(text)}</b>")
    assert plain == text
    assert entities == [Entity("bold", 0, utf16_len(text))]


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        ("  hi  ", [], ("hi", [])),
        ("\n\n<x>\n", [], ("<x>", [])),
        ("a\r\nb", [Entity("bold", 3, 1)], ("a\nb", [Entity("bold", 2, 1)])),
        (" hi", [Entity("bold", 0, 3)], ("hi", [Entity("bold", 0, 2)])),
        ("a   b", [Entity("bold", 1, 3)], ("a   b", [])),  # blank-only entities vanish
        ("a   b", [Entity("text_link", 1, 3, "http://x.org/")], ("a   b", [
            Entity("text_link", 1, 3, "http://x.org/")
        ])),
    ],
)  # fmt: skip
def test_finalize_trims_like_telegram(
    text: str, entities: list[Entity], expected: tuple[str, list[Entity]]
) -> None:
    assert finalize(text, entities) == expected


@pytest.mark.parametrize(("text", "units"), [("abc", 3), ("😀", 2), ("é", 1), ("👍🏽", 4)])
def test_utf16_length(text: str, units: int) -> None:
    assert utf16_len(text) == units
