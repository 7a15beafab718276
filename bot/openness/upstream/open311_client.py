"""An Open311 GeoReport v2 upstream: POST requests.json, then GET requests.json for status.

The upstream's ``status`` (open/closed, and FixMyStreet's extended states)
becomes our status; ``status_notes`` becomes the public note. Our ticket
travels as ``attribute[lapor_ticket]`` so that the upstream can recognise a
resend after a timeout. An anonymous reporter's identity fields are not sent.
"""

from __future__ import annotations

from typing import Any

import httpx

from bot.openness.upstream.base import ForwardRecord, Pulled, Submitted, UpstreamError

STATUS = {
    "open": "",
    "in_progress": "in_progress",
    "action_scheduled": "in_progress",
    "investigating": "in_progress",
    "closed": "resolved",
    "fixed": "resolved",
    "not_councils_responsibility": "rejected",
}
BATCH = 50


def form(record: ForwardRecord, api_key: str, service_code: str | None) -> dict[str, str]:
    data = {
        "api_key": api_key,
        "service_code": service_code or record.category,
        "description": f"{record.title}\n\n{record.description}",
        "address_string": ", ".join(p for p in (record.location, record.regency) if p),
        "attribute[lapor_ticket]": record.ticket,
        "attribute[rahasia]": "1" if record.confidential else "0",
        "attribute[anonim]": "1" if record.anonymous else "0",
    }
    if record.lat is not None and record.long is not None:
        data["lat"], data["long"] = str(record.lat), str(record.long)
    if record.reporter:
        data |= {
            "first_name": record.reporter.first_name,
            "last_name": record.reporter.last_name,
            "phone": record.reporter.phone,
            "email": record.reporter.email,
        }
    return {k: v for k, v in data.items() if v}


class Open311Upstream:
    system = "open311"

    def __init__(
        self,
        url: str,
        api_key: str,
        timeout: float,
        service_code: str | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.service_code = service_code
        self.client = client or httpx.AsyncClient(timeout=timeout)

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self.client.request(method, self.url + path, **kwargs)
        except httpx.TimeoutException:
            raise UpstreamError("timeout", retry=True) from None
        except httpx.TransportError as exc:
            raise UpstreamError(f"transport: {type(exc).__name__}", retry=True) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise UpstreamError(f"HTTP {response.status_code}", retry=True)
        if response.status_code >= 400:
            raise UpstreamError(f"HTTP {response.status_code}: {response.text[:200]}", retry=False)
        try:
            return response.json()
        except ValueError:
            raise UpstreamError("unreadable answer", retry=True) from None

    async def submit(self, record: ForwardRecord) -> Submitted:
        answer = await self._call(
            "POST", "/requests.json", data=form(record, self.api_key, self.service_code)
        )
        first = answer[0] if isinstance(answer, list) and answer else {}
        upstream_id = str(first.get("service_request_id") or "")
        if not upstream_id:
            raise UpstreamError("answer without service_request_id", retry=True)
        return Submitted(upstream_id)

    async def pull(self, upstream_ids: list[str]) -> list[Pulled]:
        pulled = []
        for start in range(0, len(upstream_ids), BATCH):
            ids = ",".join(upstream_ids[start : start + BATCH])
            answer = await self._call("GET", "/requests.json", params={"service_request_id": ids})
            for item in answer if isinstance(answer, list) else []:
                status = STATUS.get(str(item.get("status", "")).lower(), "")
                note = str(item.get("status_notes") or "")
                pulled.append(Pulled(str(item.get("service_request_id", "")), status, note))
        return pulled

    async def aclose(self) -> None:
        await self.client.aclose()
