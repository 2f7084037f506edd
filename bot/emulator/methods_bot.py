"""Bot-level methods: getMe, long polling, webhooks, command lists, no-op settings."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.emulator.errors import ApiError, bad_request
from bot.emulator.params import Params
from bot.emulator.registry import api_method
from bot.emulator.state import EmulatorState

_SCOPES = {
    "default": (), "all_private_chats": (), "all_group_chats": (),
    "all_chat_administrators": (), "chat": ("chat_id",), "chat_administrators": ("chat_id",),
    "chat_member": ("chat_id", "user_id"),
}  # fmt: skip
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@api_method("getMe")
async def get_me(state: EmulatorState, params: Params) -> dict[str, Any]:
    return {
        **state.bot.to_api(),
        "can_join_groups": True,
        "can_read_all_group_messages": not state.privacy_mode,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@api_method("getUpdates")
async def get_updates(state: EmulatorState, params: Params) -> list[dict[str, Any]]:
    """Long polling: hold the request until an update exists or `timeout` seconds pass."""
    if state.webhook_url:
        raise ApiError(409, CONFLICT_WEBHOOK)
    offset = params.integer("offset")
    if offset:
        state.confirm(offset)
    limit = min(max(params.integer("limit") or 100, 1), 100)
    timeout = max(params.number("timeout") or 0.0, 0.0)
    allowed = params.json("allowed_updates")
    if isinstance(allowed, list):
        state.allowed_updates = frozenset(str(kind) for kind in allowed) or None
    state.polling_generation += 1
    generation = state.polling_generation
    state.signal.notify()  # an older pending getUpdates now ends with 409 Conflict
    await state.signal.wait_for(
        lambda: bool(state.updates) or state.closing or generation != state.polling_generation,
        timeout,
    )
    if generation != state.polling_generation:
        raise ApiError(409, CONFLICT_OTHER_POLL)
    return state.updates[:limit]


@api_method("setWebhook")
async def set_webhook(state: EmulatorState, params: Params) -> bool:
    url = params.string("url") or ""
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    state.webhook_url = url
    if params.flag("drop_pending_updates"):
        state.updates.clear()
    return True


@api_method("deleteWebhook")
async def delete_webhook(state: EmulatorState, params: Params) -> bool:
    state.webhook_url = ""
    if params.flag("drop_pending_updates"):
        state.updates.clear()
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(state: EmulatorState, params: Params) -> dict[str, Any]:
    return {
        "url": state.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }


def command_key(state: EmulatorState, params: Params) -> tuple[str, str]:
    """Commands are stored per (scope, language_code), exactly as given."""
    scope = params.json("scope") or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    for field in _SCOPES[scope["type"]]:
        if field not in scope:
            raise bad_request(f"{field} is empty")
    if "chat_id" in scope and state.find_chat(scope["chat_id"]) is None:
        raise bad_request("chat not found")
    language = params.string("language_code") or ""
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")
    return json.dumps(scope, sort_keys=True), language


@api_method("setMyCommands")
async def set_my_commands(state: EmulatorState, params: Params) -> bool:
    commands = params.json("commands", "commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    stored: list[dict[str, str]] = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command, description = str(item.get("command", "")), str(item.get("description", ""))
        if not _COMMAND.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        stored.append({"command": command, "description": description})
    key = command_key(state, params)
    if stored:
        state.commands[key] = stored
    else:
        state.commands.pop(key, None)
    return True


@api_method("getMyCommands")
async def get_my_commands(state: EmulatorState, params: Params) -> list[dict[str, str]]:
    return state.commands.get(command_key(state, params), [])


@api_method("deleteMyCommands")
async def delete_my_commands(state: EmulatorState, params: Params) -> bool:
    state.commands.pop(command_key(state, params), None)
    return True


@api_method(
    "close",
    "logOut",
    "setMyName",
    "setMyDescription",
    "setMyShortDescription",
    "setChatMenuButton",
    "setMyDefaultAdministratorRights",
)
async def accepted(state: EmulatorState, params: Params) -> bool:
    """Accepted and recorded in `state.calls`; nothing else to emulate."""
    return True
