"""The complaints a statistic counts: the officer's scope, the list filters, the period."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from bot.insights.period import Period
from bot.officers.auth import Principal, Role
from bot.officers.queries import ComplaintFilter, conditions
from bot.officers.scope import visible


@dataclass(frozen=True, slots=True)
class Selection:
    """Who asks, over which period, with which list filters (agency, category, region...)."""

    who: Principal
    period: Period
    today: date
    filters: ComplaintFilter = field(default_factory=ComplaintFilter)

    def where(self) -> list[ColumnElement[bool]]:
        """Scope, filters and "created within the period", all in SQL."""
        dated = replace(self.filters, created_from=self.period.start, created_to=self.period.end)
        return [visible(self.who), *conditions(dated, self.today)]

    def where_now(self) -> list[ColumnElement[bool]]:
        """Scope and filters without the period (what is overdue today)."""
        undated = replace(self.filters, created_from=None, created_to=None)
        return [visible(self.who), *conditions(undated, self.today)]

    def key(self) -> tuple[object, ...]:
        """What decides the figures: the scope (not the person), the period, the filters, today."""
        who = self.who
        scope = None if who.all_agencies else who.agency_id
        return (scope, who.role is Role.VIEWER, self.period, self.filters, self.today)


def dialect_of(session: AsyncSession) -> str:
    return session.get_bind().dialect.name
