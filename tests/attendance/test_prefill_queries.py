"""R23: pre-filling a month from approved leave costs the same queries for 1 leave as for 8."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.models import AttendanceDay, AttendanceSheet, DayStatus, LeaveKind, LeaveRequest
from attendance.services import attendance_sheet_prefill
from tests import factories

pytestmark = pytest.mark.django_db
MONTH = date(2026, 10, 1)


def approved_leaves(team, count):
    cadres = [m.cadre for m in team.memberships.all()]
    for index in range(count):
        start = MONTH + timedelta(days=3 * index)
        LeaveRequest.objects.create(
            cadre=cadres[index % len(cadres)],
            team=team,
            requester_role="member",
            kind=LeaveKind.SICK,
            start_date=start,
            end_date=start + timedelta(days=1),
            days=2,
            reason="病假",
            status="approved",
        )


def prefill_queries(team) -> int:
    sheet = AttendanceSheet.objects.create(team=team, month=MONTH)
    with CaptureQueriesContext(connection) as queries:
        attendance_sheet_prefill(sheet=sheet)
    return len(queries)


def test_prefill_queries_do_not_grow_with_leaves():
    one, many = factories.staffed_team(members=3), factories.staffed_team(members=3)
    approved_leaves(one, 1)
    approved_leaves(many, 8)
    assert prefill_queries(many) == prefill_queries(one)
    days = AttendanceDay.objects.filter(team=many, status=DayStatus.LEAVE_SICK)
    assert days.count() == 16
    assert days.filter(leave__isnull=False).count() == 16
