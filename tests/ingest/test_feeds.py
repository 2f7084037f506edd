"""parse_feed on hand-written RSS and Atom samples, broken feeds and served feeds."""

from __future__ import annotations

import contextlib
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.commands.common import load_tagger
from bot.domain.safe_text import TITLE_MAX_CHARS
from bot.domain.seed_format import parse_seed_text
from bot.domain.tagging import Tagger
from bot.ingest.errors import SourceError
from bot.ingest.feeds import FeedItem, parse_feed
from bot.ingest.fetch import fetch
from bot.ingest.items import MAX_BODY_CHARS
from bot.ingest.prepare import prepare_items, prepare_page
from storage.queries.articles import ArticleInput
from tests.ingest.http_server import LocalServer, respond
from tests.ingest.samples import feed_bytes

RU_URL = "https://karaganda.example.kz/ru/rss.xml"
KK_URL = "https://turkistan.example.kz/kk/feed.atom"


def rss(items: str, *, encoding: str = "utf-8") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>T</title><link>https://example.kz/</link><description>D</description>"
        f"{items}</channel></rss>"
    ).encode(encoding)


def test_rss_titles_are_plain_text_with_entities_decoded() -> None:
    items = parse_feed(feed_bytes("rss-ru.xml"), url=RU_URL, content_type="application/rss+xml")
    assert [item.title for item in items] == [
        "Дороги & мосты: в Караганде отремонтируют 40 улиц",
        "Қарағанды облысында жаңа мектеп ашылды қала",
        # CDATA text, not markup: the angle brackets were text in the source and stay.
        "Тарифы на <тепло> не изменятся & это важно",
    ]


def test_rss_bodies_are_plain_text_with_paragraphs() -> None:
    items = parse_feed(feed_bytes("rss-ru.xml"), url=RU_URL, content_type=None)
    assert items[0].body == (
        "В этом году в Караганде отремонтируют 40 улиц.\n\n"
        "Работы начнутся в апреле — сообщает пресс-служба."
    )
    assert items[1].body == ("Мектеп 600 оқушыға арналған.\n\nҚұрылысқа 2,5 млрд теңге жұмсалды.")
    # content:encoded wins over the short description; scripts are not text.
    assert items[2].body == (
        "Тарифы на тепло останутся прежними до конца отопительного сезона.\n\n"
        "Об этом сообщили в управлении энергетики."
    )


def test_rss_links_are_absolute_and_dates_aware_utc() -> None:
    items = parse_feed(feed_bytes("rss-ru.xml"), url=RU_URL, content_type="text/xml")
    assert [item.url for item in items] == [
        "https://karaganda.example.kz/ru/news/2025/01/roads-40-streets",
        "https://karaganda.example.kz/ru/news/kk/new-school?id=7&lang=kk",
        "https://karaganda.example.kz/ru/news/2025/01/tariffs",  # a permalink guid
    ]
    assert [item.published for item in items] == [
        datetime(2025, 1, 13, 5, 30, tzinfo=UTC),
        datetime(2025, 1, 12, 18, 0, tzinfo=UTC),
        None,
    ]


def test_atom_titles_bodies_links_and_dates() -> None:
    items = parse_feed(feed_bytes("atom-kk.xml"), url=KK_URL, content_type="application/atom+xml")
    assert items == [
        FeedItem(
            title="Түркістанда жаңа әуежай терминалы іске қосылды",
            body="Терминал сағатына 600 жолаушыға қызмет көрсетеді.\n\nҚұрылыс екі жыл жүрді.",
            url="https://turkistan.example.kz/kk/news/airport-terminal",
            published=datetime(2025, 1, 13, 4, 0, tzinfo=UTC),
        ),
        FeedItem(
            # type="text": the escaped <b> was text in the source, so it stays visible.
            title="How to write <b> in HTML & why",
            body="Turkestan region’s IT school explains <b> tags.",
            url="https://turkistan.example.kz/en/news/html-tags",
            published=datetime(2025, 1, 12, 8, 15, tzinfo=UTC),  # published beats updated
        ),
        FeedItem(
            title="Entry without a link",
            body="Plain text summary\nwith a line break.",
            url=None,  # a urn: id is not a web page
            published=None,  # "not a date"
        ),
    ]


def test_double_escaped_entities_and_nbsp() -> None:
    items = parse_feed(
        feed_bytes("rss-en.xml"), url="https://energy.example.kz/rss", content_type=None
    )
    assert items[0].body == (
        "The pipeline will bring gas to 14 villages by autumn.\n\n"
        "Length: 120 km\n\nCost: 9.4 bn tenge"
    )
    assert items[1].title == 'Ministry & akimats sign a heating "roadmap"'
    assert items[1].body == "A plain-text description with no markup at all."


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "application/rss+xml",
        "text/xml",  # RFC 3023 would say us-ascii; the XML declaration must win
        "application/rss+xml; charset=windows-1251",
        "text/xml; charset=utf-8",  # a lying header
        "text/html",
    ],
)
def test_windows_1251_feed_decodes(content_type: str | None) -> None:
    items = parse_feed(
        feed_bytes("rss-cp1251.xml"),
        url="https://pavlodar.example.kz/rss",
        content_type=content_type,
    )
    assert [item.title for item in items] == [
        "В Экибастузе открыли новую поликлинику & аптеку",
        "Зимний ремонт теплосетей в Павлодаре завершён",
    ]
    assert (
        items[1].body == "Энергетики заменили 12 километров труб — «досрочно», говорят в акимате."
    )
    assert items[0].url == "https://pavlodar.example.kz/ru/news/ekibastuz-clinic"


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"", "application/rss+xml", "feed.empty"),
        (b"  \r\n\t ", None, "feed.empty"),
        (feed_bytes("error-page.html"), "application/rss+xml", "feed.html_page"),
        (feed_bytes("error-page.html"), "text/html", "feed.html_page"),
        (b"\xef\xbb\xbf<!-- cached -->\n<html><body>Login</body></html>", None, "feed.html_page"),
        (feed_bytes("malformed.xml"), "application/rss+xml", "feed.malformed"),
        (b"<note><to>Tove</to></note>", "text/xml", "feed.malformed"),
        (b'{"items": []}', "application/json", "feed.malformed"),
        (b"\x00\xff\xfe garbage", None, "feed.malformed"),
    ],
)
def test_unusable_bodies_raise_source_error(
    body: bytes, content_type: str | None, reason: str
) -> None:
    with pytest.raises(SourceError) as raised:
        parse_feed(body, url=RU_URL, content_type=content_type)
    assert raised.value.reason == reason


def test_mangled_encoding_name_no_longer_loses_the_feed() -> None:
    # Found by fuzzing: feedparser crashed on this name. Detection reads the feed now.
    body = feed_bytes("rss-cp1251.xml").replace(b"windows-1251", b"windows-1\xff51")
    items = parse_feed(body, url=RU_URL, content_type=None)
    assert items[1].title == "Зимний ремонт теплосетей в Павлодаре завершён"


def test_valid_feed_without_items_is_empty() -> None:
    assert parse_feed(rss(""), url=RU_URL, content_type=None) == []


def test_broken_feed_keeps_the_entries_it_has() -> None:
    body = rss("<item><title>Kept</title><link>/a</link></item>")[: -len("</channel></rss>")]
    items = parse_feed(body + b"<item><title>Cut", url=RU_URL, content_type=None)
    assert items[0].title == "Kept"
    assert items[0].url == "https://karaganda.example.kz/a"


def test_body_bytes_are_never_opened_as_a_path(tmp_path: Path) -> None:
    secret = tmp_path / "feed.xml"
    secret.write_bytes(rss("<item><title>Local file</title></item>"))
    with pytest.raises(SourceError):
        parse_feed(str(secret).encode(), url=RU_URL, content_type=None)


def test_long_bodies_are_capped() -> None:
    words = "слово " * 20_000
    items = parse_feed(
        rss(f"<item><title>Long</title><description>{words}</description></item>"),
        url=RU_URL,
        content_type=None,
    )
    assert 0 < len(items[0].body) <= MAX_BODY_CHARS
    assert items[0].body.endswith("слово")


def test_unsafe_and_missing_links_become_none() -> None:
    items = parse_feed(
        rss(
            "<item><title>A</title><link>javascript:alert(1)</link></item>"
            "<item><title>B</title><link>mailto:press@example.kz</link></item>"
            "<item><title>C</title></item>"
        ),
        url=RU_URL,
        content_type=None,
    )
    assert [item.url for item in items] == [None, None, None]


TITLE_TEXT = st.text(
    alphabet=st.sampled_from("абвгдеқұүәөһіңғ ABCxyz0123 ,.-!?&'\"—«»"), min_size=1, max_size=60
)


@given(TITLE_TEXT)
@example("Дороги & мосты")
@example('Ministry & "akimats"')
def test_escaped_titles_round_trip(title: str) -> None:
    items = parse_feed(
        rss(f"<item><title>{escape(title)}</title></item>"), url=RU_URL, content_type=None
    )
    assert items[0].title == " ".join(title.split())


@given(st.binary(max_size=300))
@example(b"<rss version='2.0'><channel><item><title>x")
@example(b"<?xml version='1.0' encoding='koi8-r'?><feed xmlns='http://www.w3.org/2005/Atom'/>")
def test_any_bytes_give_items_or_source_error(body: bytes) -> None:
    try:
        items = parse_feed(body, url=RU_URL, content_type=None)
    except SourceError as error:
        assert error.reason in {"feed.empty", "feed.html_page", "feed.malformed"}
    else:
        assert all(item.published is None or item.published.tzinfo is UTC for item in items)


SAMPLES = ["rss-ru.xml", "atom-kk.xml", "rss-cp1251.xml", "rss-en.xml"]
SPLICES = [b"<", b"&", b"]]>", b"<item>", b"</entry>", b"</link>", b"&#0;", b"\x00", b"&#xD800;"]


@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from(SPLICES)), max_size=4),
    st.floats(0.05, 1),
)
@example("rss-ru.xml", [(0.001, b"\x00")], 1.0)
def test_damaged_samples_give_items_or_source_error(
    name: str, splices: list[tuple[float, bytes]], keep: float
) -> None:
    body = feed_bytes(name)
    for where, piece in splices:
        at = int(where * len(body))
        body = body[:at] + piece + body[at:]
    body = body[: max(1, int(keep * len(body)))]
    try:
        items = parse_feed(body, url=RU_URL, content_type=None)
    except SourceError as error:
        assert error.reason in {"feed.empty", "feed.html_page", "feed.malformed"}
    else:
        assert all(len(item.body) <= MAX_BODY_CHARS for item in items)


async def test_served_windows_1251_feed(server: LocalServer, client: httpx.AsyncClient) -> None:
    url = server.route(
        "/rss", respond(200, feed_bytes("rss-cp1251.xml"), headers=[("Content-Type", "text/xml")])
    )
    result = await fetch(client, url, etag=None, last_modified=None, max_bytes=10**6, timeout=5)
    items = parse_feed(result.body, url=result.final_url, content_type=result.content_type)
    assert items[0].title == "В Экибастузе открыли новую поликлинику & аптеку"
    assert items[0].url == server.url("/ru/news/ekibastuz-clinic")


async def test_served_html_error_page_with_xml_type(
    server: LocalServer, client: httpx.AsyncClient
) -> None:
    url = server.route(
        "/rss",
        respond(
            200,
            feed_bytes("error-page.html"),
            headers=[("Content-Type", "application/rss+xml; charset=utf-8")],
        ),
    )
    result = await fetch(client, url, etag=None, last_modified=None, max_bytes=10**6, timeout=5)
    assert result.status == "ok"
    with pytest.raises(SourceError) as raised:
        parse_feed(result.body, url=result.final_url, content_type=result.content_type)
    assert raised.value.reason == "feed.html_page"


async def test_served_malformed_feed(server: LocalServer, client: httpx.AsyncClient) -> None:
    url = server.route("/rss", respond(200, feed_bytes("malformed.xml")))
    result = await fetch(client, url, etag=None, last_modified=None, max_bytes=10**6, timeout=5)
    with pytest.raises(SourceError) as raised:
        parse_feed(result.body, url=result.final_url, content_type=result.content_type)
    assert raised.value.reason == "feed.malformed"


# One bad reference in one item: feedparser either crashes (surrogates, past U+10FFFF, too many
# digits for int()) or falls back to a parse that keeps the raw code point (NUL, U+FFFE).
BAD_REFERENCES = [
    "&#0;",
    "&#xD800;",
    "&#55296;",
    "&#XDFFF;",
    "&#x110000;",
    "&#1114112;",
    "&#xFFFE;",
    "&#99999999999;",
    "&#x0000000000000000D800;",
    "&#" + "9" * 5000 + ";",
]


def three_items(bad_title: str) -> bytes:
    return rss(
        "<item><title>Roads are repaired</title><link>/a</link></item>"
        f"<item><title>{bad_title}</title><link>/b</link></item>"
        "<item><title>A school opens</title><link>/c</link></item>"
    )


@pytest.mark.parametrize("reference", BAD_REFERENCES, ids=lambda ref: ref[:12])
def test_one_invalid_character_reference_keeps_the_other_items(reference: str) -> None:
    items = parse_feed(three_items(f"Bad {reference} title"), url=RU_URL, content_type=None)
    assert [item.url for item in items] == [
        "https://karaganda.example.kz/a",
        "https://karaganda.example.kz/b",
        "https://karaganda.example.kz/c",
    ]
    assert items[0].title == "Roads are repaired"
    assert items[2].title == "A school opens"
    assert items[1].title.startswith("Bad ")
    assert not any("\ud800" <= char <= "\udfff" for char in items[1].title)


def test_valid_references_are_kept_when_a_bad_one_is_removed() -> None:
    title = "&#1178;&#x430;&#x440;&#97;&#x0041; &#x1F4F0; &#38;&#60;b&#62; &#xD800;end"
    items = parse_feed(three_items(title), url=RU_URL, content_type=None)
    assert items[1].title == "Қарa\x41 \U0001f4f0 &<b> end"


def test_bad_reference_in_a_body_keeps_the_item() -> None:
    body = rss(
        "<item><title>Kept</title><description>Text &#xD800; more &#1179;</description></item>"
    )
    items = parse_feed(body, url=RU_URL, content_type=None)
    assert [(item.title, item.body) for item in items] == [("Kept", "Text more қ")]


def test_removing_bad_references_does_not_rescue_a_broken_feed() -> None:
    with pytest.raises(SourceError) as raised:
        parse_feed(b"<note>&#xD800;</note>", url=RU_URL, content_type="text/xml")
    assert raised.value.reason == "feed.malformed"


ALLOWED = st.one_of(
    st.integers(0x21, 0x7E).filter(lambda code: chr(code) not in "<>&"),
    st.integers(0xA1, 0xD7FF),
    st.integers(0xE000, 0xFFFD),
    st.integers(0x10000, 0x10FFFF),
)
CRASHING = st.one_of(st.integers(0xD800, 0xDFFF), st.integers(0x110000, 10**30))


@given(st.lists(st.tuples(st.booleans(), ALLOWED, CRASHING, st.booleans()), max_size=6))
@example([(False, 0x41, 0xD800, True)])
@example([(True, 0x4E2D, 0x110000, False), (False, 0x41, 0xDFFF, False)])
@example([(False, 0x21, 0xD800, False), (True, 0xC2, 0xD800, False), (True, 0xA1, 0xD800, False)])
@example([(True, 0x202F, 0xD800, False), (True, 0x3000, 0xD800, True)])  # spaces, not removed
def test_only_forbidden_references_are_removed(refs: list[tuple[bool, int, int, bool]]) -> None:
    written = kept = ""
    for allowed, good, bad, hexadecimal in refs:
        code = good if allowed else bad
        written += f"&#x{code:x};" if hexadecimal else f"&#{code};"
        kept += chr(good) if allowed else ""
    items = parse_feed(three_items(f"a{written}b"), url=RU_URL, content_type=None)
    expected = f"a{kept}b"
    with contextlib.suppress(UnicodeError):  # feedparser's repair of UTF-8 taken for Latin-1
        expected = expected.encode("iso-8859-1").decode("utf-8")  # "Â¡" is "¡"
    expected = " ".join(expected.split())  # a title is one line: any run of spaces is one
    assert [item.title for item in items] == ["Roads are repaired", expected, "A school opens"]


def billion_laughs(*, encoding: str = "utf-8", line: str = "", padding: int = 0) -> bytes:
    """Ten levels of ten references each: 3 GB of "lol" if expanded."""
    entities = "".join(
        f'{line}<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    )
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><!-- <!DOCTYPE rss> -->'
        f'<!DOCTYPE rss [<!ENTITY lol0 "lol"><!-- ]> -->{entities}]>'
        f'<rss version="2.0"><channel><title>T</title><!--{"x" * padding}-->'
        "<item><title>Laughs &lol9;</title><description>&lol9; &lol8;</description></item>"
        "<item><title>Plain</title></item></channel></rss>"
    ).encode(encoding)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (billion_laughs(), None),
        (billion_laughs(line="\n"), None),  # feedparser strips declarations that begin a line
        (billion_laughs(padding=200_000), None),  # expat's own limit grows with the input
        (billion_laughs(encoding="utf-16"), None),
        (billion_laughs(encoding="utf-32"), None),
        (billion_laughs(encoding="utf-7"), "application/rss+xml; charset=utf-7"),
        (billion_laughs(encoding="cp037"), "text/xml; charset=cp037"),
    ],
    ids=["one-line", "lines", "padded", "utf-16", "utf-32", "utf-7", "ebcdic"],
)
def test_billion_laughs_are_not_expanded(body: bytes, content_type: str | None) -> None:
    tracemalloc.start()
    try:
        started = time.perf_counter()
        items = parse_feed(body, url=RU_URL, content_type=content_type)
        took = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert took < 0.5  # a second or more, and 100 MB and more, before
    assert peak < 10 * 2**20 + 4 * len(body)
    assert [item.title for item in items] == ["Laughs &lol9;", "Plain"]
    assert all(len(item.body) < 100 for item in items)


def test_declared_entities_are_dropped_but_the_feed_is_read() -> None:
    body = rss("<item><title>AB&nbsp;C ENTITY</title><link>/a</link></item>").replace(
        b"?>\n", b'?>\n<!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY x "y>z">]>', 1
    )
    items = parse_feed(body, url=RU_URL, content_type="application/rss+xml; charset=utf-8")
    assert [(item.title, item.url) for item in items] == [
        ("AB C ENTITY", "https://karaganda.example.kz/a")
    ]


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{url}">]>',
        '<!DOCTYPE rss [<!ENTITY % xxe SYSTEM "{url}"> %xxe;]>',
        '<!DOCTYPE rss SYSTEM "{url}">',
    ],
)
@pytest.mark.parametrize("target", ["file:///etc/passwd", "secret"])
def test_external_entities_are_never_read(doctype: str, target: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7f3a\n")
    url = secret.as_uri() if target == "secret" else target
    body = (
        '<?xml version="1.0"?>'
        + doctype.format(url=url)
        + '<rss version="2.0"><channel><title>T</title>'
        "<item><title>Leak &xxe;</title><description>Body &xxe;</description></item>"
        "</channel></rss>"
    ).encode()
    try:
        items = parse_feed(body, url=RU_URL, content_type=None)
    except SourceError as error:
        assert error.reason == "feed.malformed"
        return
    text = " ".join(f"{item.title} {item.body}" for item in items)
    assert "TOP-SECRET" not in text
    assert "root:" not in text


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger()


UNSAFE = {"\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9b", "\u202a", "\u202e", "\u2066", "\u2069"}
NOW = datetime(2025, 1, 14, 9, 0, tzinfo=UTC)


def test_huge_hostile_title_is_stored_capped_and_clean(tagger: Tagger) -> None:
    title = "Roads&#0; in \u202eKaraganda\u202c are&#x1b; repaired " + "again " * 180_000
    body = rss(
        f"<item><title>{title}</title><link>/roads</link><description>"
        "&lt;p&gt;Forty streets of Karaganda will be repaired&#x7f; this year.&lt;/p&gt;"
        "&lt;p&gt;Work starts in April, \u2066the akimat said\u2069.&lt;/p&gt;"
        "</description></item>"
    )
    assert len(body) > 1_000_000
    [item] = parse_feed(body, url=RU_URL, content_type=None)
    [row] = prepare_items(
        [item], site="karaganda.example.kz", tagger=tagger, now=NOW, default_language="en"
    )
    assert isinstance(row, ArticleInput)
    assert row.raw_title.startswith("Roads in Karaganda are repaired again again")
    assert row.title.startswith("Roads in Karaganda are repaired")
    for text in (row.title, row.raw_title):
        assert len(text) <= TITLE_MAX_CHARS
        assert text.endswith("again…")
    assert row.body == (
        "Forty streets of Karaganda will be repaired this year.\n\n"
        "Work starts in April, the akimat said."
    )
    for text in (row.title, row.raw_title, row.body, row.summary):
        assert not UNSAFE.intersection(text)


def test_seed_entries_pass_the_same_cleaning(tagger: Tagger) -> None:
    page = parse_seed_text(
        "Site\n\nSection\n\n"
        "\u202eSchool\x07 opens in\x00 Temirtau 14.01.2025\n"
        "A new\x1b school for 1,200 pupils\u2067 opened in Temirtau.\n",
        file_name="seed.txt",
    )
    zone = ZoneInfo("Asia/Almaty")
    [row] = prepare_page(page, tagger=tagger, zone=zone, now=NOW, default_language="en")
    assert isinstance(row, ArticleInput)
    assert (row.title, row.raw_title) == ("School opens in Temirtau",) * 2
    assert row.body == "A new school for 1,200 pupils opened in Temirtau."


def test_a_title_of_controls_only_is_made_from_the_body(tagger: Tagger) -> None:
    item = FeedItem(
        title="\u202e\u202d\x00",
        body="A new bridge opened in Semey. Traffic moves freely.",
        url="https://semey.example.kz/bridge",
        published=None,
    )
    [row] = prepare_items([item], site="semey", tagger=tagger, now=NOW, default_language="en")
    assert isinstance(row, ArticleInput)
    assert row.title == "A new bridge opened in Semey"
    assert row.raw_title == ""
