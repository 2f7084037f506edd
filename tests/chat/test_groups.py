"""Groups, forums, channels and operators, end to end through the emulator."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import text

from bot.domain.telegram_html import visible_text
from bot.emulator import Chat, User
from storage.queries import chats as chat_queries
from tests.chat.conftest import Harness


async def _chat_row(harness: Harness, chat_id: int):  # type: ignore[no-untyped-def]
    async with harness.database.read() as session:
        return await chat_queries.get_chat(session, chat_id=chat_id)


async def _until_blocked(harness: Harness, chat_id: int, *, blocked: bool) -> None:
    """Membership updates bring no reply to wait for: poll the database briefly instead."""
    for _ in range(100):
        row = await _chat_row(harness, chat_id)
        if row is not None and row.blocked == blocked:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"chat {chat_id} never became blocked={blocked}")


async def _subscriptions(harness: Harness, chat_id: int) -> set[tuple[str, str]]:
    async with harness.database.read() as session:
        rows = await chat_queries.subscriptions_of(session, chat_id=chat_id)
    return {(s.kind, s.value) for s in rows}


def _group(
    harness: Harness, *, forum: bool = False, supergroup: bool = False
) -> tuple[User, User, Chat]:
    admin = harness.emulator.create_user("Admin")
    member = harness.emulator.create_user("Member")
    if forum or supergroup:
        group = harness.emulator.create_supergroup(
            "District", forum=forum, creator=admin, members=(member,), bot_status="administrator"
        )
    else:
        group = harness.emulator.create_group(
            "District", creator=admin, members=(member,), bot_status="administrator"
        )
    return admin, member, group


async def test_adding_the_bot_greets_with_setup_help(harness: Harness) -> None:
    admin = harness.emulator.create_user("Admin")
    group = harness.emulator.create_group("Village", creator=admin, bot_status="left")
    harness.emulator.set_bot_status(group, "member", by=admin)
    [greeting] = await harness.emulator.wait_for_messages(group, 1)
    assert "/subscribe karaganda" in (greeting.text or "")


async def test_only_administrators_change_settings_in_a_group(harness: Harness) -> None:
    admin, member, group = _group(harness)
    await harness.emulator.wait_for_messages(group, 1)  # the greeting
    [refusal] = await harness.say(member, group, "/subscribe turkestan")
    assert "Only this group's administrators" in (refusal.text or "")
    assert await _subscriptions(harness, group.id) == set()
    [done] = await harness.say(admin, group, "/subscribe karaganda")
    assert "Subscribed" in (done.text or "")
    [latest] = await harness.say(member, group, "/latest")
    assert "Latest on your subscriptions" in (latest.text or "")
    [instead] = await harness.say(member, group, "/digest")
    assert "Latest on your subscriptions" in (instead.text or ""), "non-admins get /latest"
    [digest] = await harness.say(admin, group, "/digest")
    assert "News digest" in visible_text(digest.raw_text or "")


async def test_an_anonymous_administrator_counts_as_an_administrator(harness: Harness) -> None:
    _, _, group = _group(harness, supergroup=True)
    await harness.emulator.wait_for_messages(group, 1)
    harness.emulator.send_anonymous(group, "/subscribe abai")
    sent = await harness.emulator.wait_for_messages(group, 2)
    assert "Subscribed" in (sent[-1].text or "")
    assert await _subscriptions(harness, group.id) == {("region", "abai")}


async def test_a_group_that_becomes_a_supergroup_keeps_its_settings(harness: Harness) -> None:
    admin, _, group = _group(harness)
    await harness.emulator.wait_for_messages(group, 1)
    await harness.say(admin, group, "/subscribe karaganda")
    await harness.say(admin, group, "/time 07:15")
    supergroup = harness.emulator.migrate_group(group, by=admin)
    [answer] = await harness.say(admin, supergroup, "/mysubs")
    assert "Karaganda region" in (answer.text or "")
    moved = await _chat_row(harness, supergroup.id)
    assert moved is not None and moved.digest_time == "07:15"
    assert await _chat_row(harness, group.id) is None


async def test_forum_routes_and_a_closed_topic_falls_back_to_general(harness: Harness) -> None:
    admin, _, forum = _group(harness, forum=True)
    await harness.emulator.wait_for_messages(forum, 1)
    topic = harness.emulator.create_topic(forum, "Turkestan news", by=admin)
    await harness.say(admin, forum, "/subscribe karaganda turkestan")
    before = len(harness.emulator.messages_to(forum))
    harness.emulator.send_message(
        admin,
        forum,
        "/route turkestan",
        message_thread_id=topic.message_thread_id,
        reply_to=topic.message_thread_id,
    )
    sent = await harness.emulator.wait_for_messages(forum, before + 1)
    assert "Turkestan news" in (sent[-1].text or "")
    before = len(harness.emulator.messages_to(forum))
    await harness.say(admin, forum, "/digest", replies=2)
    posted = harness.emulator.messages_to(forum)[before:]
    in_topic = [m for m in posted if m.message_thread_id == topic.message_thread_id]
    general = [m for m in posted if m.message_thread_id is None]
    assert in_topic and "Turkestan" in visible_text(in_topic[0].raw_text or "")
    assert general and "Karaganda" in visible_text(general[0].raw_text or "")

    # a closed topic: the next digest falls back to General with a note for the admins
    harness.emulator.close_topic(forum, topic.message_thread_id)
    async with harness.database.write() as session:
        await session.execute(text("DELETE FROM delivery"))  # the window comes again
    before = len(harness.emulator.messages_to(forum))
    harness.emulator.send_message(admin, forum, "/digest")
    await harness.emulator.wait_for(
        lambda: any(
            "closed or deleted" in (m.text or "")
            for m in harness.emulator.messages_to(forum)[before:]
        ),
        5,
    )
    later = harness.emulator.messages_to(forum)[before:]
    assert all(m.message_thread_id is None for m in later)


async def test_a_channel_is_linked_and_managed_from_a_private_chat(harness: Harness) -> None:
    user, private = harness.private_chat("Editor")
    channel = harness.emulator.create_channel(
        "Region News", username="regionnews", creator=user, bot_status="administrator"
    )
    [linked] = await harness.say(user, private, "/channel @regionnews")
    assert "Linked «Region News»" in (linked.text or "")
    await harness.say(user, private, "/subscribe turkestan")
    assert await _subscriptions(harness, channel.id) == {("region", "turkestan")}
    assert await _subscriptions(harness, private.id) == set()
    [posted] = await harness.say(user, private, "/digest")
    assert "posted to «Region News»" in (posted.text or "")
    assert harness.emulator.messages_to(channel), "the digest went to the channel"
    [back] = await harness.say(user, private, "/manage me")
    assert "this chat" in (back.text or "")
    await harness.say(user, private, "/subscribe abai")
    assert await _subscriptions(harness, private.id) == {("region", "abai")}


async def test_a_channel_is_refused_when_the_user_is_not_its_administrator(
    harness: Harness,
) -> None:
    owner = harness.emulator.create_user("Owner")
    stranger, private = harness.private_chat("Stranger")
    harness.emulator.create_channel("Closed", username="closedch", creator=owner)
    [answer] = await harness.say(stranger, private, "/channel @closedch")
    assert "Only administrators" in (answer.text or "")


async def test_a_forwarded_post_links_a_private_channel(harness: Harness) -> None:
    user, private = harness.private_chat("Editor")
    channel = harness.emulator.create_channel("Akimat", creator=user)
    before = len(harness.emulator.messages_to(private))
    harness.emulator.forward_channel_post(user, private, channel, "A post")
    sent = await harness.emulator.wait_for_messages(private, before + 1)
    assert "Linked «Akimat»" in (sent[-1].text or "")


async def test_removal_pauses_and_re_adding_resumes(harness: Harness) -> None:
    admin, _, group = _group(harness)
    await harness.emulator.wait_for_messages(group, 1)
    await harness.say(admin, group, "/subscribe karaganda")
    harness.emulator.set_bot_status(group, "kicked", by=admin)
    await _until_blocked(harness, group.id, blocked=True)
    assert await _subscriptions(harness, group.id) == {("region", "karaganda")}
    harness.emulator.set_bot_status(group, "member", by=admin)
    sent = await harness.emulator.wait_for_messages(group, 3)
    assert "Hello" in (sent[-1].text or "")
    row = await _chat_row(harness, group.id)
    assert row is not None and not row.blocked


async def test_a_busy_group_is_throttled(harness: Harness) -> None:
    _, member, group = _group(harness)
    await harness.emulator.wait_for_messages(group, 1)  # the greeting
    for _ in range(20):
        harness.emulator.send_message(member, group, "/latest")
    # Updates are handled in order: once a later private message is answered, all 20 were seen.
    user, private = harness.private_chat()
    await harness.say(user, private, "/help")
    assert len(harness.emulator.messages_to(group)) == 1 + 15, "five commands got no answer"
    harness.clock.set(harness.clock.now() + timedelta(seconds=61))
    [answer] = await harness.say(member, group, "/help")
    assert "/digest" in (answer.text or "")


async def test_stats_for_operators_and_unknown_for_everyone_else(harness: Harness) -> None:
    user, private = harness.private_chat()
    [refused] = await harness.say(user, private, "/stats")
    [unknown] = await harness.say(user, private, "/frobnicate")
    assert refused.text == unknown.text
    operator_chat = harness.emulator.create_private_chat(harness.operator)
    await harness.say(user, private, "/subscribe karaganda")
    [stats] = await harness.say(harness.operator, operator_chat, "/stats")
    text = stats.text or ""
    assert "Chats: 1" in text and "Karaganda region 1" in text and "Articles ingested: 20" in text
