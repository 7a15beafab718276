"""The monthly report for planning: per agency or the whole deployment, HTML and PDF.

Figures come from ``stats.statistics``; examples of resolved cases carry no
personal data: only category, kabupaten/kota, working days to resolution and
the title with phones, NIKs and e-mails masked; confidential reports are never
examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.privacy import mask_text
from bot.core.workdays import working_days_between
from bot.engine.dates import format_date, local_date
from bot.insights import figures
from bot.insights.models import Statistics
from bot.insights.period import Period
from bot.insights.scope import Selection
from bot.insights.stats import statistics
from bot.officers import labels
from bot.officers.auth import Principal, Role
from bot.officers.queries import ComplaintFilter
from storage.models import Agency, Complaint

EXAMPLES = 5
HERE = Path(__file__).parent


@dataclass(frozen=True, slots=True)
class Example:
    category: str
    regency: str
    title: str
    working_days: int


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    agency: Agency | None
    period: Period
    stats: Statistics
    examples: list[Example]
    generated: datetime


def reader_for(agency: Agency | None) -> Principal:
    """The report reads as an officer of ``agency`` (or an admin for the deployment)."""
    if agency is None:
        return Principal(0, "report", Role.ADMIN, None, identity_access=False)
    return Principal(0, "report", Role.OFFICER, agency.id, identity_access=False)


async def examples(session: AsyncSession, sel: Selection, limit: int = EXAMPLES) -> list[Example]:
    """Resolved, non-confidential complaints of the period, quickest first."""
    rows = (
        await session.execute(
            select(Complaint.category, Complaint.regency_name, Complaint.title, Complaint.created_at,
                   Complaint.resolved_at)
            .where(*sel.where(), Complaint.resolved_at.is_not(None), Complaint.confidential.is_(False))
            .order_by(Complaint.resolved_at.desc())
            .limit(limit * 4)
        )
    ).all()  # fmt: skip
    found = [
        Example(c, r or "-", mask_text(t), working_days_between(local_date(made), local_date(done)))
        for c, r, t, made, done in rows
        if done is not None
    ]
    return sorted(found, key=lambda e: e.working_days)[:limit]


async def monthly(session: AsyncSession, agency_code: str | None, month: str, now: datetime) -> MonthlyReport:
    """The report of ``month`` ("2026-11") for ``agency_code``, or the whole deployment."""
    period = Period.month(month)
    agency = None
    if agency_code:
        agency = await session.scalar(select(Agency).where(Agency.code == agency_code.strip().upper()))
        if agency is None:
            raise LookupError(f"no agency with code {agency_code!r}")
    sel = Selection(reader_for(agency), period, local_date(now), ComplaintFilter())
    return MonthlyReport(agency, period, await statistics(session, sel), await examples(session, sel), now)


def category_names() -> dict[str, str]:
    from dialogues.texts import load_texts
    from nlu.types import CATEGORIES

    texts = load_texts()
    return {c: texts.render(f"category.{c}", "id") for c in CATEGORIES}


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined)
    env.filters["day"] = lambda d: format_date(d, "id") if isinstance(d, date) else "-"
    env.globals.update(labels=labels, percent=figures.percent, stages=figures.STAGES, metrics=figures.METRICS)
    return env


ENV = _environment()


def to_html(report: MonthlyReport, categories: dict[str, str]) -> str:
    charts = figures.figures(report.stats, categories)
    return ENV.get_template("monthly.html").render(
        r=report, s=report.stats, charts=charts, categories=categories
    )


def to_pdf(html: str) -> bytes:
    """The printable page as PDF (WeasyPrint; nothing is fetched: the page has no external resources)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=None).write_pdf()
    return pdf
