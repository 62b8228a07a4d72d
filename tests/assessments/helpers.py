"""Builders for assessment tests (plain functions, so browser tests can use them too)."""

from __future__ import annotations

from assessments import services
from assessments.models import Kind, Status
from tests import factories


def plan_for(year: int, office):
    return services.plan_create(year=year, by=office)


def grade(plan, name: str):
    return plan.grades.get(name=name)


def decided_end_of_term(team, office, *, year: int = 2026):
    """Every current member of ``team`` with a decided end-of-term assessment (R37)."""
    from assessments.models import Plan

    plan = Plan.objects.filter(year=year).first() or plan_for(year, office)
    supervisor = factories.supervisor_of(team)
    for assessment in services.end_of_term_begin(plan=plan, team=team, by=office):
        services.grade_propose(
            assessment=assessment, grade=grade(plan, "称职"), by=supervisor, comment="期满考核"
        )
        services.grade_calibrate(assessment=assessment, grade=grade(plan, "称职"), by=office)
    services.results_decide(
        plan=plan, by=office, meeting="领导小组会议", kind=Kind.END_OF_TERM, team=team
    )
    assert (
        not plan.assessments.filter(team=team, kind=Kind.END_OF_TERM)
        .exclude(status=Status.DECIDED)
        .exists()
    )
    return plan
