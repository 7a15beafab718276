"""upstream links: a complaint's id in the upstream system it was forwarded to

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "upstream_links",
        sa.Column("complaint_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("system", sa.String(length=16), nullable=False),
        sa.Column("upstream_id", sa.String(length=128), nullable=False),
        sa.Column("transaction_id", sa.String(length=128), nullable=True),
        sa.Column("last_status", sa.String(length=32), nullable=True),
        sa.Column("last_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pulled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_upstream_links_complaint_id_complaints")
        ),
        sa.PrimaryKeyConstraint("complaint_id", name=op.f("pk_upstream_links")),
        sa.UniqueConstraint("system", "upstream_id", name="uq_upstream_links_system_id"),
    )


def downgrade() -> None:
    op.drop_table("upstream_links")
