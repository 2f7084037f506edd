"""Turning use-case outcomes into reply text (Telegram HTML) in the chat's language."""

from __future__ import annotations

from collections.abc import Sequence

from bot.chat.alerts_replies import alerts_summary
from bot.delivery.alert_render import event_time
from bot.digests.interests import EXCLUDE, KEYWORD, REGION, TOPIC
from bot.domain.alerts import CATEGORY_EMOJI
from bot.domain.figures import Day, Quantity
from bot.domain.name_resolution import Target
from bot.domain.story_ties import Fact
from bot.domain.subscribe_args import TermError
from bot.domain.taxonomy import region_name, topic_name
from bot.domain.telegram_html import Html, escape, fit_lines
from bot.domain.user_input import cut, quote_input
from bot.i18n import BoundTranslator
from bot.usecases.reading import Answer
from bot.usecases.subscriptions import Outcome
from bot.usecases.why import StoryTie, UrgentWhy, WhyItem
from storage.models import Chat, Subscription

UNKNOWN_SHOWN = 5  # names not understood, each quoted; the rest are counted
LIST_MAX_CHARS = 900  # one line of names: keywords are users' text and a chat may have many


def label(texts: BoundTranslator, kind: str, value: str) -> str:
    """A subscription as the user reads it (plain text)."""
    if kind == REGION:
        return region_name(value, texts.language)
    if kind == TOPIC:
        return topic_name(value, texts.language)
    if kind == EXCLUDE:
        return f"−“{value}”"
    return f"“{value}”"


def _target(texts: BoundTranslator, target: Target) -> str:
    return label(texts, REGION if target.kind == "region" else TOPIC, target.slug)


def _list(texts: BoundTranslator, items: Sequence[tuple[str, str]]) -> str:
    return escape(_names(texts, items))


def _names(texts: BoundTranslator, items: Sequence[tuple[str, str]]) -> str:
    """Subscriptions as one plain line of names, cut to LIST_MAX_CHARS."""
    return cut(", ".join(label(texts, kind, value) for kind, value in items), LIST_MAX_CHARS)


def subscription_outcome(texts: BoundTranslator, outcome: Outcome, *, added: bool) -> Html:
    """What changed, what did not, what was not understood, and the 7-day preview."""
    lines: list[str] = []
    verb = "subscribe" if added else "unsubscribe"
    if outcome.changed:
        lines.append(texts(f"{verb}.changed", items=Html(_list(texts, outcome.changed))))
    if outcome.unchanged:
        lines.append(texts(f"{verb}.unchanged", items=Html(_list(texts, outcome.unchanged))))
    for unknown in outcome.unknown[:UNKNOWN_SHOWN]:
        name = quote_input(unknown.typed)
        if unknown.suggestions:
            names = ", ".join(_target(texts, target) for target in unknown.suggestions)
            lines.append(texts("subscribe.unknown_with_suggestions", name=name, suggestions=names))
        else:
            lines.append(texts("subscribe.unknown", name=name))
    if len(outcome.unknown) > UNKNOWN_SHOWN:
        lines.append(texts("subscribe.unknown_more", count=len(outcome.unknown) - UNKNOWN_SHOWN))
    lines.extend(term_error(texts, error) for error in outcome.errors)
    if outcome.recent_matches is not None:
        lines.append(texts("subscribe.preview", count=outcome.recent_matches))
    if not lines:
        lines.append(texts(f"{verb}.usage"))
    return fit_lines(lines)


def term_error(texts: BoundTranslator, error: TermError) -> Html:
    return texts(error.key, **error.params)


def subscriptions_list(texts: BoundTranslator, subscriptions: Sequence[Subscription]) -> Html:
    """/mysubs: everything the chat follows, grouped by kind."""
    if not subscriptions:
        return texts("mysubs.empty")
    lines = [texts("mysubs.heading")]
    for kind in (REGION, TOPIC, KEYWORD, EXCLUDE):
        values = [(kind, s.value) for s in subscriptions if s.kind == kind]
        if values:
            lines.append(texts(f"mysubs.kind.{kind}", items=_names(texts, values)))
    return fit_lines(lines)


def settings_summary(
    texts: BoundTranslator, chat: Chat, subscriptions: Sequence[Subscription]
) -> Html:
    """The chat's settings at a glance: what it follows, when and how often, and alerts."""
    regions = [label(texts, REGION, s.value) for s in subscriptions if s.kind == REGION]
    topics = [label(texts, TOPIC, s.value) for s in subscriptions if s.kind == TOPIC]
    keywords = _names(
        texts, [(s.kind, s.value) for s in subscriptions if s.kind in (KEYWORD, EXCLUDE)]
    )
    none = texts("settings.none")
    lines = [
        texts("settings.heading"),
        texts("settings.regions", items=", ".join(regions) if regions else none),
        texts(
            "settings.topics", items=", ".join(topics) if topics else texts("settings.all_topics")
        ),
    ]
    if keywords:
        lines.append(texts("settings.keywords", items=keywords))
    lines.append(
        texts(
            "settings.schedule",
            time=chat.digest_time,
            zone=chat.timezone,
            frequency=frequency_label(texts, chat.frequency, chat.weekly_day),
        )
    )
    if chat.official_only:
        lines.append(texts("official.summary"))
    lines.append(alerts_summary(texts, chat))
    if chat.paused:
        lines.append(texts("settings.paused"))
    return fit_lines(lines)


def frequency_label(texts: BoundTranslator, frequency: str, weekly_day: int | None) -> str:
    day = texts(f"weekday.{weekly_day}") if weekly_day is not None else ""
    return texts(f"frequency.{frequency}", day=Html(day))


def answer_text(texts: BoundTranslator, answer: Answer) -> str | None:
    """A reading answer's message, or its message key's text; None when it needs no reply."""
    if answer.message is not None:
        return answer.message
    return texts(answer.key, **answer.params) if answer.key else None


def why(texts: BoundTranslator, number: int, item: WhyItem) -> Html:
    """/why n: the interests an item matched and the words that gave each tag."""
    lines = [texts("why.heading", number=number, title=item.article.title)]
    for slug, words in item.regions:
        lines.append(
            texts(
                "why.region", name=region_name(slug, texts.language), words=", ".join(words) or "—"
            )
        )
    for slug, words in item.topics:
        lines.append(
            texts("why.topic", name=topic_name(slug, texts.language), words=", ".join(words) or "—")
        )
    for phrase in item.keywords:
        lines.append(texts("why.keyword", keyword=phrase))
    if len(lines) == 1:
        lines.append(texts("why.all"))
    if item.urgent is not None:
        lines += _urgent(texts, item.urgent)
    if item.story is not None:
        lines.append(_story(texts, item.story))
    return fit_lines(lines)


def _urgent(texts: BoundTranslator, urgent: UrgentWhy) -> list[Html]:
    """Why an item is an alert: its category and the words found, then when, as the alert
    itself says it."""
    lines = [
        texts(
            "urgent.why",
            emoji=CATEGORY_EMOJI.get(urgent.category, "❗"),
            category=texts(f"alert.category.{urgent.category}"),
            cues=", ".join(map(_cue, urgent.cues)) or "—",
        )
    ]
    when = event_time(urgent.starts_at, urgent.ends_at, texts, urgent.zone)
    return [*lines, Html(when)] if when else lines


def _cue(entry: str) -> str:
    """A lexicon entry as a reader can read it: "отключ* ~ вод*" as "отключ… + вод…"."""
    return entry.replace(" ~ ", " + ").replace("*", "…")


def _story(texts: BoundTranslator, story: StoryTie) -> Html:
    """What tied a story's versions together ("1 200 отбасы · Мұқашев · 15 наурыз")."""
    if not story.ties:  # matched by text, or one release in several languages
        return texts("why.versions", count=story.others)
    facts = Html(" · ".join(_fact(texts, tie.fact) for tie in story.ties))
    return texts("why.story", count=story.others, facts=facts)


def _fact(texts: BoundTranslator, fact: Fact) -> Html:
    """A shared fact in the reader's language: figures in its notation with the words of the
    article shown, days with its month names, names as the article wrote them."""
    if isinstance(fact, Day):
        return texts("why.day", day=fact.day, month=texts(f"date.month.{fact.month}"))
    if isinstance(fact, Quantity):
        figure = _figure(fact.figure, texts.language)
        space = "" if fact.words in ("", "%") else " "
        return escape(f"{figure}{space}{fact.words}")
    return escape(fact.text)


def _figure(value: float, language: str) -> str:
    """1200 as "1,200" in English and "1 200" in Russian and Kazakh; 4.5 as "4.5" / "4,5"."""
    written = f"{value:,.3f}".rstrip("0").rstrip(".")
    return written if language == "en" else written.replace(",", " ").replace(".", ",")
