"""Push texts: in both languages, with SMS variants that fit two GSM-7 segments."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.officers.pushes import YES_NO, Push, for_status, render
from connectors.sms import count_segments, is_gsm7
from dialogues.texts import load_texts
from storage.models import Agency, Complaint, Reporter

KEYS = ("verified", "in_progress", "needs_info", "resolved", "reopened", "closed", "auto_closed", "rejected",
        "routed", "merged")  # fmt: skip
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
LONG_AGENCY = Agency(
    code="KEMENDIKBUDRISTEK", name="Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi"
)
LONG_NOTE = (
    "Petugas sudah meninjau lokasi dan perbaikan dijadwalkan minggu depan setelah material tiba di gudang" * 3
)


def _complaint(status: str) -> Complaint:
    return Complaint(
        ticket="LPR-7K3M9QXD", status=status, category="infrastructure", verify_due=date(2026, 3, 5),
        followup_due=date(2026, 3, 17),
    )  # fmt: skip


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("key", KEYS)
def test_every_push_exists_and_its_sms_fits_two_segments(language: str, key: str) -> None:
    texts = load_texts()
    reporter = Reporter(address="tel:+6281200000000", language=language)
    status = {"reopened": "in_progress", "auto_closed": "closed", "routed": "verified", "merged": "rejected"}
    complaint = _complaint(status.get(key, key))
    push = Push(f"push.{key}", LONG_NOTE, "tidak_dapat_diproses")

    message = render(texts, reporter, complaint, LONG_AGENCY, push)

    assert "LPR-7K3M9QXD" in message.text and "{" not in message.text
    assert message.short_text and is_gsm7(message.short_text), message.short_text
    assert count_segments(message.short_text).count <= 2, (len(message.short_text), message.short_text)


def test_resolved_asks_whether_it_is_fixed_with_yes_and_no() -> None:
    texts = load_texts()
    reporter = Reporter(address="tel:+6281200000000", language="id")

    message = render(texts, reporter, _complaint("resolved"), LONG_AGENCY, for_status("resolved", None))

    assert message.text.endswith("Apakah masalahnya sudah beres?")
    assert [(c.title, c.payload) for c in message.choices] == [("Ya", "yes"), ("Tidak", "no")]
    assert [o.payload for o in YES_NO] == ["yes", "no"]
    assert "Catatan" not in message.text  # no note, no empty note line
