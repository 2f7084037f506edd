"""SQLModel tables. Chat ids are 64-bit (Telegram needs up to 52 bits); instants are aware UTC."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime


def _instant(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UtcDateTime(), nullable=nullable, index=index))


class Source(SQLModel, table=True):
    """Where articles come from: a seed file, a feed or a web page, with its polling health."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    url: str = Field(unique=True)
    name: str = ""
    poll_minutes: int = 60
    enabled: bool = True
    etag: str | None = None
    last_modified: str | None = None
    next_poll_at: datetime | None = _instant(nullable=True, index=True)
    last_polled_at: datetime | None = _instant(nullable=True)
    last_success_at: datetime | None = _instant(nullable=True)
    last_error: str | None = None
    consecutive_failures: int = 0
    created_at: datetime = _instant()
    # Government bodies (gov.kz, akimats, ministries) as opposed to the press.
    official: bool = False


class Article(SQLModel, table=True):
    """A stored article. `id` is the monotonic ingest sequence that watermarks point into."""

    id: int | None = Field(default=None, primary_key=True)
    source_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("source.id", ondelete="SET NULL"), nullable=True),
    )
    canonical_url: str | None = Field(default=None, unique=True)
    source_url: str | None = None
    site_name: str = ""
    title: str
    raw_title: str = ""
    body: str
    summary: str = ""
    language: str = Field(max_length=2)
    content_hash: str = Field(index=True, max_length=64)
    published_at: datetime = _instant(index=True)
    published_precision: str = Field(default="day", max_length=8)
    ingested_at: datetime = _instant()
    updated_at: datetime = _instant()
    cluster_id: int | None = Field(default=None, index=True)
    # One story published in several languages under one id (gov.kz: "govkz:<entity>:<id>"):
    # its versions share a cluster, so a digest shows it once, in the reader's language.
    story_key: str | None = Field(default=None, index=True, max_length=128)
    # Urgent local news (an outage, a warning, a closure happening now or about to): its
    # category (bot/domain/alerts.py) and, when the text says, when the event starts and ends.
    alert_category: str | None = Field(default=None, index=True, max_length=16)
    alert_starts_at: datetime | None = _instant(nullable=True)
    alert_ends_at: datetime | None = _instant(nullable=True)


class ArticleRegion(SQLModel, table=True):
    """An article's region; rank 0 is the main one."""

    __tablename__ = "article_region"
    __table_args__ = (Index("ix_article_region_region_article", "region", "article_id"),)

    article_id: int = Field(
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    )
    region: str = Field(primary_key=True, max_length=32)
    rank: int = 0


class ArticleTopic(SQLModel, table=True):
    """An article's topic; rank 0 is the main one."""

    __tablename__ = "article_topic"
    __table_args__ = (Index("ix_article_topic_topic_article", "topic", "article_id"),)

    article_id: int = Field(
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    )
    topic: str = Field(primary_key=True, max_length=32)
    rank: int = 0


class ArticleSignature(SQLModel, table=True):
    """The near-duplicate signature of an article and its story facts, kept so new articles can
    be compared to it (bot/domain/story_record.py; older rows hold the signature alone)."""

    __tablename__ = "article_signature"

    article_id: int = Field(
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    )
    signature: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ArticleBand(SQLModel, table=True):
    """The candidate index of near-duplicate detection: one row per LSH band of a signature and
    per story-fact key (bot/domain/story_keys.py); both are 63-bit hashes, so they share it."""

    __tablename__ = "article_band"

    band_key: int = Field(sa_column=Column(BigInteger, primary_key=True))
    article_id: int = Field(
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    )


class Chat(SQLModel, table=True):
    """A private chat, group or channel that receives digests, with its schedule."""

    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    type: str = Field(default="private", max_length=16)
    title: str = ""
    language: str = Field(default="en", max_length=2)
    timezone: str = "Asia/Almaty"
    digest_time: str = Field(default="08:00", max_length=5)
    frequency: str = Field(default="daily", max_length=16)
    weekly_day: int | None = None
    paused: bool = False
    blocked: bool = False
    no_news_note: bool = False
    official_only: bool = False
    # Urgent alerts for the chat's regions (off until asked for), and its quiet hours as local
    # "HH:MM" clock times, the end exclusive (None: no quiet hours).
    alerts: bool = False
    quiet_start: str | None = Field(default=None, max_length=5)
    quiet_end: str | None = Field(default=None, max_length=5)
    # A private chat may manage a linked channel instead of itself; a channel knows its owner.
    managed_chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    owner_user_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, nullable=True, index=True)
    )
    next_due_at: datetime | None = _instant(nullable=True, index=True)
    created_at: datetime = _instant()
    updated_at: datetime = _instant()


class Subscription(SQLModel, table=True):
    """One interest of a chat: a region, a topic, a keyword or an exclusion."""

    __table_args__ = (UniqueConstraint("chat_id", "kind", "value", name="uq_subscription"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(
        sa_column=Column(
            BigInteger, ForeignKey("chat.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    kind: str = Field(max_length=16)
    value: str
    created_at: datetime = _instant()


class TopicRoute(SQLModel, table=True):
    """In a forum supergroup: one region or topic whose news goes to one forum topic."""

    __tablename__ = "topic_route"
    __table_args__ = (UniqueConstraint("chat_id", "kind", "value", name="uq_topic_route"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(
        sa_column=Column(
            BigInteger, ForeignKey("chat.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    kind: str = Field(max_length=16)
    value: str
    thread_id: int
    thread_name: str = ""


class Delivery(SQLModel, table=True):
    """The ledger: which chat got which digest, over which window of article ids, and how."""

    # One scheduled digest per chat and due instant, so a claim can never be taken twice.
    __table_args__ = (
        Index(
            "uq_delivery_scheduled",
            "chat_id",
            "due_at",
            unique=True,
            sqlite_where=text("kind = 'scheduled'"),
            postgresql_where=text("kind = 'scheduled'"),
        ),
        # One alert per chat and story (cluster id), whatever the language or outlet.
        Index(
            "uq_delivery_alert",
            "chat_id",
            "story_id",
            unique=True,
            sqlite_where=text("kind = 'alert'"),
            postgresql_where=text("kind = 'alert'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    due_at: datetime = _instant()
    kind: str = Field(default="scheduled", max_length=16)
    status: str = Field(default="claimed", max_length=16, index=True)
    window_start_id: int = 0
    window_end_id: int = 0
    item_article_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON))
    parts_total: int = 0
    message_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON))
    error: str | None = None
    # While a digest is being delivered: its rendered parts [{"thread": id|null, "text": html}]
    # and the article ids by item number; cleared once done. Retries send only missing parts.
    payload: list[dict[str, object]] | None = Field(default=None, sa_column=Column(JSON))
    attempts: int = 0
    possible_repeats: int = 0
    claimed_at: datetime = _instant()
    first_sent_at: datetime | None = _instant(nullable=True)
    finished_at: datetime | None = _instant(nullable=True)
    # An alert's story (the article's cluster id) and article; None for digests.
    story_id: int | None = None
    article_id: int | None = None
    # Which process is sending a claimed row, until when (renewed while it sends): a row whose
    # `sender_until` has passed may be taken by any instance, so a killed instance's digests
    # are finished by another and a live one's are never sent twice. A postponed row rests with
    # no sender until `sender_until`, the instant its retry may start.
    sender_id: str | None = Field(default=None, max_length=32)
    sender_until: datetime | None = _instant(nullable=True)


class Lease(SQLModel, table=True):
    """Who may poll and send for a bot token: one holder at a time, until `expires_at`."""

    name: str = Field(primary_key=True, max_length=32)
    holder: str = Field(max_length=64)
    expires_at: datetime = _instant()


class Instance(SQLModel, table=True):
    """A running `newsdigest run` and when it last said so: the live ones share the send rate."""

    id: str = Field(primary_key=True, max_length=32)
    heartbeat_at: datetime = _instant(index=True)
