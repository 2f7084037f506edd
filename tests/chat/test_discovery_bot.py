"""/addsource with a site's address: the bot looks for its feeds and offers them as buttons;
an operator's press adds the chosen one while the offer is fresh. Also the offer store and the
buttons' callback data on their own."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.chat.actions import MAX_OFFERED, AnswerSourceOffer
from bot.chat.callback_data import MAX_BYTES, ForgedCallback, pack, unpack
from bot.chat.source_offers import OFFER_TTL, SourceOffer, SourceOffers
from bot.emulator import Chat, ChatMessage, User
from bot.ingest.discovery import Candidate
from storage.queries import sources as source_queries
from tests.chat.conftest import Harness
from tests.ingest.http_server import LocalServer, endless, respond, running_server
from tests.ingest.samples import feed_bytes

HOME = (
    b"<!DOCTYPE html><html><head><title>Energy</title>"
    b'<link rel="alternate" type="application/rss+xml" href="/en/rss.xml">'
    b'<link rel="alternate" type="application/atom+xml" href="/kk/feed.atom">'
    b"</head><body>Press releases</body></html>"
)
PLAIN = b"<!DOCTYPE html><html><body>No feeds here</body></html>"
# Looking for feeds starts the parsing workers on first use: give the reply time.
SLOW_REPLY = 30.0


@pytest.fixture
async def site() -> AsyncIterator[LocalServer]:
    async with running_server() as server:
        yield server


async def offer_for(harness: Harness, user: User, chat: Chat, text: str) -> ChatMessage:
    """Send a command and wait (longer than `say` does) for the bot's one reply."""
    before = len(harness.emulator.messages_to(chat))
    harness.emulator.send_message(user, chat, text)
    sent = await harness.emulator.wait_for_messages(chat, before + 1, SLOW_REPLY)
    [reply] = sent[before:]
    return reply


def buttons(message: ChatMessage) -> list[tuple[str, AnswerSourceOffer]]:
    """The offer's buttons: label and decoded action."""
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    found = []
    for row in rows:
        for button in row:
            action = unpack(button["callback_data"])
            assert isinstance(action, AnswerSourceOffer)
            found.append((button["text"], action))
    return found


async def sources(harness: Harness) -> list[tuple[str, str, int]]:
    async with harness.database.read() as session:
        rows = await source_queries.all_sources(session)
    return [(row.kind, row.url, row.poll_minutes) for row in rows]


async def test_a_site_is_offered_its_feeds_and_a_press_adds_one(
    harness: Harness, site: LocalServer
) -> None:
    site.route("/", respond(200, HOME, headers=[("Content-Type", "text/html")]))
    site.route("/en/rss.xml", respond(200, feed_bytes("rss-en.xml")))
    site.route("/kk/feed.atom", respond(200, feed_bytes("atom-kk.xml")))
    me = harness.operator
    chat = harness.emulator.create_private_chat(me)

    offer = await offer_for(harness, me, chat, f"/addsource {site.url('/')} 30")

    assert f"Feeds found on {site.url('/')}" in (offer.text or "")
    assert "every 30 min" in (offer.text or "")
    labels = [label for label, _ in buttons(offer)]
    assert labels == [
        "Ministry of Energy — press releases · 2 items",
        "Түркістан облысы әкімдігі · 3 items",
        "Add the page as a listing",
        "Cancel",
    ]
    [_, (_, second), *_] = buttons(offer)
    assert await harness.press(me, offer, pack(second)) == ""
    edited = harness.current(chat, offer.message_id)
    assert f"Source #1 added: {site.url('/kk/feed.atom')} (rss, every 30 min)" in (
        edited.text or ""
    )
    assert edited.callback_data == [], "the offer is answered"
    assert await sources(harness) == [("rss", site.url("/kk/feed.atom"), 30)]
    replayed = await harness.press(me, offer, pack(second), forged=True)  # a replay
    assert "out of date" in replayed
    assert len(await sources(harness)) == 1


async def test_a_site_without_feeds_is_offered_as_a_listing(
    harness: Harness, site: LocalServer
) -> None:
    home = site.route("/news", respond(200, PLAIN, headers=[("Content-Type", "text/html")]))
    me = harness.operator
    chat = harness.emulator.create_private_chat(me)

    offer = await offer_for(harness, me, chat, f"/addsource {home}")

    assert f"No feed found on {home}" in (offer.text or "")
    [(listing_label, listing), (_, cancel)] = buttons(offer)
    assert (listing_label, listing.choice, cancel.choice) == (
        "Add the page as a listing",
        "listing",
        "cancel",
    )
    await harness.press(me, offer, pack(listing))
    assert "(listing, every 60 min)" in (harness.current(chat, offer.message_id).text or "")
    assert await sources(harness) == [("listing", home, 60)]


async def test_cancel_and_expiry_add_nothing(harness: Harness, site: LocalServer) -> None:
    site.route("/", respond(200, PLAIN, headers=[("Content-Type", "text/html")]))
    me = harness.operator
    chat = harness.emulator.create_private_chat(me)
    first = await offer_for(harness, me, chat, f"/addsource {site.url('/')}")
    [_, (_, cancel)] = buttons(first)
    await harness.press(me, first, pack(cancel))
    assert harness.current(chat, first.message_id).text == "Nothing was added."

    second = await offer_for(harness, me, chat, f"/addsource {site.url('/')}")
    harness.clock.set(harness.clock.now() + OFFER_TTL + timedelta(seconds=1))
    [(_, listing), _] = buttons(second)
    await harness.press(me, second, pack(listing))
    assert "This offer has expired" in (harness.current(chat, second.message_id).text or "")
    assert await sources(harness) == []


async def test_only_operators_may_answer_an_offer(harness: Harness, site: LocalServer) -> None:
    site.route("/", respond(200, PLAIN, headers=[("Content-Type", "text/html")]))
    me = harness.operator
    member = harness.emulator.create_user("Member", language_code="en")
    group = harness.emulator.create_group(
        "Editors", creator=me, members=(member,), bot_status="administrator"
    )
    await harness.emulator.wait_for_messages(group, 1)  # the greeting of a new group
    offer = await offer_for(harness, me, group, f"/addsource {site.url('/')}")
    [(_, listing), _] = buttons(offer)

    refused = await harness.press(member, offer, pack(listing))

    assert refused == "Only the bot's operators can add sources."
    assert await sources(harness) == []
    await harness.press(me, offer, pack(listing))
    assert await sources(harness) == [("listing", site.url("/"), 60)]


async def test_looking_for_feeds_never_holds_up_other_chats(
    harness: Harness, site: LocalServer
) -> None:
    slow = site.route("/", endless(interval=0.5, piece=b"<p>"))
    me = harness.operator
    chat = harness.emulator.create_private_chat(me)
    before = len(harness.emulator.messages_to(chat))
    harness.emulator.send_message(me, chat, f"/addsource {slow}")
    await harness.emulator.wait_for(lambda: bool(site.hits("/")), 10)
    reader, reader_chat = harness.private_chat("Reader")
    started = time.monotonic()
    [answer] = await harness.say(reader, reader_chat, "/help")
    assert time.monotonic() - started < 1.0, "answered while the site is read"
    assert "/digest" in (answer.text or "")

    [offer] = (await harness.emulator.wait_for_messages(chat, before + 1, SLOW_REPLY))[before:]

    assert f"Could not read {slow} to look for its feeds (fetch.timeout)" in (offer.text or "")
    assert [action.choice for _, action in buttons(offer)] == ["listing", "cancel"]


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        ("/addsource ftp://example.kz/", "That is not an http(s) address."),
        ("/addsource /etc/passwd", "only web addresses"),
        ("/addsource https://example.kz/ 1", "Poll every 5 minutes at the most"),
    ],
)
async def test_bad_addresses_are_refused_before_any_search(
    harness: Harness, command: str, reply: str
) -> None:
    chat = harness.emulator.create_private_chat(harness.operator)
    [refused] = await harness.say(harness.operator, chat, command)
    assert reply in (refused.text or "")
    assert refused.callback_data == []


@pytest.mark.parametrize(
    "data",
    [
        "1|D|short|feed|0",  # not an offer id
        "1|D|Xa9_k2Qm|feed|8",  # past the feeds one offer shows
        "1|D|Xa9_k2Qm|listing|1",  # only feeds are numbered
        "1|D|Xa9_k2Qm|feed|01",  # not the canonical spelling
        "1|D|Xa9_k2Qm|steal|0",
        "1|D|Xa9/k2Qm|feed|0",
    ],
)
def test_forged_offer_buttons_are_refused(data: str) -> None:
    with pytest.raises(ForgedCallback):
        unpack(data)


def test_offers_are_kept_per_chat_until_they_expire_and_within_a_limit() -> None:
    now = datetime(2025, 1, 14, 6, 0, tzinfo=UTC)
    store = SourceOffers(limit=3)
    offer = SourceOffer(7, "https://a.kz/", 60, (Candidate("https://a.kz/rss", "A", 1),), now)
    offer_id = store.put(offer)
    assert len(pack(AnswerSourceOffer(offer_id, "feed", MAX_OFFERED - 1)).encode()) <= MAX_BYTES
    assert store.get(offer_id, chat_id=7, now=now + OFFER_TTL) == offer
    assert store.get(offer_id, chat_id=8, now=now) is None, "another chat's offer"
    assert store.get(offer_id, chat_id=7, now=now + OFFER_TTL + timedelta(seconds=1)) is None
    assert len(store) == 0, "expired offers are forgotten"
    ids = [store.put(replace(offer, made_at=now + timedelta(seconds=n))) for n in range(4)]
    assert len(store) == 3
    assert store.get(ids[0], chat_id=7, now=now) is None, "the oldest gave way"
    store.discard(ids[1])
    assert store.get(ids[1], chat_id=7, now=now) is None
    assert store.get(ids[3], chat_id=7, now=now) is not None
