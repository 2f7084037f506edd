"""Replies about urgent alerts and quiet hours: the state, what changed, what was not understood.

Quiet hours are shown in the chat's time zone, as typed: the end exclusive, so "22:00–07:00"
means an alert at 06:59 waits and one at 07:00 goes.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.digests.interests import REGION
from bot.domain.quiet_hours import QuietHoursError
from bot.domain.telegram_html import Html, fit_lines
from bot.domain.user_input import quote_input
from bot.i18n import BoundTranslator
from storage.models import Chat, Subscription


def quiet_line(texts: BoundTranslator, chat: Chat) -> Html:
    """The chat's quiet hours in one line, or that it has none."""
    if chat.quiet_start is None or chat.quiet_end is None:
        return texts("quiet.none")
    return texts("quiet.state", start=chat.quiet_start, end=chat.quiet_end, zone=chat.timezone)


def alerts_state(
    texts: BoundTranslator, chat: Chat, subscriptions: Sequence[Subscription], *, cap: int
) -> Html:
    """/alerts alone and the settings' alerts screen: what alerts are, whether they are on, the
    quiet hours, and how to change both."""
    state = texts("alerts.state_on" if chat.alerts else "alerts.state_off")
    lines = [texts("alerts.explain", cap=cap), state]
    if chat.alerts and not any(s.kind == REGION for s in subscriptions):
        lines.append(texts("alerts.no_regions"))
    lines += [quiet_line(texts, chat), texts("alerts.usage")]
    return fit_lines(lines)


def alerts_switched(
    texts: BoundTranslator, chat: Chat, subscriptions: Sequence[Subscription]
) -> Html:
    """/alerts on|off done: the new state; turned on, also the quiet hours, and a chat that
    follows no region is told that none can come."""
    if not chat.alerts:
        return texts("alerts.off")
    lines = [texts("alerts.on")]
    if not any(s.kind == REGION for s in subscriptions):
        lines.append(texts("alerts.no_regions"))
    lines.append(quiet_line(texts, chat))
    return fit_lines(lines)


def alerts_summary(texts: BoundTranslator, chat: Chat) -> Html:
    """The settings summary's line: alerts on (with quiet hours, if any) or off."""
    if not chat.alerts:
        return texts("alerts.summary_off")
    if chat.quiet_start is None or chat.quiet_end is None:
        return texts("alerts.summary_on")
    return texts("alerts.summary_quiet", start=chat.quiet_start, end=chat.quiet_end)


def quiet_set(texts: BoundTranslator, chat: Chat) -> Html:
    """/quiet 22:00-07:00 or /quiet off done; a reminder when alerts are off anyway."""
    lines = [quiet_line(texts, chat) if chat.quiet_start else texts("quiet.off")]
    if not chat.alerts:
        lines.append(texts("quiet.alerts_off"))
    return fit_lines(lines)


def quiet_help(texts: BoundTranslator, chat: Chat, error: QuietHoursError | None = None) -> Html:
    """/quiet alone (the quiet hours now), or what was wrong with its argument; then its usage."""
    if error is None:
        first = quiet_line(texts, chat)
    else:
        first = texts(
            error.key, **{name: quote_input(value) for name, value in error.params.items()}
        )
    return fit_lines([first, texts("quiet.usage", zone=chat.timezone)])
