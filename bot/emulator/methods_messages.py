"""Sending (text and photos), editing and deleting messages; callback answers, chat actions."""

from __future__ import annotations

from typing import Any

from bot.emulator.access import check_can_send, check_thread, render_text, resolve_chat
from bot.emulator.api_objects import message_api
from bot.emulator.errors import bad_request, too_many_requests
from bot.emulator.markup import validate_markup
from bot.emulator.models import CHANNEL, PRIVATE, CallbackAnswer, Chat, ChatMessage, Revision
from bot.emulator.params import Params
from bot.emulator.photos import render_caption, uploaded_photo
from bot.emulator.registry import api_method
from bot.emulator.state import EmulatorState

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip


def _reply_target(state: EmulatorState, chat: Chat, params: Params) -> int | None:
    reply = params.json("reply_parameters") or {}
    if not isinstance(reply, dict):
        raise bad_request("can't parse reply parameters JSON object")
    message_id = reply.get("message_id", params.integer("reply_to_message_id"))
    if message_id is None:
        return None
    lenient = bool(reply.get("allow_sending_without_reply")) or params.flag(
        "allow_sending_without_reply"
    )
    if state.message(chat.id, int(message_id)) is None:
        if lenient:
            return None
        raise bad_request("message to be replied not found")
    return int(message_id)


def _link_preview(params: Params) -> dict[str, Any] | None:
    options = params.json("link_preview_options")
    if options is not None and not isinstance(options, dict):
        raise bad_request("can't parse link preview options JSON object")
    result: dict[str, Any] | None = options
    if params.flag("disable_web_page_preview"):
        result = {**(options or {}), "is_disabled": True}
    return result


def _check_flood(state: EmulatorState, chat: Chat, paid: bool) -> None:
    private = chat.type == PRIVATE
    retry_after = state.flood.retry_after(chat.id, private, paid)
    if retry_after is not None:
        state.count_retry_after(chat.id)
        raise too_many_requests(retry_after)
    state.flood.record(chat.id, private)


def _sending_to(state: EmulatorState, params: Params) -> tuple[Chat, int | None]:
    """The chat a send goes to, checked, and the forum thread it names."""
    chat = resolve_chat(state, params)
    check_can_send(state, chat)
    return chat, check_thread(state, chat, params.integer("message_thread_id"))


def _sent(
    state: EmulatorState, chat: Chat, thread_id: int | None, params: Params
) -> dict[str, Any]:
    """What every send checks after its content (markup, reply, flood limits) and the fields
    every sent message records, as `add_message` keywords."""
    markup = validate_markup(params.json("reply_markup", "reply keyboard markup"))
    reply_to = _reply_target(state, chat, params)
    paid = params.flag("allow_paid_broadcast")
    _check_flood(state, chat, paid)
    return {
        "reply_markup": markup,
        "message_thread_id": thread_id,
        "reply_to_message_id": reply_to,
        "from_bot": True,
        "parse_mode": params.string("parse_mode"),
        "disable_notification": params.flag("disable_notification"),
        "allow_paid_broadcast": paid,
    }


def _sender(state: EmulatorState, chat: Chat) -> int | None:
    """Channel posts have no sender; elsewhere the bot is the sender."""
    return None if chat.type == CHANNEL else state.bot.id


@api_method("sendMessage")
async def send_message(state: EmulatorState, params: Params) -> dict[str, Any]:
    chat, thread_id = _sending_to(state, params)
    if state.sink:
        return _sunk(state, chat, thread_id, params)
    text, entities = render_text(params)
    preview = _link_preview(params)
    common = _sent(state, chat, thread_id, params)
    message = state.add_message(
        chat,
        _sender(state, chat),
        text=text,
        entities=entities,
        raw_text=params.string("text"),
        link_preview_options=preview,
        **common,
    )
    return message_api(state, message)


def _sunk(
    state: EmulatorState, chat: Chat, thread_id: int | None, params: Params
) -> dict[str, Any]:
    """A sent message in benchmark mode: the flood limits apply, the text is neither parsed nor
    kept, and the answer is a valid Message with the text as sent."""
    text = params.string("text")
    if not text:
        raise bad_request("message text is empty")
    _check_flood(state, chat, params.flag("allow_paid_broadcast"))
    message: dict[str, Any] = {
        "message_id": chat.take_message_id(),
        "date": state.now(),
        "chat": chat.to_api(),
        "text": text,
    }
    if chat.type != CHANNEL:
        message["from"] = state.bot.to_api()
    if thread_id is not None:
        message["message_thread_id"] = thread_id
    return message


@api_method("sendPhoto")
async def send_photo(state: EmulatorState, params: Params) -> dict[str, Any]:
    chat, thread_id = _sending_to(state, params)
    photo = uploaded_photo(state, params)
    caption, entities = render_caption(params)
    common = _sent(state, chat, thread_id, params)
    shown: dict[str, Any] = {"photo": [photo.to_api()]}
    if caption is not None:
        shown["caption"] = caption
        if entities:
            shown["caption_entities"] = [e.to_api(state.user_api) for e in entities]
    message = state.add_message(
        chat,
        _sender(state, chat),
        photo=photo,
        caption=caption,
        caption_entities=entities,
        extra=shown,
        raw_text=params.string("caption"),
        **common,
    )
    return message_api(state, message)


def _editable(state: EmulatorState, params: Params) -> ChatMessage:
    if params.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = resolve_chat(state, params)
    check_can_send(state, chat)
    message_id = params.required_int("message_id", "message identifier is not specified")
    message = state.message(chat.id, message_id)
    if message is None:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return message


def _apply_edit(state: EmulatorState, message: ChatMessage, **changes: Any) -> dict[str, Any]:
    message.history.append(
        Revision(message.text or "", list(message.entities), message.reply_markup, message.date)
    )
    for key, value in changes.items():
        setattr(message, key, value)
    message.edit_date = state.now()
    state.signal.notify()
    return message_api(state, message)


@api_method("editMessageText")
async def edit_message_text(state: EmulatorState, params: Params) -> dict[str, Any]:
    message = _editable(state, params)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    text, entities = render_text(params)
    # Omitting reply_markup on an edit removes the inline keyboard, as on Telegram.
    markup = validate_markup(params.json("reply_markup", "reply keyboard markup"))
    if (text, entities, markup) == (message.text, message.entities, message.reply_markup):
        raise bad_request(NOT_MODIFIED)
    return _apply_edit(
        state,
        message,
        text=text,
        entities=entities,
        reply_markup=markup,
        raw_text=params.string("text"),
        parse_mode=params.string("parse_mode"),
        link_preview_options=_link_preview(params),
    )


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(state: EmulatorState, params: Params) -> dict[str, Any]:
    message = _editable(state, params)
    markup = validate_markup(params.json("reply_markup", "reply keyboard markup"))
    if markup == message.reply_markup:
        raise bad_request(NOT_MODIFIED)
    return _apply_edit(state, message, reply_markup=markup)


def _delete(state: EmulatorState, chat: Chat, message_id: int) -> bool:
    message = state.message(chat.id, message_id)
    if message is None:
        return False
    bot_is_admin = chat.bot_status in ("administrator", "creator")
    if not message.from_bot and chat.type != PRIVATE and not bot_is_admin:
        raise bad_request("message can't be deleted")
    message.deleted = True
    state.signal.notify()
    return True


@api_method("deleteMessage")
async def delete_message(state: EmulatorState, params: Params) -> bool:
    chat = resolve_chat(state, params)
    message_id = params.required_int("message_id", "message identifier is not specified")
    if not _delete(state, chat, message_id):
        raise bad_request("message to delete not found")
    return True


@api_method("deleteMessages")
async def delete_messages(state: EmulatorState, params: Params) -> bool:
    chat = resolve_chat(state, params)
    ids = params.json("message_ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message_ids is empty")
    for message_id in ids:
        _delete(state, chat, int(message_id))
    return True


@api_method("answerCallbackQuery")
async def answer_callback_query(state: EmulatorState, params: Params) -> bool:
    query = state.callback_queries.get(params.string("callback_query_id") or "")
    if query is None or query.answer is not None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = params.string("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answer = CallbackAnswer(
        callback_query_id=query.id,
        text=text,
        show_alert=params.flag("show_alert"),
        url=params.string("url"),
        cache_time=params.integer("cache_time") or 0,
        date=state.now(),
    )
    state.signal.notify()
    return True


@api_method("sendChatAction")
async def send_chat_action(state: EmulatorState, params: Params) -> bool:
    chat = resolve_chat(state, params)
    check_can_send(state, chat)
    check_thread(state, chat, params.integer("message_thread_id"))
    action = params.string("action") or ""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    state.chat_actions.append((chat.id, action))
    state.signal.notify()
    return True
