"""held delivery receipts: reports that arrive before the provider id is stored

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "held_receipts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("provider_message_id", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_receipts")),
    )
    op.create_index(op.f("ix_held_receipts_provider_message_id"), "held_receipts", ["provider_message_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_held_receipts_provider_message_id"), table_name="held_receipts")
    op.drop_table("held_receipts")
