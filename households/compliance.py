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

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least

from core.periods import QUARTER, YEAR, period_containing
from households import deadlines
from households.querysets import key_q
from teams import policies
from teams.policies import policy_ints
from teams.statuses import TeamStatus

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
        values = policy_ints(
            [
                policies.VISIT_INITIAL_DAYS,
                policies.VISITS_PER_YEAR,
                policies.KEY_VISITS_PER_QUARTER,
            ],
            on,
        )
        return cls(
            on=on,
            initial_days=values[policies.VISIT_INITIAL_DAYS],
            per_year=values[policies.VISITS_PER_YEAR],
            per_quarter=values[policies.KEY_VISITS_PER_QUARTER],
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


def with_term(households: QuerySet, *, period: Period) -> QuerySet:
    """``term_start`` of the stationed team and ``initial_last_day``, the R13 deadline."""
    on = period.on
    # The stationed team's term start, joined rather than a subquery so that the many
    # references below stay one column. R3 allows one active team per village; the
    # outgoing team of a rotation is "handover" and counts only when no active one has
    # started yet (R8).
    joined = {
        "active_team": FilteredRelation(
            "village__teams",
            condition=Q(
                village__teams__status=TeamStatus.ACTIVE, village__teams__term_start__lte=on
            ),
        ),
        "handover_team": FilteredRelation(
            "village__teams",
            condition=Q(
                village__teams__status=TeamStatus.HANDING_OVER, village__teams__term_start__lte=on
            ),
        ),
    }
    return (
        households.annotate(**joined)
        .annotate(
            term_start=Coalesce(
                "active_team__term_start", "handover_team__term_start", output_field=DateField()
            )
        )
        .annotate(initial_last_day=initial_deadline(F("term_start"), period=period))
    )


def initial_deadline(term_start, *, period: Period):
    """R13: the last day of the initial visit, day N of the term (day 1 is term_start)."""
    return Cast(
        ExpressionWrapper(
            term_start + timedelta(days=period.initial_days - 1),
            output_field=DateTimeField(),
        ),
        DateField(),
    )


def visit_counts(households: QuerySet, *, period: Period) -> QuerySet:
    """Per household (annotated ``with_term``), its visits counted in one pass:
    ``year_visits``, ``quarter_visits``, ``last_quarter_visits``, ``term_visits``,
    ``initial_visits`` and ``last_visit``, all up to ``period.on``."""
    on = period.on
    last_end = period.quarter_start - timedelta(days=1)
    last_start = deadlines.quarter_bounds(last_end)[0]
    in_term = Q(visits__date__gte=F("term_start"), visits__date__lte=on)
    return households.annotate(
        year_visits=Count(
            "visits__date", filter=Q(visits__date__gte=period.year_start, visits__date__lte=on)
        ),
        quarter_visits=Count(
            "visits__date", filter=Q(visits__date__gte=period.quarter_start, visits__date__lte=on)
        ),
        last_quarter_visits=Count(
            "visits__date", filter=Q(visits__date__gte=last_start, visits__date__lte=last_end)
        ),
        term_visits=Count("visits__date", filter=in_term),
        initial_visits=Count(
            "visits__date", filter=in_term & Q(visits__date__lte=F("initial_last_day"))
        ),
        last_visit=Max("visits__date", filter=Q(visits__date__lte=on)),
    )


def with_compliance(households: QuerySet, *, on: date, period: Period | None = None) -> QuerySet:
    """Annotate R13-R15 compliance, the due date and the overdue flag on ``households``.

    The visit counts come from one join and GROUP BY per household (``visit_counts``):
    each later annotation refers to an aggregate PostgreSQL computes once, where a
    subquery would be evaluated again at every reference. The deadlines are those of
    ``households.deadlines`` (R13 window, R14 pro-rated after it, R15)."""
    period = period or Period.for_day(on)
    terms = deadlines.TermDeadlines.for_period(period)
    qs = visit_counts(with_term(households, period=period), period=period).annotate(
        is_key_household=ExpressionWrapper(key_q(), output_field=BooleanField()),
        visited_in_term=ExpressionWrapper(Q(term_visits__gt=0), output_field=BooleanField()),
        initial_ok=ExpressionWrapper(Q(initial_visits__gt=0), output_field=BooleanField()),
    )
    qs = qs.annotate(
        # R14: the year's count is pro-rated for a team arriving this year (deadlines.py).
        year_required=terms.required_expression(),
        year_passed=terms.passed_expression(),
    )
    qs = qs.annotate(
        quarter_ok=Q(quarter_visits__gte=period.per_quarter),
        year_ok=Q(year_visits__gte=F("year_required")),
        initial_due=Case(
            When(Q(term_start__isnull=False, visited_in_term=False), then=F("initial_last_day")),
            default=Value(None),
            output_field=DateField(),
        ),
        quarter_due=Case(
            When(
                Q(is_key_household=True, quarter_visits__lt=period.per_quarter)
                & terms.quarter_applies_q(),
                then=Value(period.quarter_end),
            ),
            default=Value(None),
            output_field=DateField(),
        ),
        year_due=terms.year_due_expression(),
        # R15: a key household that missed the last quarter shows as missed.
        missed_last_quarter=ExpressionWrapper(
            Q(is_key_household=True, last_quarter_visits__lt=period.per_quarter)
            & terms.last_quarter_counts_q(),
            output_field=BooleanField(),
        ),
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
    return Q(initial_due__lt=period.on) | Q(year_visits__lt=F("year_passed"))


def due_date(household) -> date | None:
    """The due date of an annotated household (None when nothing is due)."""
    value = household.due_sort
    return None if value is None or value == FAR_FUTURE else value


def coverage(households: QuerySet, *, on: date, period: Period | None = None) -> dict:
    """Initial %, yearly % and key-quarter % over a household queryset (one query)."""
    return coverage_by(households, on=on, fields=[], period=period)[0]


# Bump when the computation changes, so kept rows are recomputed (VillageCoverage.key).
COVERAGE_VERSION = 2  # 2: R13-R15 deadlines of households.deadlines
COUNTS = ("total", "initial", "yearly", "key_total", "key_quarter", "overdue")


def village_term_start(on: date):
    """A village's stationed term start on ``on``, as ``with_term`` joins it: the active
    team's, else the outgoing (handover) team's (R3, R8)."""
    from teams.models import Team

    def term(status: str) -> Subquery:
        teams = Team.objects.filter(village=OuterRef("pk"), status=status, term_start__lte=on)
        return Subquery(teams.order_by("pk").values("term_start")[:1])

    return Coalesce(
        term(TeamStatus.ACTIVE), term(TeamStatus.HANDING_OVER), output_field=DateField()
    )


def village_coverage(village_ids, *, on: date, period: Period | None = None) -> dict[int, dict]:
    """Coverage counts per village (``COUNTS``), from the kept ``VillageCoverage`` rows;
    rows missing or computed with another day, term start or policy numbers are
    recomputed in one single-pass query and kept (the city page reads 800 rows)."""
    from households.models import Household, VillageCoverage
    from teams.models import Village

    period = period or Period.for_day(on)
    numbers = (period.initial_days, period.per_year, period.per_quarter)
    result, stale = {}, {}
    rows = (
        Village.objects.filter(pk__in=list(village_ids))
        .annotate(term_start=village_term_start(on))
        .values("pk", "term_start", "visit_coverage__on", "visit_coverage__key")
        .annotate(**{name: F(f"visit_coverage__{name}") for name in COUNTS})
    )
    for row in rows:
        key = f"v{COVERAGE_VERSION}|{row['term_start']}|{numbers}"
        if row["visit_coverage__on"] == on and row["visit_coverage__key"] == key:
            result[row["pk"]] = {name: row[name] for name in COUNTS}
        else:
            stale[row["pk"]] = key
    if stale:
        fresh = {vid: dict.fromkeys(COUNTS, 0) for vid in stale}
        for row in coverage_by(
            Household.objects.filter(village_id__in=list(stale)),
            on=on,
            fields=["village_id"],
            period=period,
        ):
            fresh[row["village_id"]] = {name: row[name] for name in COUNTS}
        VillageCoverage.objects.bulk_create(
            [
                VillageCoverage(village_id=vid, on=on, key=stale[vid], **row)
                for vid, row in fresh.items()
            ],
            update_conflicts=True,
            unique_fields=["village"],
            update_fields=["on", "key", *COUNTS, "computed_at"],
            batch_size=1000,
        )
        result.update(fresh)
    return result


def standings(
    households: QuerySet,
    *,
    period: Period,
    fields: dict[str, str],
    terms: deadlines.TermDeadlines | None = None,
) -> QuerySet:
    """One row per household with its visit counts, from one pass over its visits (a
    join and GROUP BY, not five correlated subqueries a household): ``year_visits``,
    ``quarter_visits``, ``term_visits``, ``initial_visits``, ``is_key``, the R13
    ``term_start``/``initial_last_day``, the R14 ``year_required``/``year_passed`` of the
    team's start (``households.deadlines``) and the grouping ``fields`` as g0, g1, ..."""
    terms = terms or deadlines.TermDeadlines.for_period(period)
    return visit_counts(
        with_term(households, period=period)
        .order_by()
        .values(
            "pk",
            "term_start",
            "initial_last_day",
            is_key=ExpressionWrapper(key_q(), output_field=BooleanField()),
            year_required=terms.required_expression(),
            year_passed=terms.passed_expression(),
            **{f"g{i}": F(name) for i, name in enumerate(fields.values())},
        ),
        period=period,
    )


def coverage_by(
    households: QuerySet, *, on: date, fields: list[str], period: Period | None = None
) -> list[dict]:
    """Coverage grouped by ``fields`` (e.g. village, banner): visits are aggregated per
    household in one pass, then grouped (one query). The counts agree with
    ``with_compliance`` row by row (tests/households/test_coverage_rewrite.py)."""
    period = period or Period.for_day(on)
    names = {f"g{i}": name for i, name in enumerate(fields)}
    counts = ["total", "initial", "yearly", "key_total", "key_quarter", "overdue"]
    try:
        inner_sql, params = standings(
            households, period=period, fields=names
        ).query.sql_with_params()
    except EmptyResultSet:  # households.none()
        return [] if names else [with_percentages(dict.fromkeys(counts, 0))]
    group = ", ".join(f"s.{alias}" for alias in names)
    select = "".join(f"s.{alias}, " for alias in names)
    # R13 late: no visit yet in the term and day N has passed; R14 late: fewer visits
    # than the year's deadlines already passed for the team's start (overdue_q, the same
    # test); R14 met: the year's count, pro-rated for a team arriving this year.
    sql = f"""
        SELECT {select}
            COUNT(*) AS total,
            SUM(CASE WHEN s.initial_visits > 0 THEN 1 ELSE 0 END) AS initial,
            SUM(CASE WHEN s.year_visits >= s.year_required THEN 1 ELSE 0 END) AS yearly,
            SUM(CASE WHEN s.is_key THEN 1 ELSE 0 END) AS key_total,
            SUM(CASE WHEN s.is_key AND s.quarter_visits >= %s THEN 1 ELSE 0 END)
                AS key_quarter,
            SUM(CASE WHEN (s.term_start IS NOT NULL AND s.term_visits = 0
                           AND s.initial_last_day < %s)
                          OR s.year_visits < s.year_passed
                     THEN 1 ELSE 0 END) AS overdue
        FROM ({inner_sql}) s
        {f"GROUP BY {group} ORDER BY {group}" if names else ""}"""
    params = (period.per_quarter, on, *params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [*names.values(), *counts]
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
    if not names and not rows[0]["total"]:
        rows = [dict.fromkeys(columns[len(names) :], 0)]
    for row in rows:
        for name in columns[len(names) :]:
            row[name] = int(row[name] or 0)
    return [with_percentages(row) for row in rows]


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def with_percentages(row: dict) -> dict:
    row = dict(row)
    row["initial_pct"] = _pct(row["initial"], row["total"])
    row["yearly_pct"] = _pct(row["yearly"], row["total"])
    row["key_quarter_pct"] = _pct(row["key_quarter"], row["key_total"])
    return row
