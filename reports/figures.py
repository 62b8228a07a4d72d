"""Ledger and report figures of teams and cadres for a period, for ``core.figures``.

The minimums are ``reports.compliance``'s (R10, R12, R16, R26, R29, R30), each a policy row
read on the period's last day; reports on time follow R19's deadlines. A constant number of
queries whatever the number of teams.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone

from core.periods import MONTH, period_containing, term
from reports.models import (
    CaseStatus,
    Errand,
    ErrandStatus,
    LedgerKind,
    LedgerRecord,
    Report,
    ReportStatus,
)
from teams import policies
from teams.models import Team
from teams.policies import policy_int

COUNTED_KINDS = {
    "diary_entries": LedgerKind.DIARY,
    "research_reports": LedgerKind.RESEARCH,  # R16
    "trainings": LedgerKind.TRAINING,  # R26
}


def team_figures(*, ids, start: date, end: date) -> dict[int, dict]:
    today = timezone.localdate()
    teams = {
        team.pk: team
        for team in Team.objects.filter(pk__in=ids).only("village_id", "term_start", "term_end")
    }
    study_min = policy_int(policies.STUDY_SESSIONS_MIN_PER_MONTH, end)
    service_min = policy_int(policies.SERVICE_DAYS_MIN_PER_WEEK, end)
    share_pct = policy_int(policies.PRACTICAL_PROJECT_MIN_SHARE_PCT, end)
    records = LedgerRecord.objects.filter(team_id__in=ids, date__range=(start, end))

    counts = Counter()
    dated = defaultdict(list)  # (team, kind) -> dates of R10 and R12 records
    practical = Counter()
    for team_id, kind, day, benefiting, households in records.values_list(
        "team_id", "kind", "date", "households_benefiting", "village_households"
    ):
        counts[team_id, kind] += 1
        if kind in (LedgerKind.STUDY, LedgerKind.SERVICE_DAY):
            dated[team_id, kind].append(day)
        # R30: integer arithmetic, so 79.9% never rounds up to 80%.
        if (
            kind == LedgerKind.PRACTICAL
            and households
            and benefiting is not None
            and benefiting * 100 >= share_pct * households
        ):
            practical[team_id] += 1
    # R29: a stable collective-economy project of the village, recorded by its end.
    collective = Counter(
        LedgerRecord.objects.filter(
            team__village_id__in={team.village_id for team in teams.values()},
            kind=LedgerKind.COLLECTIVE,
            is_stable_income=True,
            date__lte=end,
        ).values_list("team__village_id", flat=True)
    )
    disputes = {
        row["team_id"]: row
        for row in LedgerRecord.objects.filter(
            team_id__in=ids, kind=LedgerKind.DISPUTE, date__lte=end
        )
        .values("team_id")
        .annotate(
            open=Count("pk", filter=~Q(case_status=CaseStatus.RESOLVED, resolved_on__lte=end)),
            resolved=Count("pk", filter=Q(resolved_on__range=(start, end))),
        )
        .order_by()
    }
    errands = {
        row["team_id"]: row
        for row in Errand.objects.filter(team_id__in=ids, accepted_on__lte=end)
        .values("team_id")
        .annotate(
            open=Count("pk", filter=~Q(status=ErrandStatus.DONE, done_on__lte=end)),
            done=Count("pk", filter=Q(done_on__range=(start, end))),
        )
        .order_by()
    }
    # R19: reports due in the period, submitted by their deadline or not.
    reports = {
        row["team_id"]: row
        for row in Report.objects.filter(team_id__in=ids, deadline__range=(start, end))
        .values("team_id")
        .annotate(
            on_time=Count("pk", filter=Q(submitted_at__date__lte=F("deadline"))),
            late=Count(
                "pk",
                filter=Q(submitted_at__date__gt=F("deadline"))
                | Q(
                    submitted_at__isnull=True,
                    deadline__lt=today,
                    status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED),
                ),
            ),
        )
        .order_by()
    }

    out = {}
    for pk in ids:
        team = teams.get(pk)
        row = {name: counts[pk, kind] for name, kind in COUNTED_KINDS.items()}
        row.update(
            r10_months_met=0,
            r10_months=0,
            r12_service_weeks_met=0,
            r12_service_weeks=0,
            collective_projects=collective[team.village_id] if team else 0,
            practical_projects=practical[pk],
            errands_open=errands.get(pk, {}).get("open", 0),
            errands_done=errands.get(pk, {}).get("done", 0),
            disputes_open=disputes.get(pk, {}).get("open", 0),
            disputes_resolved=disputes.get(pk, {}).get("resolved", 0),
            reports_on_time=reports.get(pk, {}).get("on_time", 0),
            reports_late=reports.get(pk, {}).get("late", 0),
        )
        if team is not None:
            first, last = max(start, team.term_start), min(end, team.term_end)
            # R10: each month of the period inside the term needs the minimum of studies.
            month = period_containing(MONTH, first)
            while month.start <= last:
                row["r10_months"] += 1
                studies = sum(1 for day in dated[pk, LedgerKind.STUDY] if month.contains(day))
                row["r10_months_met"] += studies >= study_min
                month = month.next()
            # R12: each week (Monday to Sunday) of the term in the period needs a service day.
            for monday, sunday in term(first, last).weeks():
                row["r12_service_weeks"] += 1
                served = sum(
                    1 for day in dated[pk, LedgerKind.SERVICE_DAY] if monday <= day <= sunday
                )
                row["r12_service_weeks_met"] += served >= service_min
        out[pk] = row
    return out


def cadre_figures(*, ids, start: date, end: date) -> dict[int, dict]:
    """Ledger records a cadre took part in or is concerned by, and their research (R16)."""
    records = LedgerRecord.objects.filter(date__range=(start, end))
    research = dict(
        records.filter(kind=LedgerKind.RESEARCH, cadre_id__in=ids)
        .values("cadre_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("cadre_id", "n")
    )
    took_part = dict(
        records.filter(Q(participants__in=ids))
        .values("participants")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
        .values_list("participants", "n")
    )
    return {
        pk: {"research_reports": research.get(pk, 0), "ledger_records": took_part.get(pk, 0)}
        for pk in ids
    }
