"""A fresh `newsdigest run` with a source pack of three kinds, all served on 127.0.0.1: a gov.kz
API stand-in (one release in Russian, Kazakh and English), an RSS feed and a news listing.
A Russian-speaking reader of Pavlodar gets one digest with items from all three, the gov.kz
release once and in Russian. Every text here was written for this test.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web

from bot.emulator import Emulator
from tests.delivery.harness import Tap, bot_env, read_rows, set_due, utc_now
from tests.ingest.http_server import LocalServer, respond
from tests.live.live import Story, ask, eventually, rss, running_bot

pytestmark = pytest.mark.slow
API = "/api/v1/public/content-manager"
RELEASE_ID = 1_204_518
RELEASE = {
    "ru": (
        "В Павлодаре открыли новую котельную на 40 мегаватт",
        "Аким Павлодарской области принял участие в запуске новой котельной мощностью "
        "40 мегаватт. Она обеспечит теплом 6 500 квартир и три школы левобережья.",
    ),
    "kk": (
        "Павлодарда қуаты 40 мегаватт жаңа қазандық ашылды",
        "Павлодар облысының әкімі қуаты 40 мегаватт жаңа қазандықтың іске қосылуына "
        "қатысты. Ол сол жағалаудағы 6 500 пәтер мен үш мектепті жылумен қамтамасыз етеді.",
    ),
    "en": (
        "A new 40-megawatt boiler house opens in Pavlodar",
        "The akim of Pavlodar region took part in the launch of a new 40-megawatt boiler "
        "house. It will heat 6,500 flats and three schools on the left bank.",
    ),
}
LISTED_TITLE = "Павлодарская область: в Экибастузе отремонтируют 12 километров дорог"
LISTED_BODY = (
    "В Экибастузе Павлодарской области этим летом отремонтируют 12 километров городских "
    "дорог, сообщили в отделе строительства. На работы выделено 3,4 миллиарда тенге, "
    "подрядчики должны завершить их до конца сентября. Особое внимание уделят улицам, "
    "ведущим к школам и поликлиникам, а также тротуарам и остановкам общественного "
    "транспорта, которые жители называли в обращениях в акимат."
)


async def _govkz(request: web.Request) -> web.StreamResponse:
    """The news API as `govkz.md` describes it: the page object, one language per request."""
    language = request.query.get("lang") or request.headers.get("Accept-Language", "ru")
    title, body = RELEASE.get(language[:2], RELEASE["ru"])
    created = (utc_now() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%S")
    item = {"id": RELEASE_ID, "title": title, "body": f"<p>{body}</p>", "created_date": created}
    return web.Response(text=json.dumps({"content": [item]}), content_type="application/json")


def _article_page() -> bytes:
    published = utc_now().date().isoformat()
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{LISTED_TITLE}</title><meta property='article:published_time' "
        f"content='{published}'></head><body><main><article><h1>{LISTED_TITLE}</h1>"
        f"<p>{LISTED_BODY}</p></article></main></body></html>"
    ).encode()


def _serve(server: LocalServer, feed_story: Story) -> None:
    server.route(f"{API}/news", _govkz)
    server.route(
        "/rss", respond(200, rss([feed_story]), headers=[("Content-Type", "application/rss+xml")])
    )
    listing = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Новости</title></head><body>"
        "<main><ul><li><a href='/news/ekibastuz-roads'>Дороги Экибастуза</a></li></ul></main>"
        "</body></html>"
    ).encode()
    server.route(
        "/news", respond(200, listing, headers=[("Content-Type", "text/html; charset=utf-8")])
    )
    server.route(
        "/news/ekibastuz-roads",
        respond(200, _article_page(), headers=[("Content-Type", "text/html; charset=utf-8")]),
    )


def _pack(folder: Path, server: LocalServer) -> Path:
    pack = folder / "pack.toml"
    pack.write_text(
        f"""
[[source]]
name = "Akimat of Pavlodar region"
kind = "govkz"
url = "https://www.gov.kz/memleket/entities/pavlodar"
minutes = 30
official = true

[[source]]
name = "Pavlodar news feed"
kind = "rss"
url = "{server.url("/rss")}"
minutes = 30

[[source]]
name = "Pavlodar news listing"
kind = "listing"
url = "{server.url("/news")}"
minutes = 30
""",
        encoding="utf-8",
    )
    return pack


async def test_a_fresh_bot_delivers_one_digest_from_all_three_kinds(
    emulator: Emulator, feeds: LocalServer, tmp_path: Path
) -> None:
    feed_story = Story(
        "Павлодарская область получит 25 новых автобусов",
        "В Павлодарскую область до конца года поступят 25 новых автобусов на газе, сообщили "
        "в управлении пассажирского транспорта. Они выйдут на городские маршруты.",
        "https://news.example.kz/pavlodar/buses",
        utc_now() - timedelta(hours=1),
    )
    _serve(feeds, feed_story)
    database = tmp_path / "bot.db"
    async with Tap(emulator, "bot") as tap:
        env = bot_env(
            f"sqlite+aiosqlite:///{database}",
            tap,
            source_tick_seconds=1,
            digest_tick_seconds=1,
            source_pack=str(_pack(tmp_path, feeds)),
            govkz_api_url=feeds.url(API),
            private_source_networks="127.0.0.1/32",
        )
        async with running_bot(emulator, tap, env, tmp_path) as bot:
            polled = "SELECT count(*) FROM source WHERE last_success_at IS NOT NULL"
            await eventually(
                lambda: read_rows(database, polled) == [(3,)], 60, "all three polled", bot.log
            )
            reader = emulator.create_user("Айгерим", language_code="ru")
            chat = emulator.create_private_chat(reader)
            await ask(emulator, reader, chat, "/subscribe pavlodar")
            before = len(emulator.messages_to(chat))
            set_due(database, [chat.id], utc_now() - timedelta(minutes=1))
            digest = await emulator.wait_for_messages(chat, before + 1, 30)
            text = "\n".join(message.text or "" for message in digest[before:])
            assert RELEASE["ru"][0] in text, text
            assert RELEASE["kk"][0] not in text and RELEASE["en"][0] not in text
            assert feed_story.title in text
            assert LISTED_TITLE in text
            versions = (
                "SELECT count(*), count(DISTINCT cluster_id) FROM article WHERE story_key = ?"
            )
            assert read_rows(database, versions, (f"govkz:pavlodar:{RELEASE_ID}",)) == [(3, 1)]
            assert "Traceback" not in bot.log()
