"""Cyrillic that reads right: each way a feed's or page's charset goes wrong, decoded and parsed."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from bot.ingest.charsets import decode_document, html_text, http_charset
from bot.ingest.feeds import parse_feed
from bot.ingest.seed_files import decode

URL = "https://pavlodar.example.kz/ru/rss.xml"
RU_TITLES = ["Зимний ремонт теплосетей в Павлодаре завершён", "В Экибастузе открыли поликлинику"]
KK_TITLE = "Қарағанды облысында жаңа мектеп ашылды"
BODY = "Энергетики заменили 12 километров труб — «досрочно», говорят в акимате."


def feed_text(*, declared: str | None) -> str:
    """A small RSS feed of Russian news with one Kazakh title, declaring `declared` if given."""
    declaration = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else ""
    items = "".join(
        f"<item><title>{title}</title><link>/ru/news/{n}</link>"
        f"<description>{BODY}</description></item>"
        for n, title in enumerate([*RU_TITLES, KK_TITLE])
    )
    return (
        f'{declaration}<rss version="2.0"><channel><title>Новости Павлодара</title>'
        f"<link>https://pavlodar.example.kz/</link>{items}</channel></rss>"
    )


def feed(encoding: str, *, declared: str | None) -> bytes:
    # Kazakh letters are not in windows-1251 or koi8-r: such feeds write them as references.
    return feed_text(declared=declared).encode(encoding, "xmlcharrefreplace")


def titles(body: bytes, content_type: str | None) -> list[str]:
    return [item.title for item in parse_feed(body, url=URL, content_type=content_type)]


EXPECTED = [*RU_TITLES, KK_TITLE]
# koi8-r has no «» or —: those became references too, which read the same.
CASES = {
    "declared windows-1251": (feed("cp1251", declared="windows-1251"), None, "declared"),
    "declared windows-1251, text/xml without charset": (
        feed("cp1251", declared="windows-1251"),
        "text/xml",
        "declared",
    ),
    "declared windows-1251, lying HTTP utf-8": (
        feed("cp1251", declared="windows-1251"),
        "application/rss+xml; charset=utf-8",
        "declared",
    ),
    "undeclared windows-1251, HTTP charset": (
        feed("cp1251", declared=None),
        'text/xml; charset="Windows-1251"',
        "http",
    ),
    "undeclared windows-1251, no charset anywhere": (
        feed("cp1251", declared=None),
        "application/rss+xml",
        "detected",
    ),
    "UTF-8 body declared windows-1251": (feed("utf-8", declared="windows-1251"), None, "utf-8"),
    "UTF-8 body, HTTP windows-1251": (
        feed("utf-8", declared=None),
        "application/rss+xml; charset=windows-1251",
        "utf-8",
    ),
    "UTF-8 body labelled windows-1251 twice": (
        feed("utf-8", declared="windows-1251"),
        "text/xml; charset=cp1251",
        "utf-8",
    ),
    "declared koi8-r": (feed("koi8_r", declared="koi8-r"), None, "declared"),
    "undeclared koi8-r": (feed("koi8_r", declared=None), None, "detected"),
    "declared koi8-r, HTTP windows-1251": (
        feed("koi8_r", declared="KOI8-R"),
        "application/xml; charset=windows-1251",
        "detected",
    ),
    "declared windows-1251, HTTP koi8-r": (
        feed("cp1251", declared="windows-1251"),
        "application/xml; charset=koi8-r",
        "detected",
    ),
    "UTF-8 with BOM, declared windows-1251": (
        codecs.BOM_UTF8 + feed("utf-8", declared="windows-1251"),
        None,
        "bom",
    ),
    "UTF-16 with BOM": (feed("utf-16", declared="utf-16"), None, "bom"),
    "UTF-16 without BOM": (feed("utf-16-le", declared="utf-16"), None, "sniffed"),
    "declared kz1048 (Kazakh letters as bytes)": (
        feed("kz1048", declared="kz-1048"),
        None,
        "declared",
    ),
}


@pytest.mark.parametrize(("body", "content_type", "how"), CASES.values(), ids=list(CASES))
def test_feed_reads_right(body: bytes, content_type: str | None, how: str) -> None:
    assert decode_document(body, content_type=content_type, markup="xml").how == how
    assert titles(body, content_type) == EXPECTED
    [item, *_] = parse_feed(body, url=URL, content_type=content_type)
    assert item.body == BODY
    assert item.url == "https://pavlodar.example.kz/ru/news/0"


def test_invalid_utf8_bytes_cost_only_themselves() -> None:
    good = feed("utf-8", declared="utf-8")
    damaged = good.replace("открыли".encode(), b"\xd0\xbe\xff\xfe\xd1", 1)  # bytes of no letter
    damaged = damaged.replace("Новости".encode(), b"\xc3\x28" + "Новости".encode(), 1)
    decoded = decode_document(damaged, content_type="text/xml; charset=utf-8", markup="xml")
    assert decoded.how == "utf-8"
    assert decoded.text.count("\ufffd") == 4
    got = titles(damaged, None)
    assert got[0] == RU_TITLES[0]
    assert got[1] == "В Экибастузе о\ufffd\ufffd\ufffd поликлинику"
    assert got[2] == KK_TITLE


def test_invalid_utf8_in_a_feed_labelled_windows_1251_is_still_utf8() -> None:
    damaged = feed("utf-8", declared="windows-1251").replace(b"</rss>", b"\xff</rss>")
    assert titles(damaged, "text/xml; charset=windows-1251") == EXPECTED


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_nul_bytes_are_dropped_not_the_feed(encoding: str) -> None:
    body = feed(encoding, declared=encoding.replace("cp", "windows-"))
    spoilt = b"\x00" + body.replace(b"<item>", b"<item>\x00", 1).replace(
        b"</title>", b"\x00\x01</title>"
    )
    assert titles(spoilt, None) == EXPECTED


def test_nul_bytes_do_not_mislead_detection() -> None:
    body = feed("cp1251", declared=None).replace(b"</item>", b"\x00\x00\x00\x00</item>")
    decoded = decode_document(body, content_type=None, markup="xml")
    assert (decoded.encoding, decoded.how) == ("cp1251", "detected")
    assert "\x00" not in decoded.text


def test_control_characters_xml_forbids_are_dropped() -> None:
    text = decode_document(
        b"a\x00b\x01c\x08d\te\nf\rg\x0bh\x1fi\x7fj", content_type=None, markup="xml"
    )
    assert text.text == "abcd\te\nf\rgh" + "i\x7fj"


@pytest.mark.parametrize(
    ("content_type", "charset"),
    [
        (None, None),
        ("", None),
        ("text/xml", None),
        ("text/xml; charset=windows-1251", "windows-1251"),
        ('text/html;charset="KOI8-R"', "KOI8-R"),
        ("application/rss+xml; Charset='utf-8'; q=1", "utf-8"),
        ("text/html; boundary=x; charset=cp1251", "cp1251"),
    ],
)
def test_http_charset(content_type: str | None, charset: str | None) -> None:
    assert http_charset(content_type) == charset


@pytest.mark.parametrize(
    ("label", "encoding"),
    [
        ("x-cp1251", "cp1251"),
        ("no-such-charset", "cp1251"),  # unknown: detected
        ("utf-7", "cp1251"),  # never honoured (a cross-site scripting vector)
        ("utf-16", "cp1251"),  # an ASCII-readable declaration cannot be UTF-16
    ],
)
def test_odd_labels(label: str, encoding: str) -> None:
    body = feed("cp1251", declared=label)
    assert decode_document(body, content_type=None, markup="xml").encoding == encoding


def test_iso_8859_1_label_means_windows_1252() -> None:
    body = '<?xml version="1.0" encoding="ISO-8859-1"?><p>“Olá” – café</p>'.encode("cp1252")
    decoded = decode_document(body, content_type=None, markup="xml")
    assert decoded.encoding == "cp1252"
    assert decoded.text.endswith("<p>“Olá” – café</p>")


PAGE = (
    "<!DOCTYPE html><html><head>{meta}<title>Новости</title></head><body>"
    "<h1>{title}</h1><p>{body}</p></body></html>"
)


@pytest.mark.parametrize(
    ("encoding", "meta", "content_type"),
    [
        ("cp1251", '<meta charset="windows-1251">', None),
        (
            "cp1251",
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
            None,
        ),
        ("cp1251", "", "text/html; charset=windows-1251"),
        ("cp1251", "", None),
        ("koi8_r", '<meta charset="koi8-r">', "text/html; charset=windows-1251"),
        ("utf-8", '<meta charset="windows-1251">', None),
        ("utf-8", '<meta charset="euc-kr">', "text/html; charset=euc-kr"),
    ],
)
def test_pages_read_right(encoding: str, meta: str, content_type: str | None) -> None:
    page = PAGE.format(meta=meta, title=RU_TITLES[0], body=BODY).encode(
        encoding, "xmlcharrefreplace"
    )
    text = html_text(page, content_type=content_type)
    assert RU_TITLES[0] in text
    assert "досрочно" in text


def test_page_xml_declaration_is_dropped_for_lxml() -> None:
    page = '<?xml version="1.0" encoding="windows-1251"?>' + PAGE.format(
        meta="", title="Т", body="Б"
    )
    assert html_text(page.encode("cp1251"), content_type=None).startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "koi8_r"])
def test_seed_texts(encoding: str) -> None:
    text = f"Акимат Павлодарской области\n\nНовости\n\n{RU_TITLES[0]} 13.01.2025\n{BODY}\n"
    text = text.replace("«", '"').replace("»", '"').replace("—", "-")  # as koi8-r has them
    assert decode(text.encode(encoding)) == text


def test_seed_text_with_a_bad_byte_stays_utf8() -> None:
    text = f"Акимат\n\nНовости\n\n{KK_TITLE} 13.01.2025\n{BODY}\n"
    assert decode(text.encode() + b"\xff") == text + "\ufffd"


RU_KK = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯәғқңөұүһіӘҒҚҢӨҰҮҺІ"
TEXT = st.text(alphabet=st.sampled_from(RU_KK + " ,.!?-0123456789«»—"), min_size=1, max_size=80)
LABELS = {"cp1251": "windows-1251", "koi8_r": "koi8-r", "kz1048": "kz-1048", "utf-8": "utf-8"}


@given(TEXT, st.sampled_from(sorted(LABELS)), st.booleans())
@example("Ёлка в Астане", "koi8_r", False)
@example("Қарағанды", "cp1251", True)
def test_labelled_text_round_trips(text: str, encoding: str, in_http: bool) -> None:
    """Whatever the label says (and wherever it is), the text comes back, Kazakh letters and
    all (as references where the code page lacks them)."""
    body = f"<p>{text}</p>".encode(encoding, "xmlcharrefreplace")
    assume(encoding == "utf-8" or not is_utf8(body))  # then UTF-8 wins: see the test below
    label = LABELS[encoding]
    if in_http:
        decoded = decode_document(body, content_type=f"text/xml; charset={label}", markup="xml")
    else:
        declared = f'<?xml version="1.0" encoding="{label}"?>'.encode() + body
        decoded = decode_document(declared, content_type=None, markup="xml")
    assert decoded.text.endswith(body.decode(encoding))


def is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_legacy_bytes_that_are_valid_utf8_read_as_utf8() -> None:
    """The price of rule 2, paid only by tiny texts: «В»» in windows-1251 is C2 BB, which is
    «»» in UTF-8. Cyrillic letters are lead bytes there (ё aside) and two in a row are never
    UTF-8, so any word of ordinary Russian rules UTF-8 out."""
    body = "<p>В»</p>".encode("cp1251")
    assert (
        decode_document(body, content_type="text/xml; charset=windows-1251", markup="xml").text
        == "<p>»</p>"
    )


@given(TEXT, st.sampled_from(["windows-1251", "koi8-r", "iso-8859-5", None]))
def test_utf8_wins_over_any_label(text: str, label: str | None) -> None:
    content_type = f"text/xml; charset={label}" if label else None
    decoded = decode_document(f"<p>{text}</p>".encode(), content_type=content_type, markup="html")
    assert (decoded.text, decoded.encoding) == (f"<p>{text}</p>", "utf-8")


@given(st.binary(max_size=400), st.sampled_from([None, "text/xml; charset=windows-1251"]))
@example(b"\xff\xfe\x00", None)
@example(b"\x4c\x6f\xa7\x94\x00", None)
@example(b"<\x00?\x00x\x00", "text/xml; charset=utf-7")
def test_any_bytes_decode_without_controls(body: bytes, content_type: str | None) -> None:
    for markup in ("xml", "html", "text"):
        text = decode_document(body, content_type=content_type, markup=markup).text
        assert not any(char < " " and char not in "\t\n\r" for char in text)
