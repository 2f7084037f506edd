"""Telegram HTML shown as plain text: for the terminal (CLI previews, the playground)."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._links:
            href = self._links.pop()
            if href:
                self.parts.append(f" <{href}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """The visible text of a message, with each link's address after its text."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return unescape("".join(parser.parts))
