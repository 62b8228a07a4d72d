"""Visit compliance (R13-R15) as SQL annotations on a household queryset.

For each household, on a day ``on``:
- R13 ``initial_ok``: visited within the first N days of the stationed team's term
  (day 1 is ``term_start``, so day N is ``term_start + N - 1``). Until a first visit
  since the term started, the initial visit is due on day N.
- R14 ``year_visits``: visits in ``on``'s calendar year up to ``on``. The year's visits are
  spread evenly: with 2 a year the first is due by 30 June, the second by 31 December.
- R15 ``quarter_ok``: for key households, a visit in ``on``'s quarter; due by quarter end.
- ``due_date``: the earliest open deadline; ``overdue`` when it has passed.

Everything is computed by the database (Exists / Subquery / Case), never a Python loop
over households, so a list of 200,000 households stays one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least

from core.periods import QUARTER, YEAR, period_containing
from households.querysets import key_q
from teams import policies
from teams.policies import policy_int

FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class Period:
    """The calendar year and quarter around ``on`` (``core.periods``), and the policy
    numbers in force."""

    on: date
    initial_days: int
    per_year: int
    per_quarter: int

    @classmethod
    def for_day(cls, on: date) -> Period:
        return cls(
            on=on,
            initial_days=policy_int(policies.VISIT_INITIAL_DAYS, on),
            per_year=policy_int(policies.VISITS_PER_YEAR, on),
            per_quarter=policy_int(policies.KEY_VISITS_PER_QUARTER, on),
        )

    @property
    def year_start(self) -> date:
        return period_containing(YEAR, self.on).start

    @property
    def quarter_start(self) -> date:
        return period_containing(QUARTER, self.on).start

    @property
    def quarter_end(self) -> date:
        return period_containing(QUARTER, self.on).end

    def year_deadline(self, done: int) -> date:
        """When visit number ``done + 1`` of the year is due (R14, spread evenly)."""
        return period_containing(YEAR, self.on).spread_deadline(done, self.per_year)


def _count_visits(start: date, end: date) -> Subquery:
    from households.models import Visit

    rows = (
        Visit.objects.filter(household=OuterRef("pk"), date__gte=start, date__lte=end)
        .order_by()
        .values("household")
        .annotate(n=_count())
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _count():
    from django.db.models import Count

    return Count("pk")


def with_compliance(households: QuerySet, *, on: date, period: Period | None = None) -> QuerySet:
    """Annotate R13-R15 compliance, the due date and the overdue flag on ``households``."""
    from households.models import Visit

    period = period or Period.for_day(on)
    # The stationed team's term start, joined rather than a subquery so that the many
    # references below stay one column. R3 allows one active team per village; the
    # outgoing team of a rotation is "handover" and counts only when no active one has
    # started yet (R8).
    joined = {
        "active_team": FilteredRelation(
            "village__teams",
            condition=Q(village__teams__status="active", village__teams__term_start__lte=on),
        ),
        "handover_team": FilteredRelation(
            "village__teams",
            condition=Q(village__teams__status="handover", village__teams__term_start__lte=on),
        ),
    }
    visits = Visit.objects.filter(household=OuterRef("pk"), date__lte=on)
    initial_last_day = Cast(
        ExpressionWrapper(
            F("term_start") + timedelta(days=period.initial_days - 1),
            output_field=DateTimeField(),
        ),
        DateField(),
    )
    year_cases = [
        When(year_visits=done, then=Value(period.year_deadline(done)))
        for done in range(period.per_year)
    ]
    qs = households.annotate(**joined).annotate(
        term_start=Coalesce(
            "active_team__term_start", "handover_team__term_start", output_field=DateField()
        ),
        initial_last_day=initial_last_day,
        is_key_household=ExpressionWrapper(key_q(), output_field=BooleanField()),
        visited_in_term=Exists(visits.filter(date__gte=OuterRef("term_start"))),
        initial_ok=Exists(
            visits.filter(date__gte=OuterRef("term_start"), date__lte=OuterRef("initial_last_day"))
        ),
        year_visits=_count_visits(period.year_start, on),
        quarter_visits=_count_visits(period.quarter_start, on),
        last_visit=Subquery(visits.order_by("-date").values("date")[:1]),
    )
    qs = qs.annotate(
        quarter_ok=Q(quarter_visits__gte=period.per_quarter),
        year_ok=Q(year_visits__gte=period.per_year),
        initial_due=Case(
            When(Q(term_start__isnull=False, visited_in_term=False), then=F("initial_last_day")),
            default=Value(None),
            output_field=DateField(),
        ),
        quarter_due=Case(
            When(
                Q(is_key_household=True, quarter_visits__lt=period.per_quarter),
                then=Value(period.quarter_end),
            ),
            default=Value(None),
            output_field=DateField(),
        ),
        year_due=Case(*year_cases, default=Value(None), output_field=DateField()),
    )
    qs = qs.annotate(
        due_sort=Least(
            Coalesce("initial_due", Value(FAR_FUTURE)),
            Coalesce("quarter_due", Value(FAR_FUTURE)),
            Coalesce("year_due", Value(FAR_FUTURE)),
            output_field=DateField(),
        )
    )
    return qs.annotate(
        overdue=ExpressionWrapper(Q(due_sort__lt=on), output_field=BooleanField()),
    )


def overdue_q(period: Period) -> Q:
    """The same test as ``due_sort < on``, cheaper inside aggregates over many households.

    A quarter's deadline is its last day, never before ``on``; the year's deadlines rise
    with each visit, so "the next yearly visit is late" is "fewer visits than deadlines
    already passed".
    """
    on = period.on
    passed = sum(1 for done in range(period.per_year) if period.year_deadline(done) < on)
    late = Q(initial_due__lt=on)
    if passed:
        late |= Q(year_visits__lt=passed)
    return late


def due_date(household) -> date | None:
    """The due date of an annotated household (None when nothing is due)."""
    value = household.due_sort
    return None if value is None or value == FAR_FUTURE else value


def coverage(households: QuerySet, *, on: date, period: Period | None = None) -> dict:
    """Initial %, yearly % and key-quarter % over a household queryset (one query)."""
    from django.db.models import Count

    period = period or Period.for_day(on)
    totals = with_compliance(households, on=on, period=period).aggregate(
        total=Count("pk"),
        initial=Count("pk", filter=Q(initial_ok=True)),
        yearly=Count("pk", filter=Q(year_visits__gte=period.per_year)),
        key_total=Count("pk", filter=key_q()),
        key_quarter=Count("pk", filter=key_q() & Q(quarter_visits__gte=period.per_quarter)),
        overdue=Count("pk", filter=overdue_q(period)),
    )
    return with_percentages(totals)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def with_percentages(row: dict) -> dict:
    row = dict(row)
    row["initial_pct"] = _pct(row["initial"], row["total"])
    row["yearly_pct"] = _pct(row["yearly"], row["total"])
    row["key_quarter_pct"] = _pct(row["key_quarter"], row["key_total"])
    return row


def coverage_by(
    households: QuerySet, *, on: date, fields: list[str], period: Period | None = None
) -> list[dict]:
    """Coverage grouped by ``fields`` (e.g. village, banner): one GROUP BY query."""
    from django.db.models import Count

    period = period or Period.for_day(on)
    rows = (
        with_compliance(households, on=on, period=period)
        .order_by()
        .values(*fields)
        .annotate(
            total=Count("pk"),
            initial=Count("pk", filter=Q(initial_ok=True)),
            yearly=Count("pk", filter=Q(year_visits__gte=period.per_year)),
            key_total=Count("pk", filter=key_q()),
            key_quarter=Count("pk", filter=key_q() & Q(quarter_visits__gte=period.per_quarter)),
            overdue=Count("pk", filter=overdue_q(period)),
        )
        .order_by(*fields)
    )
    return [with_percentages(row) for row in rows]
