"""Household figures of teams and cadres for a period, for ``core.figures`` (R13-R15, R33).

Visit coverage is ``households.compliance``'s, judged on the period's last day, grouped by
village in one query; a team's figures are its village's. A constant number of queries
whatever the number of teams.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from households import compliance
from households.models import POOR_STATUSES, Household, Pairing, Visit
from teams.models import Team


def team_figures(*, ids, start: date, end: date) -> dict[int, dict]:
    villages = dict(Team.objects.filter(pk__in=ids).values_list("pk", "village_id"))
    households = Household.objects.filter(village_id__in=set(villages.values()))
    coverage = {
        row["village_id"]: row
        for row in compliance.coverage_by(households, on=end, fields=["village_id"])
    }
    open_pairing = Exists(
        Pairing.objects.filter(
            household=OuterRef("pk"), start_date__lte=end, end_date__isnull=True
        )
    )
    poor = {
        row["village_id"]: row
        for row in households.values("village_id")
        .annotate(
            poor_total=Count("pk", filter=Q(poverty_status__in=POOR_STATUSES)),
            # R33: a poor or monitored household without an open pairing.
            poor_unpaired=Count(
                "pk", filter=Q(poverty_status__in=POOR_STATUSES) & ~Q(open_pairing)
            ),
        )
        .order_by()
    }
    visits = dict(
        Visit.objects.filter(team_id__in=ids, date__range=(start, end))
        .values("team_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("team_id", "n")
    )
    out = {}
    for pk in ids:
        village_id = villages.get(pk)
        cover = coverage.get(village_id, {})
        total = cover.get("total", 0)
        out[pk] = {
            "households": total,
            "visits": visits.get(pk, 0),
            # R13: a first visit within the first N days of the term.
            "r13_met": cover.get("initial", 0),
            "r13_due": total,
            # R14: the year's visits (per policy) made by the period's end.
            "r14_met": cover.get("yearly", 0),
            "r14_coverage": round(cover.get("yearly", 0) / total, 4) if total else None,
            # R15: key households visited in the quarter of the period's end.
            "r15_key_met": cover.get("key_quarter", 0),
            "r15_key_due": cover.get("key_total", 0),
            "overdue": cover.get("overdue", 0),
            "poor_total": poor.get(village_id, {}).get("poor_total", 0),
            "poor_unpaired": poor.get(village_id, {}).get("poor_unpaired", 0),
        }
    return out


def cadre_figures(*, ids, start: date, end: date) -> dict[int, dict]:
    """Visits the cadre went on, and the households paired with them (R33) at the end."""
    visits = dict(
        Visit.objects.filter(visitors__in=ids, date__range=(start, end))
        .values("visitors")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
        .values_list("visitors", "n")
    )
    paired = dict(
        Pairing.objects.filter(cadre_id__in=ids, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=end))
        .values("cadre_id")
        .annotate(n=Count("household_id", distinct=True))
        .order_by()
        .values_list("cadre_id", "n")
    )
    return {
        pk: {"visits": visits.get(pk, 0), "paired_households": paired.get(pk, 0)} for pk in ids
    }
