"""`/official on|off` end to end: the setting, its place in the settings summary, digests and
/latest that keep only official sources, the official-source mark, and groups' admins."""

from __future__ import annotations

from sqlmodel import col, select

from bot.domain.telegram_html import visible_text
from bot.emulator import Chat, User
from storage.models import Article, Source
from storage.queries import chats as chat_queries
from tests.chat.conftest import NOW, Harness

MARK = "🏛 official source"


async def _akimat_of_karaganda(harness: Harness) -> set[str]:
    """Make the bundled releases of Karaganda's akimat come from an official source (paused,
    so nothing polls it); their titles."""
    async with harness.database.write() as session:
        source = Source(
            kind="govkz",
            url="https://www.gov.kz/memleket/entities/karaganda",
            name="Akimat of Karaganda region",
            official=True,
            enabled=False,
            created_at=NOW,
        )
        session.add(source)
        await session.flush()
        query = select(Article).where(col(Article.source_url).contains("/entities/karaganda/"))
        articles = (await session.execute(query)).scalars().all()
        for article in articles:
            article.source_id = source.id
    assert articles
    return {article.title for article in articles}


async def _official_only(harness: Harness, chat_id: int) -> bool:
    async with harness.database.read() as session:
        chat = await chat_queries.get_chat(session, chat_id=chat_id)
    assert chat is not None
    return chat.official_only


def _items(text: str) -> list[str]:
    """The numbered items of a digest or /latest, one string each (title to the next item)."""
    blocks: list[str] = []
    for line in text.splitlines():
        head = line.split(". ", 1)[0]
        if head.isdigit():
            blocks.append(line)
        elif blocks:
            blocks[-1] += "\n" + line
    return blocks


async def test_official_without_arguments_tells_the_state_and_how(harness: Harness) -> None:
    user, chat = harness.private_chat()
    [answer] = await harness.say(user, chat, "/official")
    assert "official sources and the press" in (answer.text or "")
    assert "/official on" in (answer.text or "") and "/official off" in (answer.text or "")
    [odd] = await harness.say(user, chat, "/official perhaps")
    assert "/official on" in (odd.text or "")
    assert await _official_only(harness, chat.id) is False


async def test_official_on_and_off_are_remembered_and_summarised(harness: Harness) -> None:
    user, chat = harness.private_chat(language="ru")
    await harness.say(user, chat, "/subscribe karaganda")
    [on] = await harness.say(user, chat, "/official ON")
    assert "только официальные источники" in (on.text or "")
    assert await _official_only(harness, chat.id) is True
    [state] = await harness.say(user, chat, "/official")
    assert "только официальные источники" in (state.text or "")
    [summary] = await harness.say(user, chat, "/start")
    assert "Только официальные источники" in (summary.text or "")
    [off] = await harness.say(user, chat, "/official off")
    assert "официальные источники и пресса" in (off.text or "")
    assert await _official_only(harness, chat.id) is False
    [summary] = await harness.say(user, chat, "/start")
    assert "Только официальные" not in (summary.text or "")


async def test_latest_keeps_only_official_sources_and_marks_them(harness: Harness) -> None:
    official = await _akimat_of_karaganda(harness)
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    [every] = await harness.say(user, chat, "/latest")
    everything = _items(visible_text(every.raw_text or ""))
    marked = [item for item in everything if MARK in item]
    assert marked and len(marked) < len(everything), "press and official side by side"
    await harness.say(user, chat, "/official on")
    [only] = await harness.say(user, chat, "/latest")
    kept = _items(visible_text(only.raw_text or ""))
    assert kept and all(MARK in item for item in kept)
    assert all(any(title in item for title in official) for item in kept)
    assert len(kept) == len(marked)


async def test_the_digest_of_an_official_only_chat(harness: Harness) -> None:
    official = await _akimat_of_karaganda(harness)
    user, chat = harness.private_chat()
    await harness.say(user, chat, "/subscribe karaganda")
    await harness.say(user, chat, "/official on")
    [digest] = await harness.say(user, chat, "/digest")
    text = visible_text(digest.raw_text or "")
    assert "News digest" in text and "🏛 official sources only" in text.splitlines()[1]
    items = _items(text)
    assert items and all(MARK in item for item in items)
    assert all(any(title in item for title in official) for item in items)


async def test_a_mixed_chat_and_an_official_chat_never_share_a_digest(harness: Harness) -> None:
    """Delivered in one tick (one composition cache): equal interests, different setting."""
    await _akimat_of_karaganda(harness)
    first, mixed = harness.private_chat("Mixed")
    second, strict = harness.private_chat("Strict")
    for user, chat in ((first, mixed), (second, strict)):
        await harness.say(user, chat, "/subscribe karaganda")
    await harness.say(second, strict, "/official on")
    async with harness.database.write() as session:
        for chat in (mixed, strict):
            row = await chat_queries.get_chat(session, chat_id=chat.id)
            assert row is not None
            row.next_due_at = NOW
    await harness.ticker.tick()
    texts = {}
    for chat in (mixed, strict):
        [digest] = [m for m in harness.emulator.messages_to(chat) if "News digest" in m.text]
        texts[chat.id] = _items(visible_text(digest.raw_text or ""))
    assert len(texts[strict.id]) < len(texts[mixed.id])
    assert all(MARK in item for item in texts[strict.id])
    assert any(MARK not in item for item in texts[mixed.id])


async def _group(harness: Harness) -> tuple[User, User, Chat]:
    admin = harness.emulator.create_user("Admin")
    member = harness.emulator.create_user("Member")
    group = harness.emulator.create_group(
        "District", creator=admin, members=(member,), bot_status="administrator"
    )
    await harness.emulator.wait_for_messages(group, 1)  # the greeting
    return admin, member, group


async def test_in_a_group_only_administrators_switch_it(harness: Harness) -> None:
    admin, member, group = await _group(harness)
    [refusal] = await harness.say(member, group, "/official on")
    assert "Only this group's administrators" in (refusal.text or "")
    assert await _official_only(harness, group.id) is False
    [done] = await harness.say(admin, group, "/official on")
    assert "official sources only" in (done.text or "")
    assert await _official_only(harness, group.id) is True
