"""The pure decisions: what text keeps, what an erasure plans, what retention finds due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.rights.plan import plan
from bot.rights.retention import due
from bot.rights.scrub import KnownIdentity
from storage.models import Complaint

NOW = datetime(2026, 3, 2, tzinfo=UTC)


def _complaint(ticket: str, conversation: str, **fields: object) -> Complaint:
    values: dict[str, object] = {
        "status": "closed",
        "legal_hold": False,
        "anonymised_at": None,
        "updated_at": NOW,
    }
    return Complaint(ticket=ticket, conversation_id=conversation, **(values | fields))


def test_scrub_removes_known_values_in_every_form_and_keeps_the_words() -> None:
    identity = KnownIdentity.of("whatsapp:+6281234567890", "Budi Santoso", None)
    text = "Budi santoso (081234567890, 6281234567890) melapor: jalan rusak di budidaya ikan; e-mail b@x.id"

    scrubbed = identity.scrub(text) or ""

    assert "santoso" not in scrubbed.lower() and "1234567890" not in scrubbed
    assert "budidaya" in scrubbed  # a name is removed as a word, not inside other words
    assert "jalan rusak" in scrubbed and "[EMAIL]" in scrubbed
    assert identity.scrub(None) is None


def test_short_values_are_not_scrubbed_everywhere() -> None:
    assert KnownIdentity.of("rest:ab", "Al").scrub("Alamat jalan ab") == "Alamat jalan ab"


def test_plan_keeps_held_complaints_and_their_dialogues() -> None:
    free = _complaint("LPR-A", "c1")
    held = _complaint("LPR-B", "c2", legal_hold=True)
    done = _complaint("LPR-C", "c3", anonymised_at=NOW)

    decided = plan([free, held, done], ["c1", "c2", "c3", "draft"])

    assert decided.anonymise == (free,)
    assert decided.held_tickets == ["LPR-B"] and not decided.erases_identity
    assert decided.conversations == ("c1", "c3", "draft")
    assert plan([free], ["c1"]).erases_identity


def test_due_after_the_retention_period_only() -> None:
    before = NOW - timedelta(days=730)
    assert due(_complaint("A", "a", closed_at=before - timedelta(days=1)), before)
    assert not due(_complaint("B", "b", closed_at=before + timedelta(days=1)), before)
    assert not due(_complaint("C", "c", closed_at=before - timedelta(days=1), legal_hold=True), before)
    assert not due(_complaint("D", "d", status="in_progress", closed_at=None, updated_at=before), before)
    assert due(_complaint("E", "e", status="rejected", closed_at=None, updated_at=before), before)
