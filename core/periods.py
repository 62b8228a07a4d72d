"""The one calendar of the program: month, quarter, half year, year and a team's term.

Every rule that speaks of a period (R10 a month, R14 a year, R15 a quarter, R19 a report's
deadline, R20 a month's minimum) takes a ``Period`` from here. The deadline methods take the
policy numbers as arguments: ``core`` imports only Django, so policies are read above it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from core.params import MAX_YEAR, MIN_YEAR

MONTH, QUARTER, HALF, YEAR, TERM = "month", "quarter", "half", "year", "term"
PERIOD_KINDS = [
    (MONTH, _("Month")),
    (QUARTER, _("Quarter")),
    (HALF, _("Half year")),
    (YEAR, _("Year")),
]
_MONTHS = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    @property
    def key(self) -> str:
        """A short stable name, used in notification keys and URLs: 2026-03, 2026Q1 ..."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}Q{(self.start.month + 2) // 3}"
        if self.kind == HALF:
            return f"{self.start.year}H{1 if self.start.month <= 6 else 2}"
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}"

    @property
    def label(self) -> str:
        return self.key

    @property
    def length(self) -> int:
        """Days in the period, both ends included."""
        return (self.end - self.start).days + 1

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.length)]

    def months(self) -> list[Period]:
        """The calendar months the period touches, whole."""
        months, month = [], period_containing(MONTH, self.start)
        while month.start <= self.end:
            months.append(month)
            month = month.next()
        return months

    def weeks(self) -> list[tuple[date, date]]:
        """Weeks (Monday to Sunday) whose Monday falls within the period (R12)."""
        monday = self.start + timedelta(days=(7 - self.start.weekday()) % 7)
        weeks = []
        while monday <= self.end:
            weeks.append((monday, monday + timedelta(days=6)))
            monday += timedelta(days=7)
        return weeks

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def clip(self, start: date, end: date) -> Period | None:
        """The part of the period between ``start`` and ``end`` (a term, a membership)."""
        first, last = max(self.start, start), min(self.end, end)
        return Period(self.kind, first, last) if first <= last else None

    def next(self) -> Period:
        return period_containing(self.kind, self.end + ONE_DAY)

    def previous(self) -> Period:
        return period_containing(self.kind, self.start - ONE_DAY)

    # Deadlines the rules compute from a period.

    def due_after_end(self, days: int) -> date:
        """R19: a report is due ``days`` after its period ends."""
        return self.end + timedelta(days=days)

    def due_after_start(self, days: int) -> date:
        """R5: the work plan is due ``days`` into its year."""
        return self.start + timedelta(days=days)

    def first_days(self, days: int) -> Period:
        """R13: the first ``days`` days (day 1 is ``start``), e.g. the initial-visit window."""
        return Period(TERM, self.start, self.start + timedelta(days=days - 1))

    def spread_deadline(self, done: int, per_period: int) -> date:
        """R14: when occurrence ``done + 1`` of ``per_period`` spread evenly over the period's
        months is due: the last day of its share of months (2 a year: 30 June, 31 December)."""
        months = self.months()
        share = len(months) * (done + 1) // max(per_period, 1)
        if share >= len(months):
            return self.end
        return months[share - 1].end if share else self.start - ONE_DAY


def period_containing(kind: str, day: date) -> Period:
    size = _MONTHS[kind]
    first_month = (day.month - 1) // size * size + 1
    last_month = first_month + size - 1
    last_day = calendar.monthrange(day.year, last_month)[1]
    return Period(kind, date(day.year, first_month, 1), date(day.year, last_month, last_day))


def period_between(start: date, end: date) -> Period:
    """The calendar period that runs exactly from ``start`` to ``end``, else a span."""
    for kind in (MONTH, QUARTER, HALF, YEAR):
        period = period_containing(kind, start)
        if period.start == start and period.end == end:
            return period
    return term(start, end)


def term(start: date, end: date) -> Period:
    """A team's term (R7) or any span of days as a period."""
    return Period(TERM, start, end)


def parse_period(key: str) -> Period | None:
    """The inverse of ``Period.key`` for calendar periods; None for anything else
    (0001Q1 and 9999Q4 included: years outside the calendar the app accepts)."""
    if not key[:4].isdigit() or not MIN_YEAR <= int(key[:4]) <= MAX_YEAR:
        return None
    try:
        if "Q" in key:
            year, quarter = key.split("Q")
            return period_containing(QUARTER, date(int(year), int(quarter) * 3, 1))
        if "H" in key:
            year, half = key.split("H")
            return period_containing(HALF, date(int(year), int(half) * 6, 1))
        if "-" in key:
            year, month = key.split("-")
            return period_containing(MONTH, date(int(year), int(month), 1))
        return period_containing(YEAR, date(int(key), 1, 1))
    except (ValueError, TypeError, OverflowError):
        return None


# Month shorthands for the attendance grid (R20, R34): a month is named by any of its days.


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_days(month: date) -> list[date]:
    return period_containing(MONTH, month).days()


def previous_month(day: date) -> date:
    return month_start(month_start(day) - ONE_DAY)
