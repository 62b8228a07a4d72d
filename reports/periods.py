"""Calendar periods (month, quarter, half year, year) that rules and reports refer to."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from core.params import MAX_YEAR, MIN_YEAR

MONTH, QUARTER, HALF, YEAR = "month", "quarter", "half", "year"
PERIOD_KINDS = [
    (MONTH, _("Month")),
    (QUARTER, _("Quarter")),
    (HALF, _("Half year")),
    (YEAR, _("Year")),
]
_MONTHS = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}


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
        return str(self.start.year)

    @property
    def label(self) -> str:
        return self.key

    def months(self) -> list[Period]:
        return [
            period_containing(MONTH, date(self.start.year, month, 1))
            for month in range(self.start.month, self.end.month + 1)
        ]

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        return period_containing(self.kind, self.end + timedelta(days=1))

    def previous(self) -> Period:
        return period_containing(self.kind, self.start - timedelta(days=1))


def period_containing(kind: str, day: date) -> Period:
    size = _MONTHS[kind]
    first_month = (day.month - 1) // size * size + 1
    last_month = first_month + size - 1
    last_day = calendar.monthrange(day.year, last_month)[1]
    return Period(kind, date(day.year, first_month, 1), date(day.year, last_month, last_day))


def parse_period(key: str) -> Period | None:
    """The inverse of ``Period.key``; None for anything else (0001Q1, 9999Q4 included)."""
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
