"""outbox provider message id: an index, not a unique constraint

Telegram's message ids are unique per chat only, so two chats' messages can
share one; receipts look rows up by it, which an index serves.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("uq_outbox_provider_message_id", type_="unique")
        batch.create_index("ix_outbox_provider_message_id", ["provider_message_id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_provider_message_id")
        batch.create_unique_constraint("uq_outbox_provider_message_id", ["provider_message_id"])
