"""sendMessage / edit / delete through python-telegram-bot's own Bot, as our bot will call them."""

from __future__ import annotations

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.error import BadRequest, ChatMigrated, Forbidden

from bot.emulator import Chat, Emulator, User


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])


async def test_send_records_everything(emu: Emulator, bot: telegram.Bot, dm: Chat) -> None:
    sent = await bot.send_message(
        dm.id,
        "<b>Digest</b> for <i>Almaty</i>",
        parse_mode="HTML",
        reply_markup=keyboard("more"),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert sent.text == "Digest for Almaty"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 6),
        ("italic", 11, 6),
    ]
    recorded = emu.last_message(dm)
    assert recorded is not None
    assert recorded.message_id == sent.message_id
    assert recorded.raw_text == "<b>Digest</b> for <i>Almaty</i>"
    assert recorded.parse_mode == "HTML"
    assert recorded.callback_data == ["more"]
    assert recorded.link_preview_options == {"is_disabled": True}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<b>open", "Can't parse entities: can't find end tag"),
        ("1 < 2", "Can't parse entities: unsupported start tag"),
        ("line<br>", 'Can\'t parse entities: unsupported start tag "br"'),
        ("   ", "Message text is empty"),
        ("<b> </b>", "Message text is empty"),
    ],
)
async def test_bad_text_is_rejected(bot: telegram.Bot, dm: Chat, text: str, reason: str) -> None:
    with pytest.raises(BadRequest, match=reason):
        await bot.send_message(dm.id, text, parse_mode="HTML")


async def test_length_counts_utf16_after_parsing(
    emu: Emulator, bot: telegram.Bot, dm: Chat
) -> None:
    await bot.send_message(dm.id, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    await bot.send_message(dm.id, "😀" * 2048)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(dm.id, "😀" * 2048 + "a")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(dm.id, "a" * 4097)
    assert len(emu.messages_to(dm)) == 2


async def test_callback_data_over_64_bytes(bot: telegram.Bot, dm: Chat) -> None:
    await bot.send_message(dm.id, "ok", reply_markup=keyboard("x" * 64))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(dm.id, "no", reply_markup=keyboard("ж" * 33))


async def test_edit_rules(emu: Emulator, bot: telegram.Bot, dm: Chat) -> None:
    sent = await bot.send_message(dm.id, "<b>v1</b>", parse_mode="HTML", reply_markup=keyboard("a"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<b>v1</b>", dm.id, sent.message_id, parse_mode="HTML", reply_markup=keyboard("a")
        )
    edited = await bot.edit_message_text("v1", dm.id, sent.message_id)
    assert isinstance(edited, telegram.Message)
    assert edited.reply_markup is None  # omitting reply_markup removes the keyboard
    recorded = emu.last_message(dm)
    assert recorded is not None and recorded.edit_date is not None and len(recorded.history) == 1
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", dm.id, 9999)
    await bot.edit_message_reply_markup(dm.id, sent.message_id, reply_markup=keyboard("b"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(dm.id, sent.message_id, reply_markup=keyboard("b"))


async def test_delete(emu: Emulator, bot: telegram.Bot, dm: Chat) -> None:
    sent = await bot.send_message(dm.id, "bye")
    assert await bot.delete_message(dm.id, sent.message_id)
    assert emu.messages_to(dm) == []
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(dm.id, sent.message_id)


async def test_reply_parameters(bot: telegram.Bot, dm: Chat) -> None:
    first = await bot.send_message(dm.id, "first")
    reply = await bot.send_message(
        dm.id, "second", reply_parameters=ReplyParameters(first.message_id)
    )
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.message_id == first.message_id
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(dm.id, "x", reply_parameters=ReplyParameters(999))
    lenient = ReplyParameters(999, allow_sending_without_reply=True)
    assert (await bot.send_message(dm.id, "y", reply_parameters=lenient)).reply_to_message is None


async def test_unknown_chat(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(-4242, "hello")


async def test_blocked_and_unblocked(
    emu: Emulator, bot: telegram.Bot, alice: User, dm: Chat
) -> None:
    emu.block_bot(alice)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(dm.id, "hello")
    emu.unblock_bot(alice)
    await bot.send_message(dm.id, "hello again")
    kinds = [u["my_chat_member"]["new_chat_member"]["status"] for u in emu.pending_updates()]
    assert kinds == ["kicked", "member"]


async def test_kicked_from_group(emu: Emulator, bot: telegram.Bot, alice: User) -> None:
    group = emu.create_group("Akimat news", creator=alice)
    await bot.send_message(group.id, "hi")
    emu.set_bot_status(group, "kicked", by=alice)
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(group.id, "hi")


async def test_migrated_group(emu: Emulator, bot: telegram.Bot, alice: User) -> None:
    group = emu.create_group("Old", creator=alice)
    supergroup = emu.migrate_group(group)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(group.id, "hi")
    assert caught.value.new_chat_id == supergroup.id
    await bot.send_message(caught.value.new_chat_id, "hi")
    service = [u["message"] for u in emu.pending_updates() if "message" in u]
    assert service[-2]["migrate_to_chat_id"] == supergroup.id
    assert service[-1]["migrate_from_chat_id"] == group.id


async def test_forum_topics(emu: Emulator, bot: telegram.Bot, alice: User) -> None:
    forum = emu.create_supergroup("Regions", forum=True, creator=alice)
    topic = emu.create_topic(forum, "Almaty")
    sent = await bot.send_message(forum.id, "news", message_thread_id=topic.message_thread_id)
    assert sent.message_thread_id == topic.message_thread_id and sent.is_topic_message
    emu.close_topic(forum, topic.message_thread_id)
    with pytest.raises(BadRequest, match="Topic_closed"):
        await bot.send_message(forum.id, "news", message_thread_id=topic.message_thread_id)
    emu.close_topic(forum, topic.message_thread_id, reopen=True)
    await bot.send_message(forum.id, "news", message_thread_id=topic.message_thread_id)
    emu.delete_topic(forum, topic.message_thread_id)
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.send_message(forum.id, "news", message_thread_id=topic.message_thread_id)


async def test_callback_round_trip(emu: Emulator, bot: telegram.Bot, alice: User, dm: Chat) -> None:
    await bot.send_message(dm.id, "pick", reply_markup=keyboard("a", "b"))
    message = emu.last_message(dm)
    assert message is not None
    query_id = emu.press_button(alice, message, "b")
    with pytest.raises(ValueError, match="no button"):
        emu.press_button(alice, message, "zzz")
    assert await bot.answer_callback_query(query_id, "Saved")
    answer = emu.callback_answer(query_id)
    assert answer is not None and answer.text == "Saved"
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)


async def test_commands_are_stored_per_scope_and_language(emu: Emulator, bot: telegram.Bot) -> None:
    commands = [telegram.BotCommand("digest", "Today's digest")]
    await bot.set_my_commands(commands)
    await bot.set_my_commands(
        [telegram.BotCommand("digest", "Дайджест")],
        scope=telegram.BotCommandScopeAllPrivateChats(),
        language_code="ru",
    )
    assert emu.commands() == [{"command": "digest", "description": "Today's digest"}]
    private = {"type": "all_private_chats"}
    assert emu.commands(private, "ru") == [{"command": "digest", "description": "Дайджест"}]
    assert emu.commands(private) == []
    assert await bot.get_my_commands() == tuple(commands)
    await bot.delete_my_commands()
    assert emu.commands() == []
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([telegram.BotCommand("Bad-Name", "x")])


async def test_chat_information(emu: Emulator, bot: telegram.Bot, alice: User) -> None:
    group = emu.create_supergroup("Admins", creator=alice, bot_status="administrator")
    chat = await bot.get_chat(group.id)
    assert chat.title == "Admins"
    me = await bot.get_chat_member(group.id, emu.state.bot.id)
    assert me.status == "administrator"
    admins = await bot.get_chat_administrators(group.id)
    assert {a.user.id for a in admins} == {alice.id, emu.state.bot.id}
    assert await bot.leave_chat(group.id)
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(group.id, "still here?")


async def test_chat_action(emu: Emulator, bot: telegram.Bot, dm: Chat) -> None:
    assert await bot.send_chat_action(dm.id, "typing")
    assert emu.state.chat_actions == [(dm.id, "typing")]
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(dm.id, "dancing")
