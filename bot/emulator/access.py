"""Checks every sending method makes: chat exists, bot may write there, thread, text."""

from __future__ import annotations

from bot.emulator.errors import bad_request, forbidden, migrated
from bot.emulator.html_entities import HtmlParseError, parse_html
from bot.emulator.models import CHANNEL, PRIVATE, Chat
from bot.emulator.params import Params
from bot.emulator.state import EmulatorState
from bot.emulator.text import (
    MAX_MESSAGE_LENGTH,
    Entity,
    detect_entities,
    finalize,
    sort_entities,
    utf16_len,
)

_CHAT_KIND = {"group": "group chat", "supergroup": "supergroup chat", "channel": "channel chat"}


def resolve_chat(state: EmulatorState, params: Params) -> Chat:
    ref = params.chat_ref()
    chat = state.find_chat(ref)
    if chat is None:
        if isinstance(ref, int) and ref in state.users:
            raise forbidden("bot can't initiate conversation with a user")
        raise bad_request("chat not found")
    return chat


def check_can_send(state: EmulatorState, chat: Chat) -> None:
    if chat.migrated_to is not None:
        raise migrated(chat.migrated_to)
    if chat.type == PRIVATE:
        user = state.users.get(chat.id)
        if user is not None and user.deactivated:
            raise forbidden("user is deactivated")
        if chat.bot_status == "kicked":
            raise forbidden("bot was blocked by the user")
        return
    kind = _CHAT_KIND[chat.type]
    if chat.bot_status == "kicked":
        raise forbidden(f"bot was kicked from the {kind}")
    if chat.bot_status == "left":
        raise forbidden(f"bot is not a member of the {kind}")
    if chat.type == CHANNEL and chat.bot_status not in ("administrator", "creator"):
        raise bad_request("need administrator rights in the channel chat")


def check_thread(state: EmulatorState, chat: Chat, thread_id: int | None) -> int | None:
    """The thread the message lands in; forum topics may be closed or deleted."""
    if thread_id is None or chat.type in (PRIVATE, CHANNEL):
        return None
    if chat.is_forum:
        topic = chat.topics.get(thread_id)
        if topic is None or topic.deleted:
            raise bad_request("message thread not found")
        if topic.closed:
            raise bad_request("TOPIC_CLOSED")
        return thread_id
    if state.message(chat.id, thread_id) is None:
        raise bad_request("message thread not found")
    return thread_id


def render_text(
    params: Params,
    field: str = "text",
    *,
    entities_field: str = "entities",
    limit: int = MAX_MESSAGE_LENGTH,
    too_long: str = "message is too long",
) -> tuple[str, list[Entity]]:
    """Parse text (or a caption: its fields, limit and message) per parse_mode into (plain
    text, entities) and enforce the length limit."""
    raw = params.string(field)
    if not raw:
        raise bad_request("message text is empty")
    mode = (params.string("parse_mode") or "").lower()
    if mode == "html":
        try:
            text, entities = parse_html(raw)
        except HtmlParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    elif mode in ("markdown", "markdownv2"):
        text, entities = raw, []  # not parsed by the emulator: recorded as sent
    elif mode:
        raise bad_request("unsupported parse_mode")
    else:
        text, entities = raw, _explicit_entities(params, entities_field)
    text, entities = finalize(text, entities)
    if not text:
        raise bad_request("message text is empty")
    if utf16_len(text) > limit:
        raise bad_request(too_long)
    return text, sort_entities(entities + detect_entities(text, entities))


def _explicit_entities(params: Params, field: str) -> list[Entity]:
    raw = params.json(field)
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise bad_request("can't parse entities JSON object")
    found: list[Entity] = []
    for item in raw:
        try:
            extra = item.get("url") or item.get("language") or item.get("custom_emoji_id")
            if item.get("type") == "text_mention":
                extra = str(item["user"]["id"])
            found.append(Entity(str(item["type"]), int(item["offset"]), int(item["length"]), extra))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise bad_request("can't parse entities JSON object") from None
    return found
