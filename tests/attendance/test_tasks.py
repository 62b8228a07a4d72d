"""Reminder tasks (R21 overdue leave, R23 late sheets): idempotent through notify keys."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification
from attendance import services, tasks
from attendance.models import LeaveRequest, LeaveStatus
from tests import factories
from tests.attendance.factories import ask_leave
from tests.attendance.test_days_and_sheets import MONTH, _submitted

pytestmark = pytest.mark.django_db


def test_r21_remind_pending_leave_task_runs_twice_safely(team):
    supervisor = factories.supervisor_of(team)
    leave = ask_leave(factories.a_member_of(team), "2")
    LeaveRequest.objects.filter(pk=leave.pk).update(
        step_started_at=timezone.now() - timedelta(days=3)
    )
    tasks.remind_pending_leave.delay()
    tasks.remind_pending_leave.delay()
    assert (
        Notification.objects.filter(user=supervisor, key__startswith="leave-overdue").count() == 1
    )


def test_r23_late_sheet_reminds_the_leader_once(team, other_team):
    _submitted(team)  # October submitted in time
    leader, other_leader = factories.leader_of(team), factories.leader_of(other_team)
    due = date(2026, 11, 5)
    assert services.remind_unsubmitted_sheets(today=due - timedelta(days=1)) == 0
    assert services.remind_unsubmitted_sheets(today=due) >= 1
    assert services.remind_unsubmitted_sheets(today=due + timedelta(days=1)) == 0
    key = f"sheet-late:{other_team.pk}:{MONTH:%Y-%m}"
    assert Notification.objects.filter(user=other_leader, key=key).exists()
    assert not Notification.objects.filter(user=leader, key__startswith="sheet-late").exists()


def test_unsubmitted_sheets_task_is_registered_by_name():
    assert tasks.remind_unsubmitted_sheets.name == "attendance.tasks.remind_unsubmitted_sheets"
    assert tasks.remind_pending_leave.name == "attendance.tasks.remind_pending_leave"


def test_r21_withdrawing_approved_leave_before_it_starts_frees_the_days(team):
    member = factories.a_member_of(team)
    start = timezone.localdate() + timedelta(days=5)
    leave = ask_leave(member, "1", start=start)
    leave = services.leave_request_decide(
        leave=leave, user=factories.leader_of(team), approve=True
    )
    assert member.cadre.attendance_days.filter(date=start).exists()
    leave = services.leave_request_withdraw(leave=leave, user=member)
    assert leave.status == LeaveStatus.WITHDRAWN
    assert not member.cadre.attendance_days.filter(date=start).exists()
