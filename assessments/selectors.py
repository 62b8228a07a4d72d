"""Reads of assessments, already scoped and shaped for the pages (R37, R38, R48, Art 13)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import get_roles
from assessments.models import (
    AccountabilityCase,
    AdjustmentProposal,
    AdjustmentStatus,
    Assessment,
    Kind,
    Plan,
    RatingRound,
    Recommendation,
    Status,
)
from core.figures import cadre_figures, team_figures
from teams.models import Cadre, Membership, Team

ROW_RELATED = (
    "cadre__unit",
    "team__village__township__banner",
    "suggested_grade",
    "proposed_grade",
    "grade",
)


def plan_for_year(year: int) -> Plan:
    return get_object_or_404(Plan, year=year)


def plans():
    return Plan.objects.order_by("-year")


def current_plan() -> Plan | None:
    return Plan.objects.filter(year__lte=timezone.localdate().year).order_by("-year").first()


def annual_rows(
    *,
    user,
    plan: Plan,
    kind: str = Kind.ANNUAL,
    team_id: int | None = None,
    status: str = "",
    search: str = "",
):
    """Where every cadre stands, for whoever may see them before publication (R37)."""
    rows = (
        Assessment.objects.visible_to(user)
        .filter(plan=plan, kind=kind)
        .select_related(*ROW_RELATED)
        .defer("indicator_scores")
        .order_by("team__village__township__banner__code", "team__name", "cadre__name")
    )
    if team_id:
        rows = rows.filter(team_id=team_id)
    if status:
        rows = rows.filter(status=status)
    if search:
        rows = rows.filter(Q(cadre__name__icontains=search) | Q(team__name__icontains=search))
    return rows


def results_export_rows(*, user, plan: Plan, kind: str = Kind.ANNUAL):
    """The filing workbook's rows as plain tuples: a city's 3,200 cadres without building
    seven model instances for each."""
    return (
        Assessment.objects.visible_to(user)
        .filter(plan=plan, kind=kind)
        .order_by("team__village__township__banner__code", "team__name", "cadre__name")
        .values_list(
            "team__village__township__banner__name",
            "team__name",
            "cadre__name",
            "cadre__unit__name",
            "score",
            "suggested_grade__name",
            "proposed_grade__name",
            "grade__name",
            "status",
        )
    )


def published_rows(*, plan: Plan):
    """Published results: every user reads them city-wide (R37)."""
    return (
        Assessment.objects.published()
        .filter(plan=plan, kind=Kind.ANNUAL)
        .select_related(*ROW_RELATED)
        .order_by("grade__rank", "team__village__township__banner__code", "cadre__name")
    )


def assessment_detail(*, user, pk: int) -> Assessment:
    visible = Assessment.objects.visible_to(user) | Assessment.objects.published()
    if not get_roles(user).is_authenticated:
        visible = Assessment.objects.none()
    return get_object_or_404(
        visible.select_related(*ROW_RELATED, "plan").prefetch_related(
            "history__actor", "vetoes__item__cap", "recommendations"
        ),
        pk=pk,
    )


def sees_working_papers(*, user, assessment: Assessment) -> bool:
    """Scores, findings and history: for those in scope before publication only."""
    return Assessment.objects.visible_to(user).filter(pk=assessment.pk).exists()


def status_counts(*, user, plan: Plan, kind: str = Kind.ANNUAL) -> dict[str, int]:
    rows = Assessment.objects.visible_to(user).filter(plan=plan, kind=kind)
    return dict(rows.values("status").annotate(n=Count("pk")).values_list("status", "n"))


def supervised_teams(*, user, plan: Plan):
    """Stationed teams whose routine scores and ratings this user runs."""
    roles = get_roles(user)
    teams = Team.objects.visible_to(user).exclude(status="forming").select_related("village")
    if not roles.is_office:
        teams = teams.filter(supervision_group_id__in=roles.supervision_group_ids)
    return teams.filter(
        term_start__lte=date(plan.year, 12, 31), term_end__gte=date(plan.year, 1, 1)
    )


def rating_rounds(*, user, plan: Plan):
    return (
        RatingRound.objects.visible_to(user)
        .filter(plan=plan)
        .select_related("team__village")
        .annotate(
            n_slips=Count("slips"),
            responses=Count("slips", filter=Q(slips__stars__isnull=False)),
        )
    )


def recommendations(*, user, plan: Plan):
    return (
        Recommendation.objects.visible_to(user)
        .filter(assessment__plan=plan)
        .select_related("assessment__cadre__unit", "assessment__team", "assessment__grade")
        .order_by("kind", "assessment__cadre__unit__name", "assessment__cadre__name")
    )


def adjustments(*, user, open_only: bool = False):
    rows = AdjustmentProposal.objects.visible_to(user).select_related(
        "cadre__unit", "team__village", "replacement"
    )
    if open_only:
        rows = rows.filter(status=AdjustmentStatus.OPEN)
    return rows


def overdue_adjustments(*, user, on: date | None = None):
    """R48: replacements past their deadline, for the office's alerts."""
    on = on or timezone.localdate()
    return adjustments(user=user, open_only=True).filter(deadline__lt=on)


def adjustment_detail(*, user, pk: int) -> AdjustmentProposal:
    return get_object_or_404(adjustments(user=user), pk=pk)


def _months(year: int, until: date) -> list[tuple[date, date]]:
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        if first > until:
            break
        last = date(year + month // 12, month % 12 + 1, 1)
        months.append((first, date.fromordinal(last.toordinal() - 1)))
    return months


def _month_row(figures: dict) -> dict:
    return {
        "service_days": figures.get("attendance.service_days"),
        "required_days": figures.get("attendance.required_days"),
        "leave_days": figures.get("attendance.leave_days"),
        "absence": figures.get("attendance.unapproved_absence_days"),
        "checkins": figures.get("attendance.checkin_days"),
        "visits": figures.get("households.visits"),
        "ledger": figures.get("reports.ledger_records"),
    }


def dossier(*, user, pk: int, year: int | None = None) -> dict:
    """干部档案 (Art 13): one page per cadre, scoped like the cadre pages.

    The monthly figures come from ``core.figures`` once per month shown, so the queries
    depend on the months, never on how many records the cadre has.
    """
    cadre = get_object_or_404(Cadre.objects.visible_to(user).select_related("unit", "user"), pk=pk)
    today = timezone.localdate()
    year = year or today.year
    memberships = list(
        Membership.objects.filter(cadre=cadre)
        .select_related("team__village__township__banner", "team__unit")
        .order_by("-start_date")
    )
    months = []
    for first, last in _months(year, today):
        figures = cadre_figures(cadre_ids=[cadre.pk], start=first, end=last)[cadre.pk]
        months.append({"month": first, "figures": _month_row(figures)})
    team_ids = [m.team_id for m in memberships]
    teams_year = team_figures(
        team_ids=team_ids, start=date(year, 1, 1), end=min(date(year, 12, 31), today)
    )
    for membership in memberships:
        figures = teams_year.get(membership.team_id, {})
        membership.year_figures = {
            "coverage": figures.get("households.r14_coverage"),
            "reports_on_time": figures.get("reports.reports_on_time"),
            "reports_late": figures.get("reports.reports_late"),
        }
    assessments = list(
        Assessment.objects.filter(cadre=cadre)
        .filter(
            Q(pk__in=Assessment.objects.visible_to(user).values("pk")) | Q(status=Status.PUBLISHED)
        )
        .select_related("plan", "team", "grade", "suggested_grade")
        .prefetch_related(Prefetch("vetoes"))
        .order_by("-plan__year", "kind")
    )
    return {
        "cadre": cadre,
        "year": year,
        "memberships": memberships,
        "months": months,
        "year_total": cadre_figures(
            cadre_ids=[cadre.pk], start=date(year, 1, 1), end=min(date(year, 12, 31), today)
        )[cadre.pk],
        "assessments": assessments,
        "recommendations": list(
            Recommendation.objects.visible_to(user)
            .filter(assessment__cadre=cadre)
            .select_related("assessment__plan")
        ),
        "cases": list(
            AccountabilityCase.objects.visible_to(user)
            .filter(cadre=cadre)
            .prefetch_related("evidence")
            .select_related("unit")
        ),
        "adjustments": list(
            AdjustmentProposal.objects.visible_to(user)
            .filter(cadre=cadre)
            .select_related("team", "replacement")
        ),
    }
