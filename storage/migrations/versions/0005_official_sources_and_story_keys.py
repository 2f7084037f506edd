"""official sources, official-only chats, story keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("official", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("chat", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("official_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("story_key", sa.String(length=128), nullable=True))
        batch_op.create_index("ix_article_story_key", ["story_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index("ix_article_story_key")
        batch_op.drop_column("story_key")
    with op.batch_alter_table("chat", schema=None) as batch_op:
        batch_op.drop_column("official_only")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_column("official")
