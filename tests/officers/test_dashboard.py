"""The dashboard over HTTP: login, sessions, CSRF, security headers, pages and form actions."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from bot.http.dashboard.routes import CSP
from bot.runtime.process import Runtime
from storage.models import Attachment, Complaint
from storage.officers_models import AuditEntry
from tests.support.officers import insert_complaint, officer

PASSWORD = "kata-sandi-panjang-1"
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    form = await client.get("/dashboard/login")
    return await client.post(
        "/dashboard/login", data={"email": email, "password": password, "csrf": csrf_of(form.text)}
    )


@pytest.fixture
async def pupr(runtime: Runtime) -> str:
    await officer(runtime, "o@pupr.go.id", agency="PUPR", password=PASSWORD)
    return "o@pupr.go.id"


async def test_pages_need_a_login(client: httpx.AsyncClient) -> None:
    for url in ("/dashboard/", "/dashboard/complaints/LPR-00000000", "/dashboard/failures"):
        response = await client.get(url)
        assert (response.status_code, response.headers["location"]) == (303, "/dashboard/login")


async def test_login_sets_a_strict_session_cookie(
    client: httpx.AsyncClient, runtime: Runtime, pupr: str
) -> None:
    form = await client.get("/dashboard/login")
    response = await login(client, pupr)

    assert form.headers["content-security-policy"] == CSP
    assert response.status_code == 303 and response.headers["location"] == "/dashboard/"
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and "lapor_session=" in v)
    assert {"HttpOnly", "SameSite=strict", "Path=/dashboard"} <= {p.strip() for p in cookie.split(";")}
    inbox = await client.get("/dashboard/")
    assert inbox.status_code == 200 and "o@pupr.go.id" in inbox.text


async def test_wrong_password_and_missing_login_csrf_are_refused(
    client: httpx.AsyncClient, runtime: Runtime, pupr: str
) -> None:
    wrong = await login(client, pupr, "not-the-password")
    forged = await client.post("/dashboard/login", data={"email": pupr, "password": PASSWORD, "csrf": "x"})

    assert wrong.headers["location"] == forged.headers["location"] == "/dashboard/login?error=1"
    assert "lapor_session" not in client.cookies
    async with runtime.sessions() as session:
        failed = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed"))).all()
    assert len(failed) == 1


async def test_inbox_colours_due_dates_and_escapes_text(
    client: httpx.AsyncClient, runtime: Runtime, pupr: str
) -> None:
    from datetime import date

    await insert_complaint(runtime, "PUPR", title=XSS, verify_due=date(2026, 2, 27))
    await insert_complaint(runtime, "KEMENKES", title="Bukan urusan PUPR")
    await login(client, pupr)

    page = await client.get("/dashboard/", params={"overdue": "1"})

    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    assert page.headers["x-frame-options"] == "DENY"
    assert 'class="due due-overdue"' in page.text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page.text and XSS not in page.text
    assert "Bukan urusan PUPR" not in page.text
    assert not re.search(
        r"<script>|<[^>]*\son\w+=|<[^>]*style=", page.text
    )  # no inline script, handler, style


async def test_forms_without_the_csrf_token_change_nothing(
    client: httpx.AsyncClient, runtime: Runtime, pupr: str
) -> None:
    ticket = await insert_complaint(runtime, "PUPR")
    await login(client, pupr)

    forged = await client.post(f"/dashboard/complaints/{ticket}/status", data={"status": "verified"})
    wrong = await client.post(
        f"/dashboard/complaints/{ticket}/status", data={"status": "verified", "csrf": "x"}
    )

    assert forged.status_code == wrong.status_code == 403
    async with runtime.sessions() as session:
        assert (
            await session.scalar(select(Complaint.status).where(Complaint.ticket == ticket))
        ) == "received"


async def test_working_a_complaint_through_the_forms(
    client: httpx.AsyncClient, runtime: Runtime, pupr: str
) -> None:
    ticket = await insert_complaint(runtime, "PUPR", description=XSS)
    await login(client, pupr)
    page = await client.get(f"/dashboard/complaints/{ticket}")
    csrf = csrf_of(page.text)

    changed = await client.post(
        f"/dashboard/complaints/{ticket}/status",
        data={
            "csrf": csrf,
            "status": "verified",
            "note": "Segera kami cek",
            "internal_note": "<b>catatan</b>",
        },
    )
    illegal = await client.post(
        f"/dashboard/complaints/{ticket}/status", data={"csrf": csrf, "status": "closed"}
    )
    shown = await client.get(changed.headers["location"])

    assert "&lt;script&gt;" in page.text and "<script>window" not in page.text
    assert changed.status_code == 303 and changed.headers["location"].endswith("?ok=status")
    assert illegal.status_code == 409 and "tidak dapat diubah menjadi selesai" in illegal.text
    assert "Status diperbarui" in shown.text and "Terverifikasi" in shown.text
    assert "&lt;b&gt;catatan&lt;/b&gt;" in shown.text


async def test_other_agencies_complaints_are_not_found(
    client: httpx.AsyncClient, runtime: Runtime, pupr: str
) -> None:
    theirs = await insert_complaint(runtime, "KEMENKES")
    await login(client, pupr)
    csrf = csrf_of((await client.get("/dashboard/")).text)

    page = await client.get(f"/dashboard/complaints/{theirs}")
    action = await client.post(
        f"/dashboard/complaints/{theirs}/status", data={"csrf": csrf, "status": "verified"}
    )

    assert page.status_code == action.status_code == 404


async def test_attachments_are_served_as_inert_images(
    client: httpx.AsyncClient, runtime: Runtime, pupr: str
) -> None:
    ticket = await insert_complaint(runtime, "PUPR")
    async with runtime.sessions() as session:
        complaint_id = await session.scalar(select(Complaint.id).where(Complaint.ticket == ticket))
        image = Attachment(
            conversation_id="x", complaint_id=complaint_id, content_type="image/png", size=8, sha256="0" * 64,
            content=b"\x89PNG\r\n\x1a\n", created_at=runtime.clock(),
        )  # fmt: skip
        document = Attachment(
            conversation_id="x", complaint_id=complaint_id, content_type="application/pdf", size=5,
            sha256="1" * 64, content=b"%PDF-", created_at=runtime.clock(),
        )  # fmt: skip
        session.add_all([image, document])
        await session.commit()
    await login(client, pupr)

    page = await client.get(f"/dashboard/complaints/{ticket}")
    png = await client.get(f"/dashboard/complaints/{ticket}/attachments/{image.id}")
    pdf = await client.get(f"/dashboard/complaints/{ticket}/attachments/{document.id}")

    assert f'<img src="/dashboard/complaints/{ticket}/attachments/{image.id}"' in page.text
    assert png.headers["content-type"] == "image/png" and png.headers["x-content-type-options"] == "nosniff"
    assert png.content == b"\x89PNG\r\n\x1a\n"
    assert pdf.headers["content-type"] == "application/octet-stream"
    assert pdf.headers["content-disposition"].startswith("attachment")


async def test_logout_ends_the_session(client: httpx.AsyncClient, runtime: Runtime, pupr: str) -> None:
    await login(client, pupr)
    cookie = client.cookies["lapor_session"]
    csrf = csrf_of((await client.get("/dashboard/")).text)

    out = await client.post("/dashboard/logout", data={"csrf": csrf})
    client.cookies.set("lapor_session", cookie, path="/dashboard")  # a stolen copy of the cookie
    after = await client.get("/dashboard/")

    assert out.status_code == 303 and after.status_code == 303


async def test_identity_shown_only_on_request_and_audited(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await officer(runtime, "t@pupr.go.id", agency="PUPR", password=PASSWORD, identity_access=True)
    ticket = await insert_complaint(runtime, "PUPR", address="rest:budi-santoso")
    await login(client, "t@pupr.go.id")

    page = await client.get(f"/dashboard/complaints/{ticket}")
    shown = await client.post(f"/dashboard/complaints/{ticket}/identity", data={"csrf": csrf_of(page.text)})

    assert "rest:budi-santoso" not in page.text
    assert shown.status_code == 200 and "rest:budi-santoso" in shown.text
    async with runtime.sessions() as session:
        views = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "identity_view"))).all()
    assert len(views) == 1
