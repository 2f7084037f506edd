"""Channels: linked from a private chat by an administrator of both, then managed from there.

A channel cannot talk to the bot, so its settings commands are sent from the private chat of
the user who linked it; `managed_chat_id` says which chat they act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from bot.delivery import chat_schedule
from bot.services import Services
from bot.usecases.chats import ChatRef, language_of, open_chat, open_target
from storage.models import Chat
from storage.queries import chats as chat_queries

CHANNEL: Final = "channel"  # Telegram's chat type
# What `/manage` takes for "this chat itself" (en, ru, kk).
SELF_WORDS: Final = frozenset({"me", "self", "я", "мен"})


@dataclass(frozen=True, slots=True)
class ChannelFacts:
    """What Telegram says of a chat a user asked to link: its kind and both memberships."""

    chat_id: int
    title: str
    is_channel: bool
    bot_can_post: bool
    user_is_admin: bool


@dataclass(frozen=True, slots=True)
class Linking:
    """The message key answering a link request, the channel's title, the chat's language."""

    language: str
    key: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Managing:
    """Which chat the settings commands act on: the chat itself (`title` None) or a channel;
    the titles of the user's channels; whether this request changed it."""

    language: str
    title: str | None
    channels: list[str]
    changed: bool


async def link(
    services: Services, ref: ChatRef, user_id: int, channel: ChannelFacts | None
) -> Linking:
    """Link a channel (None: Telegram did not show it) when the bot may post there and the user
    administers it; the private chat then manages it."""
    if channel is None or not channel.is_channel:
        return Linking(await language_of(services, ref), "channel.not_found")
    if not channel.bot_can_post:
        return Linking(await language_of(services, ref), "channel.bot_not_admin", channel.title)
    if not channel.user_is_admin:
        return Linking(await language_of(services, ref), "channel.user_not_admin", channel.title)
    now = services.clock.now()
    async with services.database.write() as session:
        owner, _ = await open_chat(session, services, ref)
        target_ref = ChatRef(channel.chat_id, CHANNEL, channel.title, ref.language_code)
        target, _ = await open_chat(session, services, target_ref)
        target.owner_user_id = user_id
        target.title = channel.title
        chat_schedule.set_reachable(target, True, now)
        owner.managed_chat_id = target.id
    return Linking(owner.language, "channel.linked", channel.title)


async def manage(services: Services, ref: ChatRef, user_id: int, wanted: str) -> Managing:
    """`/manage me`, `/manage <channel title or id>`: the chat the settings commands act on;
    anything else (or nothing) changes nothing and says how things are."""
    wanted = wanted.lstrip("@").lower()
    async with services.database.write() as session:
        owner, target = await open_target(session, services, ref)
        channels = await chat_queries.channels_of(session, owner_user_id=user_id)
        chosen = _chosen(wanted, channels)
        if wanted in SELF_WORDS:
            owner.managed_chat_id = None
        elif chosen is not None:
            owner.managed_chat_id = chosen.id
    titles = [channel.title for channel in channels]
    if wanted in SELF_WORDS:
        return Managing(owner.language, None, titles, changed=True)
    if chosen is not None:
        return Managing(owner.language, chosen.title, titles, changed=True)
    title = target.title if target.id != owner.id else None
    return Managing(owner.language, title, titles, changed=False)


def _chosen(wanted: str, channels: Sequence[Chat]) -> Chat | None:
    """The user's channel `wanted` names by its title or id (already lower case)."""
    if not wanted:
        return None
    return next((c for c in channels if wanted in (c.title.lower(), str(c.id))), None)
