"""Every public response, searched for seeded identities and confidential complaints."""

from __future__ import annotations

import re

import httpx

from bot.runtime.process import Runtime
from tests.support.officers import file_by_chat, insert_complaint

NAME = "Siti Rahmawati Kusumadewi"
PHONE = "+6281298765432"
ADDRESS = "rest:siti.kusumadewi.8812"
ANON_NAME = "Bambang Purnomo Hadi"
ANON_ADDRESS = "rest:bambang.hadi.4471"
NIK = "3404011203850002"
TYPED_PHONE = "0813-2222-7777"
EMAIL = "siti.kusuma@contoh.co.id"
SECRET_CODE = "RAHASIA-7Q4X9"
DESCRIPTION = (
    f"Jalan di Jl. Kaliurang km 5 Sleman berlubang besar. Nama saya {NAME}, NIK {NIK}, "
    f"hubungi {TYPED_PHONE} atau {EMAIL}"
)
SECRETS = (
    NAME, *NAME.split(), PHONE, PHONE.removeprefix("+"), "081298765432",
    ADDRESS, ADDRESS.removeprefix("rest:"), ANON_NAME, *ANON_NAME.split(),
    ANON_ADDRESS.removeprefix("rest:"), NIK, TYPED_PHONE, "081322227777", EMAIL, SECRET_CODE,
)  # fmt: skip
PUBLIC_PATHS = (
    "/transparansi",
    "/transparansi?region=34.04",
    "/transparansi?category=infrastructure&status=received",
    "/api/public/v1/complaints",
    "/api/public/v1/complaints?region=34&per_page=100",
    "/api/public/v1/complaints.csv",
    "/api/public/v1/stats",
    "/api/public/v1/stats?region=34.04",
    "/open311/v2/discovery.json",
    "/open311/v2/services.json",
    "/open311/v2/services.xml",
    "/open311/v2/requests.json",
    "/open311/v2/requests.xml",
    "/open311/v2/requests.json?status=open",
)


async def _seed(runtime: Runtime) -> tuple[list[str], list[str]]:
    public = [
        await file_by_chat(runtime, ADDRESS, DESCRIPTION, "public", display_name=NAME, phone=PHONE),
        await file_by_chat(
            runtime, ANON_ADDRESS, f"Sampah menumpuk di pasar, saya {ANON_NAME} sudah lapor RT",
            "anonymous", display_name=ANON_NAME, phone="+6281377778888",
        ),
    ]  # fmt: skip
    confidential = [
        await file_by_chat(runtime, "rest:whistle-1", f"Pungli di kantor {SECRET_CODE}", "confidential"),
        await insert_complaint(
            runtime, None, title=f"Suap {SECRET_CODE}", description=SECRET_CODE, confidential=True
        ),
    ]
    return public, confidential


async def test_no_public_response_carries_an_identity_or_a_confidential_complaint(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    public, confidential = await _seed(runtime)
    paths = [*PUBLIC_PATHS]
    for ticket in public + confidential:
        paths += [
            f"/transparansi/{ticket}",
            f"/open311/v2/requests/{ticket}.json",
            f"/open311/v2/requests/{ticket}.xml",
            f"/open311/v2/requests.json?service_request_id={ticket}",
        ]
    seen: list[str] = []
    for path in paths:
        response = await client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        seen.append(f"{response.headers} {response.text}")
    everything = "\n".join(seen)
    for secret in (*SECRETS, *confidential):
        assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", everything, re.IGNORECASE), secret
    for ticket in public:  # the public ones are there, masked
        assert ticket in everything
    assert "[NIK]" in everything and "[telepon]" in everything and "[email]" in everything


async def test_a_confidential_complaint_looks_like_an_unknown_one(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    _, confidential = await _seed(runtime)
    secret = await client.get(f"/transparansi/{confidential[0]}")
    unknown = await client.get("/transparansi/LPR-00000000")
    assert secret.status_code == unknown.status_code == 404
    assert secret.text == unknown.text
    secret_api = await client.get(f"/open311/v2/requests/{confidential[0]}.json")
    assert secret_api.status_code == 404
    assert secret_api.json() == [{"code": 404, "description": "service_request_id not found"}]


async def test_counts_do_not_include_confidential_complaints_and_small_cells_are_hidden(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await _seed(runtime)
    stats = (await client.get("/api/public/v1/stats")).json()
    assert stats["total"] == 2  # the two public ones
    assert all(value is None for value in stats["by_region"].values())  # fewer than 3 each
    assert stats["satisfaction"] is None and stats["ratings"] in (0, None)


async def test_reporter_replies_stay_out_of_the_public_timeline(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    from sqlalchemy import select

    from storage.models import Complaint, StatusEvent

    ticket = await insert_complaint(runtime, None, status="needs_info")
    async with runtime.sessions.begin() as session:
        complaint_id = await session.scalar(select(Complaint.id).where(Complaint.ticket == ticket))
        assert complaint_id is not None
        session.add(
            StatusEvent(
                complaint_id=complaint_id, at=runtime.clock(), actor="reporter", action="reporter_reply",
                to_status="in_progress", public_note="balasan pribadi: rumah saya nomor 12",
            )
        )  # fmt: skip
    page = await client.get(f"/transparansi/{ticket}")
    assert page.status_code == 200
    assert "balasan pribadi" not in page.text
    assert re.search(r"Ditindaklanjuti", page.text)
