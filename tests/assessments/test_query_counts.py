"""Every assessment list and export: the queries do not grow with the rows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import services
from assessments.models import Plan
from teams.models import MembershipRole
from tests import factories
from tests.assessments.helpers import grade

pytestmark = pytest.mark.django_db

PAGES = [
    "/assessments/",
    "/assessments/{year}/published/",
    "/assessments/{year}/circular/",
    "/assessments/{year}/circular/?format=docx",
    "/assessments/{year}/export/",
    "/assessments/{year}/routine/",
    "/assessments/{year}/ratings/",
    "/assessments/adjustments/",
    "/assessments/{year}/recommendations/",
]


def _add_teams(plan, office, n: int) -> None:
    for _ in range(n):
        team = factories.staffed_team()
        supervisor = factories.supervisor_of(team)
        services.rating_round_open(plan=plan, team=team, by=supervisor)
        services.routine_score_set(plan=plan, team=team, quarter=1, score=Decimal(80), by=office)
        member = team.memberships.filter(role=MembershipRole.MEMBER).first().cadre
        services.adjustment_propose(
            cadre=member,
            team=team,
            reason="不胜任",
            by=office,
            deadline=timezone.localdate() + timedelta(days=5),
        )


def _publish(plan: Plan, office) -> None:
    """Grade everyone 称职 straight through (the steps are tested elsewhere)."""
    services.assessment_begin(plan=plan, by=office)
    for assessment in plan.assessments.filter(status="open"):
        services.grade_propose(
            assessment=assessment, grade=grade(plan, "称职"), by=office, comment="称职"
        )
        services.grade_calibrate(assessment=assessment, grade=grade(plan, "称职"), by=office)
    services.results_decide(plan=plan, by=office, meeting="会议")
    services.results_file(plan=plan, by=office, reference="备1")
    services.results_publish(plan=plan, by=office)
    for assessment in plan.assessments.filter(recommendations__isnull=True):
        services.recommendation_add(
            assessment=assessment, kind="commend", reason="成绩突出", by=office
        )


def _counts(client, year: int) -> dict[str, int]:
    counts = {}
    for url in PAGES:
        url = url.format(year=year)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_assessment_lists_and_exports_do_not_grow_with_rows(client, office, plan):
    client.force_login(office)
    _add_teams(plan, office, 2)
    _publish(plan, office)
    small = _counts(client, plan.year)
    Plan.objects.filter(pk=plan.pk).update(published_at=None, decided_at=None, filed_at=None)
    _add_teams(plan, office, 4)
    plan.refresh_from_db()
    _publish(plan, office)
    assert plan.assessments.count() == 18
    assert _counts(client, plan.year) == small
    assert max(small.values()) <= 25
