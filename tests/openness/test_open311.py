"""Open311 GeoReport v2: field by field, XML parsed, POST with api_key, the 90-day window."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import httpx
import pytest

from bot.runtime.process import Runtime
from tests.support import Clock
from tests.support.officers import MONDAY, insert_complaint, officer

REQUEST_FIELDS = (
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "lat", "long", "media_url",
)  # fmt: skip
SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")


async def test_discovery_names_the_endpoint_and_its_formats(client: httpx.AsyncClient) -> None:
    found = (await client.get("/open311/v2/discovery.json")).json()
    endpoint = found["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    xml = ET.fromstring((await client.get("/open311/v2/discovery.xml")).content)
    assert xml.tag == "discovery" and xml.find("endpoints/endpoint/url") is not None


async def test_services_in_json_and_xml_are_our_categories(client: httpx.AsyncClient) -> None:
    services = (await client.get("/open311/v2/services.json")).json()
    assert [s["service_code"] for s in services][:2] == ["infrastructure", "health"]
    road = services[0]
    assert set(road) == set(SERVICE_FIELDS)
    assert road["service_name"] == "Jalan & infrastruktur"
    assert road["metadata"] is True and road["type"] == "realtime" and "jalan" in road["keywords"]
    response = await client.get("/open311/v2/services.xml")
    assert response.headers["content-type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "services"
    first = root.findall("service")[0]
    assert [child.tag for child in first] == list(SERVICE_FIELDS)
    assert first.findtext("metadata") == "true" and first.findtext("service_code") == "infrastructure"
    assert len(root.findall("service")) == len(services)


async def test_a_service_definition_and_an_unknown_one(client: httpx.AsyncClient) -> None:
    found = (await client.get("/open311/v2/services/health.json")).json()
    assert found["service_code"] == "health"
    assert [a["code"] for a in found["attributes"]] == ["rahasia", "anonim"]
    assert found["attributes"][0]["datatype"] == "singlevaluelist"
    missing = await client.get("/open311/v2/services/nothing.json")
    assert missing.status_code == 404
    assert missing.json() == [{"code": 404, "description": "service_code nothing not found"}]
    xml = await client.get("/open311/v2/services/nothing.xml")
    error = ET.fromstring(xml.content)
    assert xml.status_code == 404 and error.tag == "errors" and error.findtext("error/code") == "404"


async def test_a_request_field_by_field(client: httpx.AsyncClient, runtime: Runtime) -> None:
    ticket = await insert_complaint(
        runtime, "PEMKAB-SLEMAN", title="Jalan rusak", description="Jalan berlubang di depan pasar"
    )
    [found] = (await client.get(f"/open311/v2/requests/{ticket}.json")).json()
    assert list(found)[: len(REQUEST_FIELDS) - 4] == list(REQUEST_FIELDS[:-4])
    assert set(REQUEST_FIELDS) <= set(found)
    assert found["service_request_id"] == ticket
    assert found["status"] == "open"
    assert found["service_code"] == "infrastructure" and found["service_name"] == "Jalan & infrastruktur"
    assert found["description"] == "Jalan berlubang di depan pasar"
    assert found["agency_responsible"] == "Pemerintah Kabupaten Sleman"
    assert found["requested_datetime"] == "2026-03-02T10:00:00+07:00"
    assert found["updated_datetime"] == "2026-03-02T10:00:00+07:00"
    assert found["expected_datetime"] == "2026-03-05T23:59:59+07:00"  # the verification deadline
    assert "5 Mar 2026" in found["service_notice"]
    assert found["address"] == "Kabupaten Sleman"
    assert found["lat"] is None and found["long"] is None and found["media_url"] is None
    xml = ET.fromstring((await client.get(f"/open311/v2/requests/{ticket}.xml")).content)
    request = xml.find("request")
    assert xml.tag == "service_requests" and request is not None
    assert request.findtext("service_request_id") == ticket
    assert request.findtext("expected_datetime") == "2026-03-05T23:59:59+07:00"


async def test_searching_requests(client: httpx.AsyncClient, runtime: Runtime, clock: Clock) -> None:
    old = await insert_complaint(runtime, None, created_at=MONDAY - timedelta(days=120))
    open_one = await insert_complaint(runtime, None, category="health")
    closed = await insert_complaint(runtime, None, status="closed")

    async def ids(query: str) -> set[str]:
        response = await client.get(f"/open311/v2/requests.json{query}")
        assert response.status_code == 200, response.text
        return {r["service_request_id"] for r in response.json()}

    assert await ids("") == {open_one, closed}  # the last 90 days
    assert await ids("?status=closed") == {closed}
    assert await ids("?status=open&service_code=health") == {open_one}
    assert await ids(f"?service_request_id={old},{closed}") == {old, closed}
    since = (MONDAY - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    until = (MONDAY - timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert await ids(f"?start_date={since}&end_date={until}") == {old}


@pytest.mark.parametrize(
    ("query", "description"),
    [
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z", "may not span more than 90 days"),
        ("start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z", "end_date is before start_date"),
        ("start_date=yesterday", "start_date must be a w3 datetime"),
        ("status=pending", "status must be open or closed"),
        ("service_code=nothing", "service_code nothing not found"),
    ],
)
async def test_bad_searches_get_the_spec_error_list(
    client: httpx.AsyncClient, query: str, description: str
) -> None:
    response = await client.get(f"/open311/v2/requests.json?{query}")
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and description in error["description"]


async def test_exactly_ninety_days_is_allowed(client: httpx.AsyncClient) -> None:
    query = "start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:00Z"
    response = await client.get(f"/open311/v2/requests.json?{query}")
    assert response.status_code == 200


FORM = {
    "service_code": "infrastructure",
    "description": "Lampu jalan mati di Jl. Magelang km 7, Sleman",
    "address_string": "Jl. Magelang km 7, Kabupaten Sleman",
    "lat": "-7.7479",
    "long": "110.3553",
    "first_name": "Agus",
    "last_name": "Salim",
    "phone": "081234500011",
}


async def test_post_files_a_routed_complaint(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "intake@lapor.go.id", role="officer", agency="PEMKAB-SLEMAN")
    response = await client.post("/open311/v2/requests.json", data={**FORM, "api_key": token})
    assert response.status_code == 200, response.text
    [created] = response.json()
    ticket = created["service_request_id"]
    assert ticket.startswith("LPR-") and created["account_id"] is None and created["service_notice"]
    [found] = (await client.get(f"/open311/v2/requests/{ticket}.json")).json()
    assert found["status"] == "open" and found["agency_responsible"] == "Pemerintah Kabupaten Sleman"
    assert found["lat"] == -7.748 and found["long"] == 110.355  # rounded in public
    assert "Agus" not in str(found) and "081234500011" not in str(found)


async def test_post_honours_rahasia(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "intake@lapor.go.id", role="officer", agency="PEMKAB-SLEMAN")
    form = {**FORM, "api_key": token, "attribute[rahasia]": "1"}
    [created] = (await client.post("/open311/v2/requests.json", data=form)).json()
    hidden = await client.get(f"/open311/v2/requests/{created['service_request_id']}.json")
    assert hidden.status_code == 404


@pytest.mark.parametrize("key", [None, "", "not-a-token", "x" * 300])
async def test_post_without_a_valid_api_key_is_refused(
    client: httpx.AsyncClient, runtime: Runtime, key: str | None
) -> None:
    form = dict(FORM) if key is None else {**FORM, "api_key": key}
    response = await client.post("/open311/v2/requests.json", data=form)
    assert response.status_code == 403
    assert response.json() == [{"code": 403, "description": "api_key missing or invalid"}]
    listed = (await client.get("/open311/v2/requests.json")).json()
    assert listed == []  # nothing was filed


async def test_a_viewer_key_may_not_file(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "viewer@lapor.go.id", role="viewer", agency="PEMKAB-SLEMAN")
    response = await client.post("/open311/v2/requests.xml", data={**FORM, "api_key": token})
    assert response.status_code == 403
    assert ET.fromstring(response.content).findtext("error/description") == "this api_key may only read"


@pytest.mark.parametrize(
    ("drop", "description"),
    [("service_code", "service_code missing"), ("description", "description missing")],
)
async def test_post_with_a_missing_field_is_a_400(
    client: httpx.AsyncClient, runtime: Runtime, drop: str, description: str
) -> None:
    token = await officer(runtime, "intake@lapor.go.id", role="officer", agency="PEMKAB-SLEMAN")
    form = {k: v for k, v in FORM.items() if k != drop} | {"api_key": token}
    response = await client.post("/open311/v2/requests.json", data=form)
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": description}]


async def test_post_without_a_location_is_a_400(client: httpx.AsyncClient, runtime: Runtime) -> None:
    token = await officer(runtime, "intake@lapor.go.id", role="officer", agency="PEMKAB-SLEMAN")
    form = {k: v for k, v in FORM.items() if k not in {"lat", "long", "address_string"}} | {"api_key": token}
    response = await client.post("/open311/v2/requests.json", data=form)
    assert response.status_code == 400
    assert "location is required" in response.json()[0]["description"]
