"""Forum routing: a digest split so each routed region or topic goes to its forum topic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.domain.digest.model import Digest, DigestItem, Section


@dataclass(frozen=True, slots=True)
class Route:
    """News of one region or topic goes to forum topic `thread_id`."""

    kind: str  # "region" or "topic"
    value: str
    thread_id: int
    thread_name: str = ""


def _route_of(section: str, item: DigestItem, routes: Sequence[Route]) -> Route | None:
    """The first route (in the forum's order) the item falls under.

    A region route takes the items of its digest section (an article of two regions sits in
    one section only); a topic route takes the items on that topic.
    """
    for route in routes:
        if route.kind == "region" and route.value == section:
            return route
        if route.kind == "topic" and route.value in item.article.topics:
            return route
    return None


def split_by_route(digest: Digest, routes: Sequence[Route]) -> list[tuple[Route | None, Digest]]:
    """The General part first (route None), then one part per routed forum topic.

    Every item lands in exactly one part; the overflow line stays with the General part.
    Parts without items are left out.
    """
    if not routes:
        return [(None, digest)]
    by_thread: dict[int, tuple[Route, list[Section]]] = {}
    general: list[Section] = []
    for section in digest.sections:
        stay: list[DigestItem] = []
        moved: dict[int, list[DigestItem]] = {}
        for item in section.items:
            route = _route_of(section.key, item, routes)
            if route is None:
                stay.append(item)
            else:
                by_thread.setdefault(route.thread_id, (route, []))
                moved.setdefault(route.thread_id, []).append(item)
        if stay:
            general.append(Section(section.key, tuple(stay)))
        for thread_id, items in moved.items():
            by_thread[thread_id][1].append(Section(section.key, tuple(items)))
    parts: list[tuple[Route | None, Digest]] = []
    if general or digest.overflow:
        parts.append((None, replace(digest, sections=tuple(general))))
    for route, sections in by_thread.values():
        parts.append((route, replace(digest, sections=tuple(sections), overflow=0)))
    return parts
