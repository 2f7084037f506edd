"""several sending instances: a sender and a row lease on ledger rows, live instances

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sender_id", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("sender_until", storage.types.UtcDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "instance",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("heartbeat_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_instance_heartbeat_at", "instance", ["heartbeat_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_instance_heartbeat_at", table_name="instance")
    op.drop_table("instance")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_column("sender_until")
        batch_op.drop_column("sender_id")
