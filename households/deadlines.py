"""R13, R14 and R15 deadlines as a pure function of the team's start, the day (its year
and quarter) and the key flag, kept apart from the SQL in ``households.compliance``.

- R13: a team's first ``initial_days`` days are its first-visit window.
- R14: the year's visits are due only after that window; a team arriving mid-year owes a
  pro-rated count (the share of the year left after the window, rounded half up), spread
  evenly over the months that remain; a full year keeps 30 June and 31 December.
- R15: a key household is due by quarter end, unless the R13 window still runs then; the
  previous quarter counts as missed only when the team's window ended inside it or before.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class VisitDeadlines:
    initial_last_day: date | None
    year_required: int
    year_deadlines: tuple[date, ...]  # visit k of the year is due by year_deadlines[k - 1]
    quarter_due: date | None
    last_quarter_counts: bool


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_bounds(day: date) -> tuple[date, date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    return date(day.year, first_month, 1), _month_end(day.year, first_month + 2)


def initial_last_day(term_start: date, initial_days: int) -> date:
    """R13: day N of the term is ``term_start + N - 1``."""
    return term_start + timedelta(days=initial_days - 1)


def year_schedule(
    *, term_start: date | None, year: int, initial_days: int, per_year: int
) -> tuple[int, tuple[date, ...]]:
    """R14: how many visits ``year`` owes and when each is due."""
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    start = year_start
    if term_start is not None:
        start = max(year_start, initial_last_day(term_start, initial_days) + timedelta(days=1))
    if start > year_end:
        return 0, ()
    if start == year_start:
        required = per_year
    else:
        share = Decimal((year_end - start).days + 1) / Decimal((year_end - year_start).days + 1)
        required = int((per_year * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    months = 12 - start.month + 1
    deadlines = tuple(
        max(start, _month_end(year, start.month - 1 + max(1, months * k // max(required, 1))))
        for k in range(1, required + 1)
    )
    return required, deadlines


def visit_deadlines(
    *,
    term_start: date | None,
    on: date,
    key: bool,
    initial_days: int,
    per_year: int,
) -> VisitDeadlines:
    """The deadlines that apply on ``on`` to a household of a team that started on
    ``term_start`` (None: no stationed team)."""
    window_end = initial_last_day(term_start, initial_days) if term_start else None
    required, deadlines = year_schedule(
        term_start=term_start, year=on.year, initial_days=initial_days, per_year=per_year
    )
    quarter_start, quarter_end = quarter_bounds(on)
    quarter_due = None
    if key and (window_end is None or window_end <= quarter_end):
        quarter_due = quarter_end
    previous_end = quarter_start - timedelta(days=1)
    last_counts = window_end is not None and window_end <= previous_end
    return VisitDeadlines(
        initial_last_day=window_end,
        year_required=required,
        year_deadlines=deadlines,
        quarter_due=quarter_due,
        last_quarter_counts=last_counts,
    )


# --- The SQL side: the few term starts that differ from a full year, as CASE branches ----


@dataclass(frozen=True)
class TermDeadlines:
    """``visit_deadlines`` for every team start that matters on ``period.on``, turned into
    SQL expressions over a household queryset annotated with ``term_start``.

    Only teams whose R13 window reaches into the year differ from the full-year schedule,
    so the CASE has a branch for each such start date (a handful), never one per row.
    """

    on: date
    initial_days: int
    per_year: int
    default: tuple[int, tuple[date, ...]]
    special: dict

    @classmethod
    def for_period(cls, period) -> TermDeadlines:
        from teams.models import Team

        on, initial_days, per_year = period.on, period.initial_days, period.per_year
        earliest = date(on.year, 1, 1) - timedelta(days=initial_days - 1)
        starts = (
            Team.objects.stationed()
            .filter(term_start__gte=earliest, term_start__lte=on)
            .order_by()
            .values_list("term_start", flat=True)
            .distinct()
        )
        schedule = {
            start: year_schedule(
                term_start=start, year=on.year, initial_days=initial_days, per_year=per_year
            )
            for start in starts
        }
        default = year_schedule(
            term_start=None, year=on.year, initial_days=initial_days, per_year=per_year
        )
        return cls(on, initial_days, per_year, default, schedule)

    def _by_start(self, value_of, output_field):
        from django.db.models import Case, Value, When

        return Case(
            *[
                When(term_start=start, then=Value(value_of(schedule)))
                for start, schedule in self.special.items()
            ],
            default=Value(value_of(self.default)),
            output_field=output_field,
        )

    def required_expression(self):
        from django.db.models import IntegerField

        return self._by_start(lambda schedule: schedule[0], IntegerField())

    def passed_expression(self):
        """How many of the year's deadlines have passed on ``on``."""
        from django.db.models import IntegerField

        return self._by_start(
            lambda schedule: sum(1 for day in schedule[1] if day < self.on), IntegerField()
        )

    def year_due_expression(self):
        """The deadline of the next visit the year still owes (None when all are done)."""
        from django.db.models import Case, DateField, Value, When

        branches = []
        for start, (_required, days) in self.special.items():
            branches += [
                When(term_start=start, year_visits=done, then=Value(day))
                for done, day in enumerate(days)
            ]
            branches.append(When(term_start=start, then=Value(None)))
        branches += [
            When(year_visits=done, then=Value(day)) for done, day in enumerate(self.default[1])
        ]
        return Case(*branches, default=Value(None), output_field=DateField())

    def quarter_applies_q(self):
        """R15: the R13 window ends by the quarter's end (or there is no team)."""
        from django.db.models import Q

        _start, end = quarter_bounds(self.on)
        cutoff = end - timedelta(days=self.initial_days - 1)
        return Q(term_start__isnull=True) | Q(term_start__lte=cutoff)

    @property
    def last_quarter_end(self) -> date:
        return quarter_bounds(self.on)[0] - timedelta(days=1)

    @property
    def last_quarter_start(self) -> date:
        return quarter_bounds(self.last_quarter_end)[0]

    def last_quarter_counts_q(self):
        """R15: the last quarter was the team's to visit (its R13 window ended by then)."""
        from django.db.models import Q

        return Q(term_start__lte=self.last_quarter_end - timedelta(days=self.initial_days - 1))
