"""Compliance per team and period, computed from the ledger, never typed in.

R10 (study sessions a month), R12 (a service day a week), R16 (a research report a year per
cadre), R26 (villager trainings a year), R29 (a stable collective-economy project) and R30
(a practical project a year reaching a share of the village's households). Every minimum is
a policy row. A handful of queries serve any number of teams, so the office's roll-up costs
the same as one team's page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.periods import MONTH, YEAR, Period, period_containing, term
from reports.models import LedgerKind, LedgerRecord
from teams import policies
from teams.models import Membership, Team
from teams.policies import policy_int

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


@dataclass
class _Context:
    """What every rule of one call reads: the ledger rows and policies, loaded once."""

    period: Period
    year: Period
    today: date
    minimum: dict[str, int]
    share_pct: int
    dated: dict = field(default_factory=lambda: defaultdict(list))  # (team, kind) -> dates
    research: Counter = field(default_factory=Counter)  # (team, cadre) -> reports
    practical_ok: Counter = field(default_factory=Counter)  # team -> projects reaching
    collective: Counter = field(default_factory=Counter)  # village -> stable projects
    cadres: dict = field(default_factory=lambda: defaultdict(set))  # team -> cadres


def _load(teams: list[Team], period: Period, today: date) -> _Context:
    year = period_containing(YEAR, period.end)
    on = period.end
    ctx = _Context(
        period=period,
        year=year,
        today=today,
        minimum={rule: policy_int(key, on) for rule, key in MINIMUM_POLICIES.items()},
        share_pct=policy_int(policies.PRACTICAL_PROJECT_MIN_SHARE_PCT, on),
    )
    team_ids = [team.pk for team in teams]
    records = LedgerRecord.objects.filter(team_id__in=team_ids)
    for team_id, kind, day in records.filter(
        kind__in=(LedgerKind.STUDY, LedgerKind.SERVICE_DAY, LedgerKind.TRAINING),
        date__range=(min(period.start, year.start), period.end),
    ).values_list("team_id", "kind", "date"):
        ctx.dated[team_id, kind].append(day)
    ctx.research.update(
        records.filter(kind=LedgerKind.RESEARCH, date__range=(year.start, period.end))
        .values_list("team_id", "cadre_id")
        .iterator()
    )
    for team_id, benefiting, households in records.filter(
        kind=LedgerKind.PRACTICAL, date__range=(year.start, period.end)
    ).values_list("team_id", "households_benefiting", "village_households"):
        # R30: integer arithmetic, so 79.9% never rounds up to 80%.
        if (
            households
            and benefiting is not None
            and benefiting * 100 >= ctx.share_pct * households
        ):
            ctx.practical_ok[team_id] += 1
    ctx.collective.update(
        LedgerRecord.objects.filter(
            team__village_id__in={team.village_id for team in teams},
            kind=LedgerKind.COLLECTIVE,
            is_stable_income=True,
            date__lte=period.end,
        ).values_list("team__village_id", flat=True)
    )
    for team_id, cadre_id in (
        Membership.objects.filter(team_id__in=team_ids, start_date__lte=period.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=year.start))
        .values_list("team_id", "cadre_id")
    ):
        ctx.cadres[team_id].add(cadre_id)
    return ctx


def _r10_study(team: Team, ctx: _Context) -> RuleResult:
    """R10: each month of the period inside the team's term needs the minimum of studies."""
    period, today, minimum = ctx.period, ctx.today, ctx.minimum["R10"]
    studies = ctx.dated[team.pk, LedgerKind.STUDY]
    in_term_end = min(period.end, team.term_end)
    months = [m for m in period.months() if m.end >= team.term_start and m.start <= in_term_end]
    statuses, months_met = [], 0
    for month in months:
        if month.start > today:
            continue
        count = sum(1 for day in studies if month.contains(day))
        status = _status(met=count >= minimum, ends=month.end, today=today)
        months_met += status == MET
        statuses.append(status)
    if period.kind == MONTH:
        count = sum(1 for day in studies if period.contains(day))
        return RuleResult("R10", count, minimum, _combine(statuses, complete=True))
    complete = all(m.end < today for m in months)
    return RuleResult(
        "R10",
        months_met,
        len(months),
        _combine(statuses, complete=complete),
        detail=str(_("months meeting the minimum")),
    )


def _r12_service_day(team: Team, ctx: _Context) -> RuleResult:
    """R12: every week (Monday to Sunday) of the period in the term needs a service day."""
    period, today, minimum = ctx.period, ctx.today, ctx.minimum["R12"]
    service = ctx.dated[team.pk, LedgerKind.SERVICE_DAY]
    weeks = term(max(period.start, team.term_start), min(period.end, team.term_end)).weeks()
    statuses, weeks_met = [], 0
    for monday, sunday in weeks:
        if monday > today:
            continue
        count = sum(1 for day in service if monday <= day <= sunday)
        status = _status(met=count >= minimum, ends=sunday, today=today)
        weeks_met += status == MET
        statuses.append(status)
    return RuleResult(
        "R12",
        weeks_met,
        len(weeks),
        _combine(statuses, complete=all(sunday < today for _monday, sunday in weeks)),
        detail=str(_("weeks with a service day")),
    )


def _r16_research(team: Team, ctx: _Context) -> RuleResult:
    """R16: every cadre of the year writes the minimum of research reports."""
    team_cadres = ctx.cadres[team.pk]
    writers = sum(1 for cadre in team_cadres if ctx.research[team.pk, cadre] >= ctx.minimum["R16"])
    return RuleResult(
        "R16",
        writers,
        len(team_cadres),
        _status(met=writers >= len(team_cadres), ends=ctx.year.end, today=ctx.today),
        detail=str(_("cadres with a research report")),
    )


def _r26_trainings(team: Team, ctx: _Context) -> RuleResult:
    """R26: trainings for villagers this year."""
    minimum = ctx.minimum["R26"]
    trainings = sum(1 for day in ctx.dated[team.pk, LedgerKind.TRAINING] if day >= ctx.year.start)
    return RuleResult(
        "R26",
        trainings,
        minimum,
        _status(met=trainings >= minimum, ends=ctx.year.end, today=ctx.today),
    )


def _r29_collective(team: Team, ctx: _Context) -> RuleResult:
    """R29: the village has a stable collective-economy project."""
    minimum = ctx.minimum["R29"]
    stable = ctx.collective[team.village_id]
    return RuleResult(
        "R29", stable, minimum, _status(met=stable >= minimum, ends=ctx.year.end, today=ctx.today)
    )


def _r30_practical(team: Team, ctx: _Context) -> RuleResult:
    """R30: a practical project this year reaching the policy share of households."""
    minimum = ctx.minimum["R30"]
    reaching = ctx.practical_ok[team.pk]
    return RuleResult(
        "R30",
        reaching,
        minimum,
        _status(met=reaching >= minimum, ends=ctx.year.end, today=ctx.today),
        detail=str(_("projects reaching %(pct)s%% of households") % {"pct": ctx.share_pct}),
    )


# The policy key of each rule's minimum, and the rules in the order pages show them.
MINIMUM_POLICIES = {
    "R10": policies.STUDY_SESSIONS_MIN_PER_MONTH,
    "R12": policies.SERVICE_DAYS_MIN_PER_WEEK,
    "R16": policies.RESEARCH_REPORTS_MIN_PER_YEAR,
    "R26": policies.TRAININGS_MIN_PER_YEAR,
    "R29": policies.COLLECTIVE_PROJECTS_MIN,
    "R30": policies.PRACTICAL_PROJECTS_MIN_PER_YEAR,
}
RULE_CHECKS: list[Callable[[Team, _Context], RuleResult]] = [
    _r10_study,
    _r12_service_day,
    _r16_research,
    _r26_trainings,
    _r29_collective,
    _r30_practical,
]


def compliance_for_teams(
    *, teams, period: Period, today: date | None = None
) -> list[TeamCompliance]:
    """Which minimums each team met, has still due, or missed in ``period``.

    Monthly and weekly rules (R10, R12) are judged inside the period; yearly rules (R16,
    R26, R29, R30) by the year the period belongs to, as of the period's end.
    """
    teams = list(teams)
    if not teams:
        return []
    ctx = _load(teams, period, today or timezone.localdate())
    return [
        TeamCompliance(
            team=team, period=period, results=[check(team, ctx) for check in RULE_CHECKS]
        )
        for team in teams
    ]


def rollup(rows: list[TeamCompliance]) -> dict[str, Counter]:
    """For the office: per rule, how many teams met, have due, or missed it."""
    totals: dict[str, Counter] = {rule: Counter() for rule in RULES}
    for row in rows:
        for result in row.results:
            totals[result.rule][result.status] += 1
    return totals
