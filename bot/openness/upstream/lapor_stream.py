"""SP4N-LAPOR!'s stream intake, as its integration clients use it.

``POST {url}/api/stream/addstream`` with an XML body::

    <lapor token="...">
      <pelapor><email/><telpon/><namadepan/><namabelakang/></pelapor>
      <laporan rahasia="0|1" anonim="0|1"><judul/><isi/>…</laporan>
    </lapor>

answered with ``trackingid`` and ``transaksiid`` (XML or JSON). An anonymous
reporter's ``<pelapor>`` is sent empty. The stream intake has no status feed:
``pull`` returns nothing. Our ticket travels as ``<referensi>`` so that the
upstream can recognise a resend after a timeout.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import httpx
from defusedxml import ElementTree as SafeET

from bot.openness.upstream.base import ForwardRecord, Pulled, Submitted, UpstreamError

PATH = "/api/stream/addstream"


def body(record: ForwardRecord, token: str) -> bytes:
    root = ET.Element("lapor", token=token)
    reporter = ET.SubElement(root, "pelapor")
    who = record.reporter
    for tag, value in (
        ("email", who.email if who else ""),
        ("telpon", who.phone if who else ""),
        ("namadepan", who.first_name if who else ""),
        ("namabelakang", who.last_name if who else ""),
    ):
        ET.SubElement(reporter, tag).text = value
    report = ET.SubElement(
        root, "laporan", rahasia="1" if record.confidential else "0", anonim="1" if record.anonymous else "0"
    )
    fields = {
        "referensi": record.ticket,
        "judul": record.title,
        "isi": record.description,
        "jenis": record.kind,
        "kategori": record.category,
        "lokasi": record.location,
        "kodewilayah": record.regency_code or "",
        "wilayah": record.regency or "",
        "lat": "" if record.lat is None else str(record.lat),
        "long": "" if record.long is None else str(record.long),
        "tanggalkejadian": record.incident_date.isoformat() if record.incident_date else "",
        "instansi": record.agency_code or "",
    }
    for tag, value in fields.items():
        ET.SubElement(report, tag).text = value
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out


def parse_answer(content: bytes) -> Submitted:
    text = content.strip()
    try:
        data = json.loads(text)
        found = {k.lower(): str(v) for k, v in (data.items() if isinstance(data, dict) else [])}
    except ValueError:
        try:
            root = SafeET.fromstring(text)
        except (ET.ParseError, ValueError):
            raise UpstreamError("unreadable answer", retry=True) from None
        found = {e.tag.lower(): (e.text or "").strip() for e in root.iter()}
    tracking = found.get("trackingid")
    if not tracking:
        raise UpstreamError("answer without trackingid", retry=True)
    return Submitted(tracking, found.get("transaksiid") or None)


class LaporStream:
    system = "lapor"

    def __init__(self, url: str, token: str, timeout: float, client: httpx.AsyncClient | None = None) -> None:
        self.url = url.rstrip("/") + PATH
        self.token = token
        self.client = client or httpx.AsyncClient(timeout=timeout)

    async def submit(self, record: ForwardRecord) -> Submitted:
        try:
            response = await self.client.post(
                self.url, content=body(record, self.token), headers={"Content-Type": "application/xml"}
            )
        except httpx.TimeoutException:
            raise UpstreamError("timeout", retry=True) from None
        except httpx.TransportError as exc:
            raise UpstreamError(f"transport: {type(exc).__name__}", retry=True) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise UpstreamError(f"HTTP {response.status_code}", retry=True)
        if response.status_code >= 400:
            raise UpstreamError(f"HTTP {response.status_code}", retry=False)
        return parse_answer(response.content)

    async def pull(self, upstream_ids: list[str]) -> list[Pulled]:
        return []

    async def aclose(self) -> None:
        await self.client.aclose()
