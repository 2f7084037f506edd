"""Updates the control API produces, parsed by PTB's own Update.de_json."""

from __future__ import annotations

import pytest
import telegram

from bot.emulator import Chat, Emulator, User


async def _drain(bot: telegram.Bot) -> tuple[telegram.Update, ...]:
    updates = await bot.get_updates()
    if updates:
        await bot.get_updates(offset=updates[-1].update_id + 1)
    return updates


async def test_bot_membership_changes(emu: Emulator, bot: telegram.Bot, alice: User) -> None:
    group = emu.create_supergroup("Ministry", creator=alice)
    emu.set_bot_status(group, "administrator", by=alice)
    emu.set_bot_status(group, "member", by=alice)
    channel = emu.create_channel("Feed", creator=alice)
    emu.set_bot_status(channel, "kicked", by=alice)
    changes = [
        (u.my_chat_member.chat.id, u.my_chat_member.new_chat_member.status)
        for u in await _drain(bot)
        if u.my_chat_member
    ]
    assert changes == [
        (group.id, "member"),
        (group.id, "administrator"),
        (group.id, "member"),
        (channel.id, "administrator"),
        (channel.id, "kicked"),
    ]
    with pytest.raises(telegram.error.Forbidden, match="kicked from the channel chat"):
        await bot.send_message(channel.id, "x")


async def test_user_side_updates(emu: Emulator, bot: telegram.Bot, alice: User, dm: Chat) -> None:
    channel = emu.create_channel("Akorda", username="akorda")
    await _drain(bot)
    sent = emu.send_message(alice, dm, "first")
    emu.edit_user_message(sent, "first, edited")
    emu.send_sticker(alice, dm, "🎉")
    emu.send_photo(alice, dm, caption="look #news")
    emu.forward_channel_post(alice, dm, channel, "post text")
    emu.post_to_channel(channel, "fresh post")
    updates = await _drain(bot)
    assert updates[0].message is not None and updates[0].message.text == "first"
    assert updates[1].edited_message is not None
    assert updates[1].edited_message.text == "first, edited"
    assert updates[2].message is not None and updates[2].message.sticker is not None
    photo = updates[3].message
    assert photo is not None and photo.photo and photo.caption_entities[0].type == "hashtag"
    forwarded = updates[4].message
    assert forwarded is not None
    origin = forwarded.forward_origin
    assert isinstance(origin, telegram.MessageOriginChannel) and origin.chat.id == channel.id
    assert updates[5].channel_post is not None and updates[5].channel_post.text == "fresh post"
    assert (await bot.get_chat("@akorda")).id == channel.id


async def test_forum_topic_service_messages(emu: Emulator, bot: telegram.Bot, alice: User) -> None:
    forum = emu.create_supergroup("Regions", forum=True, creator=alice)
    topic = emu.create_topic(forum, "Astana")
    emu.close_topic(forum, topic.message_thread_id)
    messages = [u.message for u in await _drain(bot) if u.message]
    created = next(m for m in messages if m.forum_topic_created)
    assert created.message_thread_id == topic.message_thread_id
    assert created.forum_topic_created is not None
    assert created.forum_topic_created.name == "Astana"
    assert any(m.forum_topic_closed for m in messages)


async def test_blocked_user_unblocks_by_writing(
    emu: Emulator, bot: telegram.Bot, alice: User, dm: Chat
) -> None:
    emu.block_bot(alice)
    emu.send_message(alice, dm, "/start")
    statuses = [
        u.my_chat_member.new_chat_member.status for u in await _drain(bot) if u.my_chat_member
    ]
    assert statuses == ["kicked", "member"]
    await bot.send_message(dm.id, "welcome back")
