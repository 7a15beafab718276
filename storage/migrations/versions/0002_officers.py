"""officers: accounts, tokens, sessions, routing rules, audit log, idempotency, notifications

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 22:10:48.682726
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _time(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _drop(table: str, *indexed: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in indexed:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
    op.drop_table(table)


# The audit log is append-only: the database itself refuses to change or delete a row.
_APPEND_ONLY = {
    "postgresql": (
        """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_log is append-only';
        END;
        $$""",
        """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    ),
    "sqlite": tuple(
        f"""CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""
        for verb in ("UPDATE", "DELETE")
    ),
}
_DROP_APPEND_ONLY = {
    "postgresql": (
        "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
        "DROP FUNCTION IF EXISTS audit_log_append_only()",
    ),
    "sqlite": ("DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"),
}


def upgrade() -> None:
    op.create_table(
        "officers",
        sa.Column("id", ID, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("agency_id", ID, nullable=True),
        sa.Column("identity_access", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _time("created_at"),
        _time("last_login_at", nullable=True),
        _fk("agency_id", "officers", "agencies"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officers")),
        sa.UniqueConstraint("email", name=op.f("uq_officers_email")),
    )
    _index("officers", "agency_id")
    op.create_table(
        "routing_rules",
        sa.Column("id", ID, nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("region_prefix", sa.String(length=16), nullable=False),
        sa.Column("agency_id", ID, nullable=False),
        _time("created_at"),
        _fk("agency_id", "routing_rules", "agencies"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rules")),
        sa.UniqueConstraint("category", "region_prefix", name="uq_routing_rules_match"),
    )
    _index("routing_rules", "agency_id")
    op.create_table(
        "api_tokens",
        sa.Column("id", ID, nullable=False),
        sa.Column("officer_id", ID, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=True),
        _time("created_at"),
        _time("last_used_at", nullable=True),
        _time("revoked_at", nullable=True),
        _fk("officer_id", "api_tokens", "officers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    _index("api_tokens", "officer_id")
    op.create_table(
        "audit_log",
        sa.Column("id", ID, nullable=False),
        _time("at"),
        sa.Column("officer_id", ID, nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", ID, nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        _fk("complaint_id", "audit_log", "complaints"),
        _fk("officer_id", "audit_log", "officers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    _index("audit_log", "complaint_id", "officer_id")
    op.create_table(
        "idempotency_keys",
        sa.Column("officer_id", ID, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        _time("created_at"),
        _fk("officer_id", "idempotency_keys", "officers"),
        sa.PrimaryKeyConstraint("officer_id", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_table(
        "officer_notifications",
        sa.Column("id", ID, nullable=False),
        sa.Column("agency_id", ID, nullable=True),
        sa.Column("complaint_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("dedup_key", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        _time("created_at"),
        _time("read_at", nullable=True),
        _fk("agency_id", "officer_notifications", "agencies"),
        _fk("complaint_id", "officer_notifications", "complaints"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer_notifications")),
        sa.UniqueConstraint("complaint_id", "dedup_key", name="uq_officer_notifications_dedup"),
    )
    _index("officer_notifications", "agency_id", "complaint_id")
    op.create_table(
        "officer_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("officer_id", ID, nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        _time("created_at"),
        _time("expires_at"),
        _fk("officer_id", "officer_sessions", "officers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer_sessions")),
    )
    _index("officer_sessions", "officer_id")
    for statement in _APPEND_ONLY.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade() -> None:
    for statement in _DROP_APPEND_ONLY.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
    _drop("officer_sessions", "officer_id")
    _drop("officer_notifications", "complaint_id", "agency_id")
    op.drop_table("idempotency_keys")
    _drop("audit_log", "officer_id", "complaint_id")
    _drop("api_tokens", "officer_id")
    _drop("routing_rules", "agency_id")
    _drop("officers", "agency_id")
