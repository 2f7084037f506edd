"""Chat information methods and leaveChat."""

from __future__ import annotations

from typing import Any

from bot.emulator.access import resolve_chat
from bot.emulator.api_objects import chat_member_updated, member_api
from bot.emulator.errors import bad_request, forbidden
from bot.emulator.models import CHANNEL, PRIVATE, Chat
from bot.emulator.params import Params
from bot.emulator.registry import api_method
from bot.emulator.state import EmulatorState

_PRESENT = ("creator", "administrator", "member", "restricted")


def _status(state: EmulatorState, chat: Chat, user_id: int) -> str:
    if user_id == state.bot.id:
        return chat.bot_status
    if chat.type == PRIVATE:
        return "member" if user_id == chat.id else "left"
    return chat.members.get(user_id, "left")


def _member(state: EmulatorState, chat: Chat, user_id: int) -> dict[str, Any]:
    user = state.bot.to_api() if user_id == state.bot.id else state.user_api(user_id)
    return member_api(user, _status(state, chat, user_id), channel=chat.type == CHANNEL)


@api_method("getChat")
async def get_chat(state: EmulatorState, params: Params) -> dict[str, Any]:
    return resolve_chat(state, params).to_full_api()


@api_method("getChatMember")
async def get_chat_member(state: EmulatorState, params: Params) -> dict[str, Any]:
    chat = resolve_chat(state, params)
    user_id = params.required_int("user_id", "user_id is empty")
    if user_id != state.bot.id and user_id not in state.users:
        raise bad_request("user not found")
    return _member(state, chat, user_id)


@api_method("getChatAdministrators")
async def get_chat_administrators(state: EmulatorState, params: Params) -> list[dict[str, Any]]:
    chat = resolve_chat(state, params)
    if chat.type == PRIVATE:
        raise bad_request("there are no administrators in the private chat")
    admins = [uid for uid, status in chat.members.items() if status in _PRESENT[:2]]
    if chat.bot_status in _PRESENT[:2]:
        admins.append(state.bot.id)
    return [_member(state, chat, uid) for uid in admins]


@api_method("getChatMemberCount")
async def get_chat_member_count(state: EmulatorState, params: Params) -> int:
    chat = resolve_chat(state, params)
    if chat.type == PRIVATE:
        return 2
    present = sum(status in _PRESENT for status in chat.members.values())
    return present + (chat.bot_status in _PRESENT)


@api_method("leaveChat")
async def leave_chat(state: EmulatorState, params: Params) -> bool:
    chat = resolve_chat(state, params)
    if chat.type == PRIVATE:
        raise bad_request("chat member status can't be changed in private chats")
    if chat.bot_status in ("left", "kicked"):
        raise forbidden(f"bot is not a member of the {chat.type} chat")
    old, chat.bot_status = chat.bot_status, "left"
    update = chat_member_updated(state, chat.id, state.bot.id, state.bot.to_api(), old, "left")
    state.enqueue("my_chat_member", update)
    return True
