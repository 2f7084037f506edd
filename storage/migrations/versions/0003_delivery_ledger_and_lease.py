"""delivery ledger payload and the sender lease

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 21:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payload", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("possible_repeats", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("first_sent_at", storage.types.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("ix_delivery_status", ["status"], unique=False)
    op.create_table(
        "lease",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("expires_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("lease")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_delivery_status")
        batch_op.drop_column("first_sent_at")
        batch_op.drop_column("possible_repeats")
        batch_op.drop_column("attempts")
        batch_op.drop_column("payload")
