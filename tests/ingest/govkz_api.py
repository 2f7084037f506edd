"""A stand-in for the gov.kz news API on the local server: one answer per language.

The hand-written answers in tests/data/govkz/ are three releases of the akimat of Pavlodar
region in Russian (a page object), Kazakh (a bare list) and English (a page object).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

from aiohttp import web

from tests.ingest.http_server import Handler, LocalServer, respond

API: Final = "/api/v1/public/content-manager"
DATA: Final = Path(__file__).parents[1] / "data" / "govkz"
ENTITY_URL: Final = "https://www.gov.kz/memleket/entities/pavlodar"
RELEASE_IDS: Final = (1187301, 1187254, 1187190)
# 1187301 names no place: only its publisher says where it happened.
NO_PLACE_ID: Final = 1187301
TITLES: Final = {
    "ru": "Аким области провёл приём граждан по личным вопросам",
    "kk": "Облыс әкімі азаматтарды жеке мәселелер бойынша қабылдады",
    "en": "Regional akim holds a reception of citizens on personal matters",
}
HTML_PAGE: Final = (
    b"<!DOCTYPE html><html><head><title>Checking your browser</title></head>"
    b"<body><script>document.cookie='t=1';location.reload()</script></body></html>"
)


def release_page(language: str) -> bytes:
    """The three releases as the API would answer in `language`."""
    return (DATA / f"pavlodar-{language}.json").read_bytes()


def json_answer(body: bytes, status: int = 200) -> Handler:
    return respond(status, body, headers=[("Content-Type", "application/json")])


def releases() -> dict[str, Handler]:
    """Every language answered with its fixture."""
    return {language: json_answer(release_page(language)) for language in ("ru", "kk", "en")}


def news_api(answers: Mapping[str, Handler]) -> Handler:
    """The news endpoint: the language comes from `lang` (else Accept-Language), and each has
    its own answer; a language without one gets an empty list."""

    async def handler(request: web.Request) -> web.StreamResponse:
        language = request.query.get("lang") or request.headers.get("Accept-Language") or "ru"
        answer = answers.get(language[:2], json_answer(b"[]"))
        return await answer(request)

    return handler


def serve(server: LocalServer, answers: Mapping[str, Handler]) -> str:
    """Serve the API on `server`; the value for GOVKZ_API_URL."""
    server.route(f"{API}/news", news_api(answers))
    return server.url(API)
