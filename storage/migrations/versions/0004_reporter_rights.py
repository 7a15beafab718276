"""reporter rights (UU PDP): legal hold and anonymisation on complaints, rights requests

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("legal_hold", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "rights_requests",
        sa.Column("id", ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reporter_id", ID, nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["reporters.id"], name=op.f("fk_rights_requests_reporter_id_reporters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rights_requests")),
    )
    with op.batch_alter_table("rights_requests") as batch:
        batch.create_index(batch.f("ix_rights_requests_reporter_id"), ["reporter_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rights_requests") as batch:
        batch.drop_index(batch.f("ix_rights_requests_reporter_id"))
    op.drop_table("rights_requests")
    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+): a batch copy would drop "complaints",
    # which the tables that reference it forbid.
    op.drop_column("complaints", "anonymised_at")
    op.drop_column("complaints", "legal_hold")
