"""urgent alerts: article alert fields, chat alert settings and quiet hours, alert ledger rows

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alert_category", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("alert_starts_at", storage.types.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("alert_ends_at", storage.types.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("ix_article_alert_category", ["alert_category"], unique=False)
    with op.batch_alter_table("chat", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("alerts", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("quiet_start", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("quiet_end", sa.String(length=5), nullable=True))
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("story_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("article_id", sa.Integer(), nullable=True))
    op.create_index(
        "uq_delivery_alert",
        "delivery",
        ["chat_id", "story_id"],
        unique=True,
        sqlite_where=sa.text("kind = 'alert'"),
        postgresql_where=sa.text("kind = 'alert'"),
    )


def downgrade() -> None:
    op.drop_index("uq_delivery_alert", table_name="delivery")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_column("article_id")
        batch_op.drop_column("story_id")
    with op.batch_alter_table("chat", schema=None) as batch_op:
        batch_op.drop_column("quiet_end")
        batch_op.drop_column("quiet_start")
        batch_op.drop_column("alerts")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index("ix_article_alert_category")
        batch_op.drop_column("alert_ends_at")
        batch_op.drop_column("alert_starts_at")
        batch_op.drop_column("alert_category")
