"""channels and forum routes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 21:16:27.259908
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "topic_route",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("thread_name", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["chat.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id", "kind", "value", name="uq_topic_route"),
    )
    with op.batch_alter_table("topic_route", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_topic_route_chat_id"), ["chat_id"], unique=False)
    with op.batch_alter_table("chat", schema=None) as batch_op:
        batch_op.add_column(sa.Column("managed_chat_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("owner_user_id", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_chat_owner_user_id"), ["owner_user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("chat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_owner_user_id"))
        batch_op.drop_column("owner_user_id")
        batch_op.drop_column("managed_chat_id")
    with op.batch_alter_table("topic_route", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_topic_route_chat_id"))
    op.drop_table("topic_route")
