"""Compliance per team and period, computed from the ledger, never typed in.

R10 (study sessions a month), R12 (a service day a week), R16 (a research report a year per
cadre), R26 (villager trainings a year), R29 (a stable collective-economy project) and R30
(a practical project a year reaching a share of the village's households). Every minimum is
a policy row. A handful of queries serve any number of teams, so the office's roll-up costs
the same as one team's page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reports.models import LedgerKind, LedgerRecord
from reports.periods import MONTH, YEAR, Period, period_containing
from teams.models import Membership, Team
from teams.policies import policy_int
from teams.village_figures import household_counts

MET, DUE, MISSED = "met", "due", "missed"
# A context keeps these short words apart from the same words in other catalogues.
STATUS_LABELS = {
    MET: pgettext_lazy("minimum status", "Met"),
    DUE: pgettext_lazy("minimum status", "Due"),
    MISSED: pgettext_lazy("minimum status", "Missed"),
}

RULES = {
    "R10": _("Study sessions a month"),
    "R12": _("A service day every week"),
    "R16": _("Research report a year per cadre"),
    "R26": _("Villager trainings a year"),
    "R29": _("Stable collective-economy project"),
    "R30": _("Practical project reaching most households"),
}


@dataclass
class RuleResult:
    rule: str
    actual: int
    required: int
    status: str
    detail: str = ""

    @property
    def label(self) -> str:
        return str(RULES[self.rule])

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class TeamCompliance:
    team: Team
    period: Period
    results: list[RuleResult] = field(default_factory=list)

    def by_rule(self) -> dict[str, RuleResult]:
        return {result.rule: result for result in self.results}

    @property
    def missed(self) -> list[RuleResult]:
        return [result for result in self.results if result.status == MISSED]


def _status(*, met: bool, ends: date, today: date) -> str:
    if met:
        return MET
    return MISSED if today > ends else DUE


def _combine(statuses: list[str], *, complete: bool) -> str:
    """Several sub-periods (months, weeks): one miss misses the whole period."""
    if MISSED in statuses:
        return MISSED
    if DUE in statuses or not complete:
        return DUE
    return MET


def _weeks(start: date, end: date) -> list[tuple[date, date]]:
    """Weeks (Monday to Sunday) whose Monday falls within [start, end]."""
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    weeks = []
    while monday <= end:
        weeks.append((monday, monday + timedelta(days=6)))
        monday += timedelta(days=7)
    return weeks


def compliance_for_teams(
    *, teams, period: Period, today: date | None = None
) -> list[TeamCompliance]:
    """Which minimums each team met, has still due, or missed in ``period``.

    Monthly and weekly rules (R10, R12) are judged inside the period; yearly rules (R16,
    R26, R29, R30) by the year the period belongs to, as of the period's end.
    """
    today = today or timezone.localdate()
    teams = list(teams)
    if not teams:
        return []
    year = period_containing(YEAR, period.end)
    team_ids = [team.pk for team in teams]
    on = period.end
    study_min = policy_int("study_sessions_min_per_month", on)
    service_min = policy_int("service_days_min_per_week", on)
    research_min = policy_int("research_reports_min_per_year", on)
    training_min = policy_int("trainings_min_per_year", on)
    collective_min = policy_int("collective_projects_min", on)
    practical_min = policy_int("practical_projects_min_per_year", on)
    share_pct = policy_int("practical_project_min_share_pct", on)

    records = LedgerRecord.objects.filter(team_id__in=team_ids)
    dated = defaultdict(list)  # (team, kind) -> dates
    for team_id, kind, day in records.filter(
        kind__in=(LedgerKind.STUDY, LedgerKind.SERVICE_DAY, LedgerKind.TRAINING),
        date__range=(min(period.start, year.start), period.end),
    ).values_list("team_id", "kind", "date"):
        dated[team_id, kind].append(day)
    research = Counter(
        records.filter(kind=LedgerKind.RESEARCH, date__range=(year.start, period.end))
        .values_list("team_id", "cadre_id")
        .iterator()
    )
    practical_ok = practical_projects_reaching(
        teams=teams, start=year.start, end=period.end, share_pct=share_pct
    )
    collective = Counter(
        LedgerRecord.objects.filter(
            team__village_id__in={team.village_id for team in teams},
            kind=LedgerKind.COLLECTIVE,
            is_stable_income=True,
            date__lte=period.end,
        ).values_list("team__village_id", flat=True)
    )
    cadres = defaultdict(set)
    for team_id, cadre_id in (
        Membership.objects.filter(team_id__in=team_ids, start_date__lte=period.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=year.start))
        .values_list("team_id", "cadre_id")
    ):
        cadres[team_id].add(cadre_id)

    results = []
    for team in teams:
        in_term_start = max(period.start, team.term_start)
        in_term_end = min(period.end, team.term_end)
        row = TeamCompliance(team=team, period=period)

        # R10: each month of the period inside the team's term needs the minimum.
        studies = dated[team.pk, LedgerKind.STUDY]
        month_statuses, months_met = [], 0
        months = [
            m for m in period.months() if m.end >= team.term_start and m.start <= in_term_end
        ]
        for month in months:
            if month.start > today:
                continue
            count = sum(1 for day in studies if month.contains(day))
            status = _status(met=count >= study_min, ends=month.end, today=today)
            months_met += status == MET
            month_statuses.append(status)
        if period.kind == MONTH:
            count = sum(1 for day in studies if period.contains(day))
            row.results.append(
                RuleResult("R10", count, study_min, _combine(month_statuses, complete=True))
            )
        else:
            complete = all(m.end < today for m in months)
            row.results.append(
                RuleResult(
                    "R10",
                    months_met,
                    len(months),
                    _combine(month_statuses, complete=complete),
                    detail=str(_("months meeting the minimum")),
                )
            )

        # R12: every week of the period needs a service day.
        service = dated[team.pk, LedgerKind.SERVICE_DAY]
        week_statuses, weeks_met = [], 0
        weeks = _weeks(in_term_start, in_term_end)
        for monday, sunday in weeks:
            if monday > today:
                continue
            count = sum(1 for day in service if monday <= day <= sunday)
            status = _status(met=count >= service_min, ends=sunday, today=today)
            weeks_met += status == MET
            week_statuses.append(status)
        row.results.append(
            RuleResult(
                "R12",
                weeks_met,
                len(weeks),
                _combine(week_statuses, complete=all(s < today for _m, s in weeks)),
                detail=str(_("weeks with a service day")),
            )
        )

        # R16: every cadre of the year writes the minimum of research reports.
        team_cadres = cadres[team.pk]
        writers = sum(1 for cadre in team_cadres if research[team.pk, cadre] >= research_min)
        row.results.append(
            RuleResult(
                "R16",
                writers,
                len(team_cadres),
                _status(met=writers >= len(team_cadres), ends=year.end, today=today),
                detail=str(_("cadres with a research report")),
            )
        )

        # R26: trainings for villagers this year.
        trainings = sum(1 for day in dated[team.pk, LedgerKind.TRAINING] if day >= year.start)
        row.results.append(
            RuleResult(
                "R26",
                trainings,
                training_min,
                _status(met=trainings >= training_min, ends=year.end, today=today),
            )
        )

        # R29: the village has a stable collective-economy project.
        stable = collective[team.village_id]
        row.results.append(
            RuleResult(
                "R29",
                stable,
                collective_min,
                _status(met=stable >= collective_min, ends=year.end, today=today),
            )
        )

        # R30: a practical project this year reaching the policy share of households.
        reaching = practical_ok[team.pk]
        row.results.append(
            RuleResult(
                "R30",
                reaching,
                practical_min,
                _status(met=reaching >= practical_min, ends=year.end, today=today),
                detail=str(_("projects reaching %(pct)s%% of households") % {"pct": share_pct}),
            )
        )
        results.append(row)
    return results


def practical_projects_reaching(*, teams, start: date, end: date, share_pct: int) -> Counter:
    """R30: per team, practical projects in [start, end] that reach ``share_pct`` of the
    village's households, measured against the roster (the typed-in count only where the
    village has no roster yet)."""
    roster = household_counts({team.village_id for team in teams})
    village_of = {team.pk: team.village_id for team in teams}
    reaching = Counter()
    for team_id, benefiting, typed in LedgerRecord.objects.filter(
        team_id__in=list(village_of), kind=LedgerKind.PRACTICAL, date__range=(start, end)
    ).values_list("team_id", "households_benefiting", "village_households"):
        households = roster.get(village_of[team_id]) or typed
        # Integer arithmetic, so 79.9% never rounds up to 80%.
        if households and benefiting is not None and benefiting * 100 >= share_pct * households:
            reaching[team_id] += 1
    return reaching


def rollup(rows: list[TeamCompliance]) -> dict[str, Counter]:
    """For the office: per rule, how many teams met, have due, or missed it."""
    totals: dict[str, Counter] = {rule: Counter() for rule in RULES}
    for row in rows:
        for result in row.results:
            totals[result.rule][result.status] += 1
    return totals
