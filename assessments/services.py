"""Assessment steps (R37), results in use (R38, R48) and the rotation hand-off (R9).

Every step that changes an assessment writes an ``AssessmentHistory`` row; a decided
result changes only through ``assessment_reopen`` with a reason.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, NotAllowed, full_clean_or_refuse
from accounts.roles import get_roles
from assessments.models import (
    DECIDED_STATUSES,
    AccountabilityCase,
    AdjustmentProposal,
    AdjustmentStatus,
    Assessment,
    AssessmentHistory,
    AssessmentVeto,
    CaseEvidence,
    GradeBand,
    Indicator,
    IndicatorSource,
    Kind,
    Plan,
    RatingRound,
    RatingSlip,
    Recommendation,
    RoutineScore,
    Scoring,
    Status,
    VetoItem,
    VillageReview,
    WorkSummary,
)
from core.figures import cadre_figures, team_figures
from core.notifications import Reminder, notify, notify_many
from core.roles import is_office, is_supervisor_of
from teams import policies
from teams.models import Cadre, Membership, SelectionStatus, Team, TeamStatus
from teams.policies import policy_int, policy_value
from teams.services import individual_rotation_request

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")

# The plan a new year starts from when there is no earlier plan to copy: the grades
# the regulation's practice names, with score bands the office may change.
DEFAULT_GRADES = [
    # (name, lowest score, rank, counts against the 优秀 quota, unfit for the post)
    ("优秀", 90, 1, True, False),
    ("称职", 70, 2, False, False),
    ("基本称职", 60, 3, False, False),
    ("不称职", 0, 4, False, True),
]
DEFAULT_INDICATORS = [
    # (code, name, weight, source, figure, divided by, team figure, scoring, target)
    ("service_days", "驻村天数", 15, IndicatorSource.COMPUTED, "attendance.service_days",
     "attendance.required_days", False, Scoring.RATIO, 1),  # R20
    ("absence", "擅自离岗", 5, IndicatorSource.COMPUTED, "attendance.unapproved_absence_days",
     "", False, Scoring.PENALTY, 10),  # R21
    ("visit_coverage", "入户走访", 10, IndicatorSource.COMPUTED, "households.r14_coverage",
     "", True, Scoring.RATIO, 1),  # R13-R15
    ("study", "集中学习", 5, IndicatorSource.COMPUTED, "reports.r10_months_met",
     "reports.r10_months", True, Scoring.RATIO, 1),  # R10
    ("service_weeks", "固定服务日", 5, IndicatorSource.COMPUTED, "reports.r12_service_weeks_met",
     "reports.r12_service_weeks", True, Scoring.RATIO, 1),  # R12
    ("reports_on_time", "按时报送", 5, IndicatorSource.COMPUTED, "reports.reports_on_time",
     "reports.reports_on_time,reports.reports_late", True, Scoring.RATIO, 1),  # R19
    ("errands", "代办事项办结", 5, IndicatorSource.COMPUTED, "reports.errands_done",
     "reports.errands_done,reports.errands_open", True, Scoring.RATIO, 1),  # R12
    ("pairing", "贫困户结对", 5, IndicatorSource.COMPUTED, "households.poor_unpaired",
     "", True, Scoring.PENALTY, 10),  # R33
    ("routine", "平时考核", 15, IndicatorSource.ROUTINE, "", "", False, Scoring.RATIO, None),
    ("summary", "述职", 10, IndicatorSource.SUMMARY, "", "", False, Scoring.RATIO, None),
    ("villagers", "农牧民测评", 10, IndicatorSource.VILLAGERS, "", "", False, Scoring.RATIO,
     None),
    ("village_cadres", "嘎查村干部评议", 10, IndicatorSource.VILLAGE_CADRES, "", "", False,
     Scoring.RATIO, None),
]  # fmt: skip
DEFAULT_VETOES = [("考勤弄虚作假", "不称职"), ("受到严肃处理", "基本称职")]


def _require_office(user) -> None:
    if not is_office(user):
        raise NotAllowed(_("Only the office can do this."))


def can_supervise(user, team: Team) -> bool:
    """The office, or a member of the team's supervision group."""
    return is_office(user) or is_supervisor_of(user, team)


def _step(assessment: Assessment, *, by, action: str, comment: str = "") -> None:
    AssessmentHistory.objects.create(
        assessment=assessment,
        actor=by,
        action=action,
        status=assessment.status,
        grade_name=assessment.grade.name
        if assessment.grade_id
        else (assessment.proposed_grade.name if assessment.proposed_grade_id else ""),
        comment=comment,
    )


def _bulk_steps(assessments, *, by, action: str, comment: str = "") -> None:
    AssessmentHistory.objects.bulk_create(
        AssessmentHistory(
            assessment=a,
            actor=by,
            action=action,
            status=a.status,
            grade_name=a.grade.name if a.grade_id else "",
            comment=comment,
        )
        for a in assessments
    )


# --- The plan ---------------------------------------------------------------------------


def plan_require_editable(plan: Plan) -> None:
    """R37: a plan is frozen once assessment has begun."""
    if plan.is_frozen:
        raise DomainError(_("Assessment has begun; this plan can no longer be edited."))


@transaction.atomic
def plan_create(*, year: int, by, title: str = "") -> Plan:
    """A new year's plan: a copy of the latest earlier plan, else the default plan."""
    _require_office(by)
    if Plan.objects.filter(year=year).exists():
        raise DomainError(_("There is already a plan for %(year)d.") % {"year": year})
    previous = Plan.objects.filter(year__lt=year).order_by("-year").first()
    if previous:
        return plan_copy(plan=previous, year=year, by=by, title=title)
    plan = Plan.objects.create(year=year, title=title or _("%(year)d assessment") % {"year": year})
    grades = {
        name: GradeBand.objects.create(
            plan=plan, name=name, min_score=low, rank=rank, is_excellent=top, is_unfit=unfit
        )
        for name, low, rank, top, unfit in DEFAULT_GRADES
    }
    Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            code=code,
            name=name,
            weight=weight,
            source=source,
            figure_key=figure,
            denominator_keys=divided_by,
            of_team=of_team,
            scoring=scoring,
            target=target,
            order=order,
        )
        for order, (
            code,
            name,
            weight,
            source,
            figure,
            divided_by,
            of_team,
            scoring,
            target,
        ) in enumerate(DEFAULT_INDICATORS)
    )
    VetoItem.objects.bulk_create(
        VetoItem(plan=plan, name=name, cap=grades[cap]) for name, cap in DEFAULT_VETOES
    )
    return plan


@transaction.atomic
def plan_copy(*, plan: Plan, year: int, by, title: str = "") -> Plan:
    """R37: a new year starts from a copy of a plan: indicators, grades and veto items."""
    _require_office(by)
    if Plan.objects.filter(year=year).exists():
        raise DomainError(_("There is already a plan for %(year)d.") % {"year": year})
    new = Plan.objects.create(
        year=year,
        title=title or _("%(year)d assessment") % {"year": year},
        notes=plan.notes,
        copied_from=plan,
    )
    grade_map = {}
    for grade in plan.grades.all():
        old_pk = grade.pk
        grade.pk, grade.plan = None, new
        grade.save()
        grade_map[old_pk] = grade
    indicators = list(plan.indicators.all())
    for indicator in indicators:
        indicator.pk, indicator.plan = None, new
    Indicator.objects.bulk_create(indicators)
    VetoItem.objects.bulk_create(
        VetoItem(plan=new, name=item.name, cap=grade_map[item.cap_id])
        for item in plan.veto_items.all()
    )
    return new


def _cadres_of_year(plan: Plan, team: Team | None = None):
    """(cadre, team) of every membership that overlaps the plan's year in a stationed or
    ended team; the latest membership wins when a cadre served in two teams."""
    start, end = date(plan.year, 1, 1), date(plan.year, 12, 31)
    rows = (
        Membership.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start),
            start_date__lte=end,
        )
        .exclude(team__status=TeamStatus.FORMING)
        .order_by("cadre_id", "start_date")
        .values_list("cadre_id", "team_id")
    )
    if team is not None:
        rows = rows.filter(team=team)
    return dict(rows)  # later rows overwrite earlier ones: the latest team


@transaction.atomic
def assessment_begin(*, plan: Plan, by) -> int:
    """Open the annual assessment of every cadre who served in the year and freeze the
    plan (R37). Safe to run again: it adds only cadres not yet assessed."""
    _require_office(by)
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _check_plan_complete(plan)
    wanted = _cadres_of_year(plan)
    have = set(plan.assessments.filter(kind=Kind.ANNUAL).values_list("cadre_id", flat=True))
    Assessment.objects.bulk_create(
        [
            Assessment(plan=plan, cadre_id=cadre_id, team_id=team_id, kind=Kind.ANNUAL)
            for cadre_id, team_id in wanted.items()
            if cadre_id not in have
        ],
        batch_size=1000,
    )
    if not plan.frozen_at:
        plan.frozen_at = timezone.now()
        plan.save(update_fields=["frozen_at"])
    scores_compute(plan=plan, kind=Kind.ANNUAL)
    return len(wanted) - len(have)


@transaction.atomic
def end_of_term_begin(*, plan: Plan, team: Team, by) -> list[Assessment]:
    """R37: the end-of-term assessment of every cadre still in ``team``."""
    _require_office(by)
    _check_plan_complete(plan)
    on = timezone.localdate()
    cadre_ids = team.memberships.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    ).values_list("cadre_id", flat=True)
    have = set(
        plan.assessments.filter(kind=Kind.END_OF_TERM, team=team).values_list(
            "cadre_id", flat=True
        )
    )
    Assessment.objects.bulk_create(
        Assessment(plan=plan, cadre_id=cadre_id, team=team, kind=Kind.END_OF_TERM)
        for cadre_id in cadre_ids
        if cadre_id not in have
    )
    if not plan.frozen_at:
        Plan.objects.filter(pk=plan.pk).update(frozen_at=timezone.now())
        plan.refresh_from_db(fields=["frozen_at"])
    scores_compute(plan=plan, kind=Kind.END_OF_TERM, team=team)
    return list(plan.assessments.filter(kind=Kind.END_OF_TERM, team=team))


def _check_plan_complete(plan: Plan) -> None:
    if not plan.grades.exists():
        raise DomainError(_("The plan has no grades yet."))
    if not plan.indicators.filter(weight__gt=0).exists():
        raise DomainError(_("The plan has no weighted indicator yet."))


# --- Scores -----------------------------------------------------------------------------


def indicator_score(indicator: Indicator, value) -> Decimal | None:
    """A computed figure as a score out of 100 under the indicator's scoring."""
    if value is None:
        return None
    value = Decimal(str(value))
    if indicator.scoring == Scoring.PERCENT:
        score = value
    elif indicator.scoring == Scoring.PENALTY:
        score = HUNDRED - value * indicator.target
    else:
        score = value / indicator.target * HUNDRED
    return min(max(score, Decimal(0)), HUNDRED).quantize(TWO_PLACES, ROUND_HALF_UP)


def grade_for(score: Decimal | None, grades: list[GradeBand], caps: list[GradeBand] = ()):
    """The best grade whose band holds ``score``, capped by veto findings (一票否决)."""
    if score is None:
        return None
    ordered = sorted(grades, key=lambda g: g.rank)
    grade = next((g for g in ordered if score >= g.min_score), ordered[-1])
    for cap in caps:
        if cap.rank > grade.rank:
            grade = cap
    return grade


def _stars_score(average) -> Decimal | None:
    """Five stars are 100 points; one star is 20."""
    if average is None:
        return None
    return (Decimal(str(average)) * 20).quantize(TWO_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class RatingResult:
    responses: int
    slips: int
    minimum: int
    average: Decimal | None  # out of 100; None when the sample is insufficient

    @property
    def insufficient(self) -> bool:
        return self.average is None


def rating_results(*, plan: Plan, team_ids=None) -> dict[int, RatingResult]:
    """R37: villagers' rating per team. Below the minimum sample it is insufficient."""
    minimum = policy_int(policies.RATING_MIN_RESPONSES, date(plan.year, 12, 31))
    rows = RatingRound.objects.filter(plan=plan)
    if team_ids is not None:
        rows = rows.filter(team_id__in=team_ids)
    rows = rows.annotate(
        n_slips=Count("slips"),
        responses=Count("slips", filter=Q(slips__stars__isnull=False)),
        average=Avg("slips__stars"),
    ).values_list("team_id", "n_slips", "responses", "average")
    return {
        team_id: RatingResult(
            responses=responses,
            slips=n_slips,
            minimum=minimum,
            average=_stars_score(average) if responses >= minimum else None,
        )
        for team_id, n_slips, responses, average in rows
    }


def figure_value(indicator: Indicator, figures: dict):
    """The indicator's figure, divided by the sum of its denominators when it names any;
    None when a figure is missing or the denominator is zero (nothing was due)."""
    value = figures.get(indicator.figure_key)
    keys = [key.strip() for key in indicator.denominator_keys.split(",") if key.strip()]
    if value is None or not keys:
        return value
    parts = [figures.get(key) for key in keys]
    if any(part is None for part in parts):
        return None
    denominator = sum(Decimal(str(part)) for part in parts)
    if not denominator:
        return None
    return (Decimal(str(value)) / denominator).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def year_figures(*, plan: Plan, cadre_ids, team_ids) -> tuple[dict, dict]:
    """(cadre figures, team figures) of the plan's year, read through ``core.figures``."""
    start, end = date(plan.year, 1, 1), date(plan.year, 12, 31)
    return (
        cadre_figures(cadre_ids=cadre_ids, start=start, end=end),
        team_figures(team_ids=team_ids, start=start, end=end),
    )


@transaction.atomic
def scores_compute(*, plan: Plan, kind: str = Kind.ANNUAL, team: Team | None = None) -> int:
    """Compute and store every assessment's indicator scores, total and grade by score.

    The queries do not grow with the number of cadres: one read per source, then one
    bulk update (R37: computed from the records, never typed in).
    """
    assessments = list(plan.assessments.filter(kind=kind).exclude(status__in=DECIDED_STATUSES))
    if team is not None:
        assessments = [a for a in assessments if a.team_id == team.pk]
    if not assessments:
        return 0
    indicators = list(plan.indicators.filter(weight__gt=0))
    grades = list(plan.grades.all())
    grade_by_pk = {g.pk: g for g in grades}
    cadre_ids = [a.cadre_id for a in assessments]
    team_ids = {a.team_id for a in assessments}
    figures, team_figs = year_figures(plan=plan, cadre_ids=cadre_ids, team_ids=team_ids)
    routine = dict(
        RoutineScore.objects.filter(plan=plan, team_id__in=team_ids)
        .values("team_id")
        .annotate(avg=Avg("score"))
        .values_list("team_id", "avg")
    )
    summaries = dict(
        WorkSummary.objects.filter(
            plan=plan, cadre_id__in=cadre_ids, score__isnull=False
        ).values_list("cadre_id", "score")
    )
    ratings = rating_results(plan=plan, team_ids=team_ids)
    reviews = dict(
        VillageReview.objects.filter(plan=plan, team_id__in=team_ids)
        .values("team_id")
        .annotate(avg=Avg("stars"))
        .values_list("team_id", "avg")
    )
    caps = defaultdict(list)
    for assessment_id, cap_id in AssessmentVeto.objects.filter(
        assessment__in=[a.pk for a in assessments]
    ).values_list("assessment_id", "item__cap_id"):
        caps[assessment_id].append(grade_by_pk[cap_id])
    now = timezone.now()
    for assessment in assessments:
        own = figures.get(assessment.cadre_id, {})
        team_own = team_figs.get(assessment.team_id, {})
        parts = {}
        for indicator in indicators:
            if indicator.source == IndicatorSource.COMPUTED:
                value = figure_value(indicator, team_own if indicator.of_team else own)
                score = indicator_score(indicator, value)
            elif indicator.source == IndicatorSource.ROUTINE:
                value = routine.get(assessment.team_id)
                score = _dec(value)
            elif indicator.source == IndicatorSource.SUMMARY:
                value = summaries.get(assessment.cadre_id)
                score = _dec(value)
            elif indicator.source == IndicatorSource.VILLAGERS:
                result = ratings.get(assessment.team_id)
                value = result.responses if result else 0
                score = result.average if result else None
            else:
                value = reviews.get(assessment.team_id)
                score = _stars_score(value)
            parts[indicator.code] = {
                "value": None if value is None else str(value),
                "score": None if score is None else str(score),
            }
        assessment.indicator_scores = parts
        assessment.score = _weighted(indicators, parts)
        suggested = grade_for(assessment.score, grades, caps.get(assessment.pk, []))
        assessment.suggested_grade = suggested
        assessment.computed_at = now
    _save_scores(assessments)
    return len(assessments)


SCORE_FIELDS = ("indicator_scores", "score", "suggested_grade", "computed_at")


def _save_scores(assessments: list[Assessment]) -> None:
    """One prepared UPDATE run for every row (executemany). ``bulk_update`` builds a CASE
    over every row instead, which took 20 s for the city's 3,200 cadres; this takes one."""
    fields = [Assessment._meta.get_field(name) for name in SCORE_FIELDS]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(Assessment._meta.db_table)} SET {sets} WHERE {quote('id')} = %s"
    params = [
        [field.get_db_prep_save(getattr(a, field.attname), connection) for field in fields]
        + [a.pk]
        for a in assessments
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def scores_compute_later(*, plan: Plan) -> None:
    """Queue ``scores_compute`` for the whole year once the request's writes are in."""
    from assessments.tasks import compute_scores

    transaction.on_commit(lambda: compute_scores.delay(plan.pk))


def _recompute_team(plan: Plan, team: Team) -> None:
    """A source of the team changed: its open results are scored again."""
    for kind in Kind.values:
        scores_compute(plan=plan, kind=kind, team=team)


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(TWO_PLACES, ROUND_HALF_UP)


def _weighted(indicators: list[Indicator], parts: dict) -> Decimal | None:
    """Weighted mean of the scored indicators; a source with no score yet (an
    insufficient rating, an unscored summary) leaves the weights of the others."""
    total = weights = Decimal(0)
    for indicator in indicators:
        score = parts[indicator.code]["score"]
        if score is None:
            continue
        total += Decimal(score) * indicator.weight
        weights += indicator.weight
    if not weights:
        return None
    return (total / weights).quantize(TWO_PLACES, ROUND_HALF_UP)


# --- The three sources (Art 22) ---------------------------------------------------------


@transaction.atomic
def routine_score_set(
    *, plan: Plan, team: Team, quarter: int, score: Decimal, by, comment: str = ""
) -> RoutineScore:
    """R37 routine assessment: the supervision group scores the team each quarter."""
    if not can_supervise(by, team):
        raise NotAllowed(_("Only the team's supervision group scores it."))
    row, _created = RoutineScore.objects.get_or_create(
        plan=plan,
        team=team,
        quarter=quarter,
        defaults={"score": score, "comment": comment, "scored_by": by},
    )
    row.score, row.comment, row.scored_by = score, comment.strip(), by
    full_clean_or_refuse(row, validate_constraints=False)
    row.save()
    _recompute_team(plan, team)
    return row


@transaction.atomic
def work_summary_submit(*, plan: Plan, cadre: Cadre, text: str, by) -> WorkSummary:
    """述职: the cadre writes the year's summary; it is read-only once scored."""
    if get_roles(by).cadre_id != cadre.pk:
        raise NotAllowed(_("Only the cadre writes their own work summary."))
    if not text.strip():
        raise DomainError(_("Write the summary first."))
    summary = WorkSummary.objects.filter(plan=plan, cadre=cadre).first()
    if summary and summary.score is not None:
        raise DomainError(_("The summary has been scored; it can no longer change."))
    summary = summary or WorkSummary(plan=plan, cadre=cadre)
    summary.text = text.strip()
    summary.save()
    return summary


@transaction.atomic
def work_summary_score(*, summary: WorkSummary, score: Decimal, by) -> WorkSummary:
    assessment = summary.plan.assessments.filter(cadre=summary.cadre).select_related("team")
    assessment = assessment.first()
    if assessment is None or not can_supervise(by, assessment.team):
        raise NotAllowed(_("Only the team's supervision group scores the summary."))
    summary.score, summary.scored_by = score, by
    full_clean_or_refuse(summary, validate_constraints=False)
    summary.save(update_fields=["score", "scored_by"])
    _recompute_team(summary.plan, assessment.team)
    return summary


@transaction.atomic
def rating_round_open(*, plan: Plan, team: Team, by, slips: int | None = None) -> RatingRound:
    """R37 villagers' rating: numbered slips with one-time codes for a household sample."""
    if not can_supervise(by, team):
        raise NotAllowed(_("Only the team's supervision group runs its rating."))
    if RatingRound.objects.filter(plan=plan, team=team).exists():
        raise DomainError(_("This team's rating for the year is already open."))
    count = slips or policy_int(policies.RATING_SAMPLE_HOUSEHOLDS)
    minimum = policy_int(policies.RATING_MIN_RESPONSES)
    if count < minimum:
        raise DomainError(
            _("Print at least %(n)d slips: fewer ratings than that are not counted.")
            % {"n": minimum}
        )
    rating_round = RatingRound.objects.create(plan=plan, team=team, opened_by=by)
    RatingSlip.objects.bulk_create(
        RatingSlip(round=rating_round, number=number) for number in range(1, count + 1)
    )
    return rating_round


@transaction.atomic
def rating_submit(*, code: str, stars: int) -> RatingSlip:
    """A villager rates once with a slip's code. Nothing about the person is stored."""
    slip = (
        RatingSlip.objects.select_for_update(of=("self",))
        .select_related("round")
        .filter(code=code)
        .first()
    )
    if slip is None:
        raise DomainError(_("This code is not valid."))
    if slip.used_at:
        raise DomainError(_("This slip has already been used to rate."))
    if not slip.round.is_open:
        raise DomainError(_("This rating has closed."))
    if stars not in range(1, 6):
        raise DomainError(_("Choose one to five stars."))
    slip.stars, slip.used_at = stars, timezone.now()
    slip.save(update_fields=["stars", "used_at"])
    return slip


@transaction.atomic
def rating_paper_enter(*, rating_round: RatingRound, number: int, stars: int, by) -> RatingSlip:
    """A paper slip typed in by the supervision group; it counts once like a phone one."""
    if not can_supervise(by, rating_round.team):
        raise NotAllowed(_("Only the team's supervision group types in slips."))
    slip = rating_round.slips.filter(number=number).first()
    if slip is None:
        raise DomainError(_("There is no slip number %(n)d.") % {"n": number})
    slip = rating_submit(code=slip.code, stars=stars)
    RatingSlip.objects.filter(pk=slip.pk).update(on_paper=True)
    return slip


@transaction.atomic
def rating_round_close(*, rating_round: RatingRound, by) -> RatingRound:
    if not can_supervise(by, rating_round.team):
        raise NotAllowed(_("Only the team's supervision group runs its rating."))
    rating_round.closed_at = timezone.now()
    rating_round.save(update_fields=["closed_at"])
    _recompute_team(rating_round.plan, rating_round.team)
    return rating_round


@transaction.atomic
def village_review_submit(
    *, plan: Plan, team: Team, stars: int, by, comment: str = ""
) -> VillageReview:
    """嘎查村干部评议: staff of the team's village rate the team online, once a year."""
    if team.village_id not in get_roles(by).village_ids:
        raise NotAllowed(_("Only the village's cadres review its team."))
    if stars not in range(1, 6):
        raise DomainError(_("Choose one to five stars."))
    review, _created = VillageReview.objects.update_or_create(
        plan=plan, team=team, reviewer=by, defaults={"stars": stars, "comment": comment.strip()}
    )
    _recompute_team(plan, team)
    return review


# --- Deciding and publishing ------------------------------------------------------------


@dataclass(frozen=True)
class Quota:
    total: int
    allowed: int
    used: int

    @property
    def left(self) -> int:
        return max(self.allowed - self.used, 0)


def excellent_quota(*, plan: Plan, kind: str = Kind.ANNUAL, exclude_pk=None) -> Quota:
    """R37: how many 优秀 the policy share allows among this plan's assessments."""
    share = policy_value(policies.ASSESSMENT_EXCELLENT_SHARE_PCT, date(plan.year, 12, 31))
    rows = plan.assessments.filter(kind=kind)
    counts = rows.aggregate(
        total=Count("pk"),
        used=Count(
            "pk",
            filter=Q(grade__is_excellent=True)
            & ~Q(pk=exclude_pk)
            & Q(status__in=(Status.CALIBRATED, *DECIDED_STATUSES)),
        ),
    )
    allowed = math.floor(counts["total"] * share / HUNDRED)
    return Quota(total=counts["total"], allowed=allowed, used=counts["used"])


def _veto_cap(assessment: Assessment) -> GradeBand | None:
    caps = [v.item.cap for v in assessment.vetoes.select_related("item__cap")]
    return max(caps, key=lambda g: g.rank) if caps else None


def _refuse_above_cap(assessment: Assessment, grade: GradeBand) -> None:
    cap = _veto_cap(assessment)
    if cap and grade.rank < cap.rank:
        raise DomainError(_("A veto item caps this cadre at %(grade)s.") % {"grade": cap.name})


def _lock(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("plan", "team", "cadre", "grade", "proposed_grade")
        .get(pk=assessment.pk)
    )


@transaction.atomic
def grade_propose(
    *, assessment: Assessment, grade: GradeBand, by, comment: str = ""
) -> Assessment:
    """R37: the supervision group proposes a grade with a comment."""
    assessment = _lock(assessment)
    if not can_supervise(by, assessment.team):
        raise NotAllowed(_("Only the team's supervision group proposes its grades."))
    if assessment.status not in (Status.OPEN, Status.PROPOSED):
        raise DomainError(_("This result is past the proposal step."))
    if grade.plan_id != assessment.plan_id:
        raise DomainError(_("Pick a grade of this year's plan."))
    if not comment.strip():
        raise DomainError(_("Add a comment to the proposed grade."))
    _refuse_above_cap(assessment, grade)
    assessment.proposed_grade, assessment.proposal_comment = grade, comment.strip()
    assessment.status = Status.PROPOSED
    assessment.save(update_fields=["proposed_grade", "proposal_comment", "status"])
    _step(assessment, by=by, action="propose", comment=comment.strip())
    return assessment


@transaction.atomic
def grade_calibrate(
    *, assessment: Assessment, grade: GradeBand, by, comment: str = ""
) -> Assessment:
    """R37: the office sets the grade within the 优秀 quota."""
    _require_office(by)
    assessment = _lock(assessment)
    if assessment.status not in (Status.PROPOSED, Status.CALIBRATED):
        raise DomainError(_("Only a proposed result can be calibrated."))
    if grade.plan_id != assessment.plan_id:
        raise DomainError(_("Pick a grade of this year's plan."))
    _refuse_above_cap(assessment, grade)
    if grade.is_excellent:
        # Lock the plan row so two calibrations cannot both take the last place.
        Plan.objects.select_for_update(of=("self",)).get(pk=assessment.plan_id)
        quota = excellent_quota(
            plan=assessment.plan, kind=assessment.kind, exclude_pk=assessment.pk
        )
        if quota.used >= quota.allowed:
            raise DomainError(
                _(
                    "The %(grade)s quota is used up: %(allowed)d of %(total)d cadres "
                    "may be graded %(grade)s and %(used)d already are. Lower another "
                    "grade first."
                )
                % {
                    "grade": grade.name,
                    "allowed": quota.allowed,
                    "total": quota.total,
                    "used": quota.used,
                }
            )
    assessment.grade, assessment.status = grade, Status.CALIBRATED
    assessment.save(update_fields=["grade", "status"])
    _step(assessment, by=by, action="calibrate", comment=comment.strip())
    return assessment


@transaction.atomic
def results_decide(
    *, plan: Plan, by, meeting: str, kind: str = Kind.ANNUAL, team: Team | None = None
) -> int:
    """R37: the leading group decides the calibrated results at a meeting."""
    _require_office(by)
    if not meeting.strip():
        raise DomainError(_("Name the leading group meeting that decided."))
    rows = plan.assessments.select_for_update(of=("self",)).filter(kind=kind)
    if team is not None:
        rows = rows.filter(team=team)
    pending = rows.filter(status__in=(Status.OPEN, Status.PROPOSED)).count()
    if pending:
        raise DomainError(
            _("%(n)d results are not calibrated yet; calibrate every result first.")
            % {"n": pending}
        )
    calibrated = list(rows.filter(status=Status.CALIBRATED).select_related("grade"))
    if not calibrated:
        raise DomainError(_("There is nothing to decide."))
    for assessment in calibrated:
        assessment.status = Status.DECIDED
    Assessment.objects.bulk_update(calibrated, ["status"], batch_size=500)
    _bulk_steps(calibrated, by=by, action="decide", comment=meeting.strip())
    if kind == Kind.ANNUAL:
        plan.decided_at, plan.decided_by = timezone.now(), by
        plan.decision_meeting = meeting.strip()
        plan.save(update_fields=["decided_at", "decided_by", "decision_meeting"])
    return len(calibrated)


@transaction.atomic
def results_file(*, plan: Plan, by, reference: str) -> Plan:
    """R37: the decided results are filed with the organization department."""
    _require_office(by)
    if not plan.decided_at:
        raise DomainError(_("The leading group has not decided the results yet."))
    if not reference.strip():
        raise DomainError(_("Give the filing reference."))
    plan.filed_at, plan.filing_reference = timezone.now(), reference.strip()
    plan.save(update_fields=["filed_at", "filing_reference"])
    return plan


@transaction.atomic
def results_publish(*, plan: Plan, by) -> int:
    """R37: filed results are published city-wide."""
    _require_office(by)
    if not plan.filed_at:
        raise DomainError(_("File the results with the organization department first."))
    decided = list(
        plan.assessments.select_for_update(of=("self",))
        .filter(kind=Kind.ANNUAL, status=Status.DECIDED)
        .select_related("grade")
    )
    for assessment in decided:
        assessment.status = Status.PUBLISHED
    Assessment.objects.bulk_update(decided, ["status"], batch_size=500)
    _bulk_steps(decided, by=by, action="publish")
    plan.published_at = timezone.now()
    plan.save(update_fields=["published_at"])
    return len(decided)


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, by, reason: str) -> Assessment:
    """A decided result changes only by reopening it with a reason; it goes back to the
    office's calibration and the leading group decides it again."""
    _require_office(by)
    assessment = _lock(assessment)
    if not assessment.is_decided:
        raise DomainError(_("Only a decided result is reopened."))
    if not reason.strip():
        raise DomainError(_("Give the reason for reopening."))
    assessment.status, assessment.grade = Status.PROPOSED, None
    assessment.save(update_fields=["status", "grade"])
    _step(assessment, by=by, action="reopen", comment=reason.strip())
    return assessment


@transaction.atomic
def veto_record(
    *, assessment: Assessment, item: VetoItem, note: str, by, evidence_url: str = ""
) -> AssessmentVeto:
    """一票否决: a finding caps the grade; a higher grade already given is lowered."""
    assessment = _lock(assessment)
    if not can_supervise(by, assessment.team):
        raise NotAllowed(_("Only the office or the team's supervision group records this."))
    if assessment.is_decided:
        raise DomainError(_("The result is decided; reopen it first."))
    if item.plan_id != assessment.plan_id:
        raise DomainError(_("Pick a veto item of this year's plan."))
    if not note.strip():
        raise DomainError(_("Describe the finding."))
    veto = AssessmentVeto.objects.create(
        assessment=assessment,
        item=item,
        note=note.strip(),
        evidence_url=evidence_url,
        recorded_by=by,
    )
    cap = item.cap
    changed = []
    for field in ("suggested_grade", "proposed_grade", "grade"):
        current = getattr(assessment, field)
        if current is not None and current.rank < cap.rank:
            setattr(assessment, field, cap)
            changed.append(field)
    if changed:
        assessment.save(update_fields=changed)
    _recompute_team(assessment.plan, assessment.team)
    _step(assessment, by=by, action="veto", comment=f"{item.name}: {note.strip()}")
    return veto


# --- Using the results (R38, R48) -------------------------------------------------------


def _unit_contacts(cadres) -> dict[int, list]:
    from teams.models import DispatchingUnit

    units = DispatchingUnit.objects.filter(pk__in={c.unit_id for c in cadres}).prefetch_related(
        "contacts"
    )
    return {unit.pk: list(unit.contacts.all()) for unit in units}


@transaction.atomic
def recommendation_add(*, assessment: Assessment, kind: str, reason: str, by) -> Recommendation:
    """R38: a decided cadre recommended for commendation or priority promotion."""
    _require_office(by)
    if not assessment.is_decided:
        raise DomainError(_("Recommend only on a decided result."))
    if not reason.strip():
        raise DomainError(_("Give the reason for the recommendation."))
    recommendation = Recommendation(
        assessment=assessment, kind=kind, reason=reason.strip(), created_by=by
    )
    full_clean_or_refuse(recommendation)
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendations_send(*, plan: Plan, by) -> int:
    """R38: send each unit its cadres on the commendation and promotion list."""
    _require_office(by)
    rows = list(
        Recommendation.objects.filter(assessment__plan=plan, sent_at__isnull=True).select_related(
            "assessment__cadre"
        )
    )
    contacts = _unit_contacts([r.assessment.cadre for r in rows])
    notify_many(
        Reminder(
            contacts.get(r.assessment.cadre.unit_id, []),
            f"recommendation:{r.pk}",
            _("%(kind)s: %(name)s") % {"kind": r.get_kind_display(), "name": r.assessment.cadre},
            r.reason,
            reverse("assessments:dossier", args=[r.assessment.cadre_id]),
        )
        for r in rows
    )
    Recommendation.objects.filter(pk__in=[r.pk for r in rows]).update(sent_at=timezone.now())
    return len(rows)


@transaction.atomic
def adjustment_propose(
    *,
    cadre: Cadre,
    team: Team,
    reason: str,
    by,
    deadline: date | None = None,
    assessment: Assessment | None = None,
) -> AdjustmentProposal:
    """R48: the leading group proposes replacing an unfit cadre; the unit is notified."""
    _require_office(by)
    if not reason.strip():
        raise DomainError(_("Give the reason for the adjustment."))
    today = timezone.localdate()
    deadline = deadline or today + timedelta(days=policy_int(policies.ADJUSTMENT_DEADLINE_DAYS))
    if deadline <= today:
        raise DomainError(_("The deadline must be in the future."))
    if AdjustmentProposal.objects.filter(
        cadre=cadre, team=team, status=AdjustmentStatus.OPEN
    ).exists():
        raise DomainError(_("An adjustment of this cadre is already open."))
    proposal = AdjustmentProposal.objects.create(
        cadre=cadre,
        team=team,
        assessment=assessment,
        reason=reason.strip(),
        deadline=deadline,
        created_by=by,
    )
    notify(
        users=cadre.unit.contacts.all(),
        key=f"adjustment:{proposal.pk}",
        title=_("Adjustment proposal: replace %(name)s by %(date)s")
        % {"name": cadre.name, "date": deadline.isoformat()},
        body=proposal.reason,
        url=proposal.get_absolute_url(),
    )
    return proposal


def can_name_replacement(user, proposal: AdjustmentProposal) -> bool:
    return proposal.cadre.unit_id in get_roles(user).unit_ids


@transaction.atomic
def adjustment_name_replacement(
    *, proposal: AdjustmentProposal, replacement: Cadre, by, note: str = ""
) -> AdjustmentProposal:
    """R48 + R9: the unit names the replacement; the office then carries out the
    individual rotation (request, approval, handover of the cadre's open work)."""
    proposal = AdjustmentProposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    if not can_name_replacement(by, proposal):
        raise NotAllowed(_("Only the cadre's unit names the replacement."))
    if proposal.status != AdjustmentStatus.OPEN:
        raise DomainError(_("The replacement has already been named."))
    if replacement.pk == proposal.cadre_id or replacement.unit_id != proposal.cadre.unit_id:
        raise DomainError(_("Name another cadre of your unit."))
    if replacement.selection_status != SelectionStatus.APPROVED:
        raise DomainError(
            _("R4: %(name)s has not been approved by the organization department yet.")
            % {"name": replacement.name}
        )
    proposal.replacement, proposal.replacement_note = replacement, note.strip()
    proposal.named_by, proposal.named_at = by, timezone.now()
    proposal.status = AdjustmentStatus.NAMED
    proposal.save()
    start_rotation_for(proposal, by=by)
    return proposal


def start_rotation_for(proposal: AdjustmentProposal, *, by) -> None:
    """R9 (Art 10, 24): the unit's named replacement becomes an individual rotation request,
    which the office approves with the cadre's personal handover (teams.services)."""
    membership = (
        Membership.objects.current(timezone.localdate())
        .filter(team=proposal.team, cadre=proposal.cadre)
        .first()
    )
    if membership is None:
        raise DomainError(_("The cadre no longer serves in this team."))
    rotation = individual_rotation_request(
        membership=membership, replacement=proposal.replacement, reason=proposal.reason, by=by
    )
    proposal.rotation_ref = str(rotation.pk)
    proposal.save(update_fields=["rotation_ref"])


@transaction.atomic
def adjustment_mark_done(*, proposal: AdjustmentProposal, by, rotation_ref: str = "") -> None:
    _require_office(by)
    if proposal.status != AdjustmentStatus.NAMED:
        raise DomainError(_("The unit has not named the replacement yet."))
    proposal.status, proposal.rotation_ref = AdjustmentStatus.DONE, rotation_ref.strip()
    proposal.save(update_fields=["status", "rotation_ref"])


def adjustment_reminders_send(*, on: date | None = None) -> int:
    """R48: remind the unit once when the replacement deadline is near."""
    on = on or timezone.localdate()
    days = policy_int(policies.ADJUSTMENT_REMINDER_DAYS, on)
    due = list(
        AdjustmentProposal.objects.filter(
            status=AdjustmentStatus.OPEN, deadline__lte=on + timedelta(days=days)
        ).select_related("cadre")
    )
    contacts = _unit_contacts([p.cadre for p in due])
    return notify_many(
        Reminder(
            contacts.get(p.cadre.unit_id, []),
            f"adjustment-deadline:{p.pk}",
            _("Reminder: name the replacement for %(name)s by %(date)s")
            % {"name": p.cadre.name, "date": p.deadline.isoformat()},
            p.reason,
            p.get_absolute_url(),
        )
        for p in due
    )


@transaction.atomic
def case_record(
    *,
    cadre: Cadre,
    kind: str,
    summary: str,
    decided_on: date,
    by,
    outcome: str = "",
    unit=None,
    responsible_people: str = "",
    evidence: list[tuple[str, str]] = (),
) -> AccountabilityCase:
    """R48: a criticism, serious handling, or unit accountability, with its evidence."""
    _require_office(by)
    case = AccountabilityCase(
        cadre=cadre,
        kind=kind,
        summary=summary.strip(),
        outcome=outcome.strip(),
        unit=unit,
        responsible_people=responsible_people.strip(),
        decided_on=decided_on,
        created_by=by,
    )
    full_clean_or_refuse(case)
    case.save()
    CaseEvidence.objects.bulk_create(
        CaseEvidence(case=case, description=description, url=url) for description, url in evidence
    )
    return case


# --- End of term (registered into teams.end_checks) -------------------------------------


def end_of_term_problems(team: Team) -> list[str]:
    """R37: a team ends its term only after its cadres' end-of-term assessment is decided."""
    open_cadres = team.memberships.filter(end_date__isnull=True).values_list("cadre_id", flat=True)
    decided = set(
        Assessment.objects.filter(
            team=team, kind=Kind.END_OF_TERM, status__in=DECIDED_STATUSES
        ).values_list("cadre_id", flat=True)
    )
    missing = [cadre_id for cadre_id in open_cadres if cadre_id not in decided]
    if not missing:
        return []
    names = Cadre.objects.filter(pk__in=missing).values_list("name", flat=True)
    return [
        _("The end-of-term assessment is not decided yet for %(names)s.")
        % {"names": ", ".join(names)}
    ]
