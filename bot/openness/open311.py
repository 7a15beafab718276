"""Open311 GeoReport v2: our categories as services, public complaints as service requests.

Pure mapping to the spec's field names, and its XML rendering. Requests are
built only from ``PublicComplaint`` (the privacy rules already applied).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from bot.engine.dates import JAKARTA, format_date
from bot.openness import labels
from bot.openness.records import CLOSED, PublicComplaint
from dialogues.texts import Texts
from nlu.types import CATEGORIES

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-04T00:00:00+07:00"
MAX_DAYS = 90
MAX_IDS = 100
LIMIT = 1000
OUR_STATUSES = {
    "open": ("received", "verified", "in_progress", "needs_info"),
    "closed": tuple(sorted(CLOSED | {"closed"})),
}
KEYWORDS = {
    "infrastructure": "jalan, jembatan, drainase, PJU, trotoar",
    "health": "puskesmas, RSUD, BPJS Kesehatan, obat",
    "education": "sekolah, PPDB, zonasi, KIP, pungutan sekolah, ijazah",
    "civil_registration": "KTP-el, KK, akta, Dukcapil, pindah domisili",
    "environment": "sampah, limbah, banjir, pohon tumbang, kebakaran lahan",
    "utilities": "PLN, PDAM, listrik, air",
    "transportation": "angkutan umum, parkir liar, lampu lalu lintas, terminal, truk ODOL",
    "public_order": "PKL, premanisme, balap liar, kebisingan, miras, judi",
    "social_assistance": "PKH, BPNT, BLT, DTKS, bansos",
    "corruption": "pungli, suap, gratifikasi, perilaku ASN",
    "licensing": "izin usaha, NIB, OSS, PBG, IMB",
    "land": "sertifikat, BPN, PTSL, sengketa tanah",
    "taxation": "PBB, pajak kendaraan, retribusi",
    "employment": "upah, UMR, THR, PHK, BPJS Ketenagakerjaan",
    "other": "lainnya",
}
GROUPS = {
    "infrastructure": "Infrastruktur & lingkungan",
    "environment": "Infrastruktur & lingkungan",
    "utilities": "Infrastruktur & lingkungan",
    "transportation": "Infrastruktur & lingkungan",
    "health": "Layanan dasar",
    "education": "Layanan dasar",
    "social_assistance": "Layanan dasar",
    "civil_registration": "Administrasi",
    "licensing": "Administrasi",
    "land": "Administrasi",
    "taxation": "Administrasi",
    "employment": "Administrasi",
    "public_order": "Ketertiban & integritas",
    "corruption": "Ketertiban & integritas",
    "other": "Lainnya",
}
# Our two promises as the service definition's attributes (attribute[rahasia]=1 on POST).
ATTRIBUTES = (
    ("rahasia", "Rahasia: laporan tidak dipublikasikan / Confidential: never published"),
    ("anonim", "Anonim: identitas pelapor disembunyikan / Anonymous: reporter's identity hidden"),
)


class Open311Error(Exception):
    """An error in the spec's list form, with the HTTP status to answer with."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description

    def as_list(self) -> list[dict[str, Any]]:
        return [{"code": self.code, "description": self.description}]


def discovery(base_url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": "SP4N-LAPOR! Chat, lihat / see " + base_url + "/transparansi",
        "key_service": "api_key: token API petugas (lapor officers add) / an officer API token",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url + "/open311/v2",
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


def services(texts: Texts) -> list[dict[str, Any]]:
    return [service(texts, code) for code in CATEGORIES]


def service(texts: Texts, code: str) -> dict[str, Any]:
    name = labels.category(texts, code, "id")
    english = labels.category(texts, code, "en")
    return {
        "service_code": code,
        "service_name": name,
        "description": f"{name} / {english}: {KEYWORDS[code]}",
        "metadata": True,
        "type": "realtime",
        "keywords": KEYWORDS[code],
        "group": GROUPS[code],
    }


def definition(code: str) -> dict[str, Any]:
    attributes = [
        {
            "variable": True,
            "code": variable,
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "1 = ya / yes, 0 = tidak / no",
            "order": order,
            "description": description,
            "values": [{"key": "0", "name": "Tidak / No"}, {"key": "1", "name": "Ya / Yes"}],
        }
        for order, (variable, description) in enumerate(ATTRIBUTES, start=1)
    ]
    return {"service_code": code, "attributes": attributes}


def w3(moment: datetime | None) -> str | None:
    """ISO 8601 with the Jakarta offset, as the spec requires (``2026-03-02T10:00:00+07:00``)."""
    return moment.astimezone(JAKARTA).isoformat(timespec="seconds") if moment else None


def end_of(day: date | None) -> str | None:
    return w3(datetime.combine(day, time(23, 59, 59), JAKARTA)) if day else None


def open_or_closed(status: str) -> str:
    return "closed" if status in CLOSED else "open"


def notice(complaint: PublicComplaint) -> str:
    expected = complaint.expected
    if expected is None:
        return labels.both(labels.STATUS.get(complaint.status, (complaint.status, complaint.status)))
    step = "diverifikasi" if complaint.status == "received" else "ditindaklanjuti"
    english = "verified" if complaint.status == "received" else "followed up"
    return (
        f"Akan {step} paling lambat {format_date(expected, 'id')} (hari kerja) / "
        f"To be {english} by {format_date(expected, 'en')} (working days)"
    )


def request(texts: Texts, c: PublicComplaint) -> dict[str, Any]:
    """One service request with every field the spec names."""
    return {
        "service_request_id": c.ticket,
        "status": open_or_closed(c.status),
        "status_notes": c.latest_note or labels.both(labels.STATUS.get(c.status, (c.status, c.status))),
        "service_name": labels.category(texts, c.category, "id"),
        "service_code": c.category,
        "description": c.description,
        "agency_responsible": c.agency,
        "service_notice": notice(c),
        "requested_datetime": w3(c.created_at),
        "updated_datetime": w3(c.updated_at),
        "expected_datetime": end_of(c.expected),
        "address": c.place or None,
        "address_id": None,
        "zipcode": None,
        "lat": c.lat,
        "long": c.long,
        "media_url": None,  # photos are not published
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: ET.Element, tag: str, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, list):
        item_tag = {"attributes": "attribute", "values": "value", "endpoints": "endpoint"}.get(tag, "item")
        for item in value:
            if isinstance(item, Mapping):
                child = ET.SubElement(element, item_tag)
                for key, inner in item.items():
                    _fill(child, key, inner)
            else:
                ET.SubElement(element, "format" if tag == "formats" else item_tag).text = _text(item)
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            _fill(element, key, inner)
    else:
        element.text = _text(value)


def to_xml(root: str, item: str | None, content: Sequence[Mapping[str, Any]] | Mapping[str, Any]) -> bytes:
    """The spec's XML: ``<services><service>…`` or ``<service_requests><request>…``, UTF-8 declared."""
    top = ET.Element(root)
    rows = [content] if isinstance(content, Mapping) else list(content)
    for row in rows:
        parent = ET.SubElement(top, item) if item else top
        for key, value in row.items():
            _fill(parent, key, value)
    body: bytes = ET.tostring(top, encoding="utf-8", xml_declaration=True)
    return body.replace(b"<?xml version='1.0' encoding='utf-8'?>", b'<?xml version="1.0" encoding="UTF-8"?>')


def errors_xml(error: Open311Error) -> bytes:
    return to_xml("errors", "error", error.as_list())
