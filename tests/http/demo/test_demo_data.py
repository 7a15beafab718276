"""Demo data: the officer and samples on start-up, and a reset that only a demo allows."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.http.demo.mode import DemoOnly, demo_settings
from bot.http.demo.reset import reset_demo
from bot.http.demo.samples import SAMPLES
from bot.http.demo.seed import DEMO_EMAIL, ensure_demo_data
from bot.runtime.process import Runtime
from bot.runtime.settings import SettingsError, load_settings
from connectors.messages import Inbound
from storage.models import Agency, Complaint, Reporter
from storage.officers_models import Officer
from tests.support.webchat import RuntimeFactory


async def _count(runtime: Runtime, model: type[object]) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _statuses(runtime: Runtime) -> dict[str, str]:
    async with runtime.sessions() as session:
        rows = (await session.execute(select(Complaint.ticket, Complaint.status))).all()
    return {ticket: status for ticket, status in rows}


async def test_a_demo_starts_with_an_officer_and_sample_complaints_in_several_states(
    make_runtime: RuntimeFactory,
) -> None:
    runtime = await make_runtime(demo=True)
    tickets = await ensure_demo_data(runtime)
    assert len(tickets) == len(SAMPLES)
    statuses = await _statuses(runtime)
    assert sorted(statuses) == sorted(tickets)
    assert sorted(statuses.values()) == ["in_progress", "received", "verified"]
    async with runtime.sessions() as session:
        officer = await session.scalar(select(Officer).where(Officer.email == DEMO_EMAIL))
    assert officer is not None and officer.role == "admin" and officer.password_hash
    assert await ensure_demo_data(runtime) == []  # once per database
    assert await _count(runtime, Complaint) == len(SAMPLES)


async def test_reset_starts_a_fresh_database_with_the_samples_back(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime(demo=True)
    first = await ensure_demo_data(runtime)
    for text in ("halo", "setuju"):
        await runtime.conversations.handle(Inbound("demo:whatsapp-abc", text, runtime.clock()))
    agencies = await _count(runtime, Agency)
    again = await reset_demo(runtime)
    assert len(again) == len(SAMPLES) and not set(again) & set(first)
    assert sorted(await _statuses(runtime)) == sorted(again)
    async with runtime.sessions() as session:
        phone = await session.scalar(select(Reporter).where(Reporter.address == "demo:whatsapp-abc"))
    assert phone is None
    assert await _count(runtime, Agency) == agencies  # seeded again
    assert await _count(runtime, Officer) == 1


async def test_outside_demo_mode_nothing_is_seeded_or_wiped(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime(demo=False)
    with pytest.raises(DemoOnly):
        await ensure_demo_data(runtime)
    await runtime.conversations.handle(Inbound("rest:budi", "halo", runtime.clock()))
    with pytest.raises(DemoOnly):
        await reset_demo(runtime)
    assert await _count(runtime, Reporter) == 1


def test_the_demo_runs_on_the_embedded_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = demo_settings()
    assert settings.demo is True
    assert settings.database_url == load_settings().database_url  # what `lapor complaints` reads
    assert settings.redis_url is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LAPOR_DATABASE_URL", "postgresql://prod.example/lapor"),
        ("LAPOR_REDIS_URL", "redis://prod.example:6379/0"),
    ],
)
def test_the_demo_refuses_a_configured_database_or_redis(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match="embedded defaults only"):
        demo_settings()


def test_the_telegram_bot_username_is_checked_and_normalised() -> None:
    assert load_settings(telegram_bot_username=" @LaporDemoBot ").telegram_bot_username == "LaporDemoBot"
    assert load_settings(telegram_bot_username="").telegram_bot_username is None
    with pytest.raises(SettingsError, match="LAPOR_TELEGRAM_BOT_USERNAME"):
        load_settings(telegram_bot_username="t.me/evil?x=1")
