"""Issue 10, item 6: every MONITOR rule reminds once per subject and period; a task run
twice sends one notification."""

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django_celery_beat.models import PeriodicTask

from accounts.models import Notification
from attendance import tasks as attendance_tasks
from attendance.models import AttendanceDay, DaySource, DayStatus, LeaveRequest, LeaveStatus
from households import tasks as household_tasks
from households.models import DiaryEntry
from reports import tasks as report_tasks
from reports.models import LedgerKind
from teams import tasks as team_tasks
from tests import factories
from tests.households.factories import HouseholdFactory
from tests.reports.factories import LedgerRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_twice(django_capture_on_commit_callbacks):
    def run(task, on):
        with mock.patch("django.utils.timezone.localdate", return_value=on):
            with django_capture_on_commit_callbacks(execute=True):
                first = task.delay().get()
            with django_capture_on_commit_callbacks(execute=True):
                second = task.delay().get()
        return first, second

    return run


def _keys(user, prefix):
    return list(
        Notification.objects.filter(user=user, key__startswith=prefix).values_list(
            "key", flat=True
        )
    )


def test_r12_a_week_without_a_service_day_reminds_the_leader_once(run_twice, team):
    leader = factories.leader_of(team)
    # Week of Monday 2 March 2026: no service day. The next week has one.
    LedgerRecordFactory(team=team, kind=LedgerKind.SERVICE_DAY, date=date(2026, 3, 11))
    assert run_twice(report_tasks.remind_service_days, date(2026, 3, 9)) == (1, 0)
    assert _keys(leader, "service-day-missed:") == [f"service-day-missed:{team.pk}:2026-W10"]
    assert run_twice(report_tasks.remind_service_days, date(2026, 3, 16)) == (0, 0)


def test_r16_research_report_due_reminds_each_cadre_once_a_year(run_twice, team):
    writer = team.memberships.first().cadre
    LedgerRecordFactory(team=team, kind=LedgerKind.RESEARCH, cadre=writer, date=date(2026, 5, 1))
    assert run_twice(report_tasks.remind_research_reports, date(2026, 9, 30)) == (0, 0)
    assert run_twice(report_tasks.remind_research_reports, date(2026, 10, 1)) == (2, 0)
    assert not _keys(writer.user, "research-due:")
    assert run_twice(report_tasks.remind_research_reports, date(2026, 11, 1)) == (0, 0)


def test_r16_no_diary_entry_in_n_days_reminds_once_per_gap(run_twice, team):
    leader = factories.leader_of(team)
    for m in team.memberships.all():
        DiaryEntry.objects.create(
            village=team.village, team=team, author=m.cadre.user, date=date(2026, 3, 1), text="."
        )
    assert run_twice(household_tasks.remind_diary_gaps, date(2026, 3, 7)) == (0, 0)
    assert run_twice(household_tasks.remind_diary_gaps, date(2026, 3, 8)) == (3, 0)
    assert run_twice(household_tasks.remind_diary_gaps, date(2026, 3, 12)) == (0, 0)
    DiaryEntry.objects.create(
        village=team.village, team=team, author=leader, date=date(2026, 3, 12), text="."
    )
    assert run_twice(household_tasks.remind_diary_gaps, date(2026, 3, 19)) == (1, 0)


def test_r20_behind_pace_reminds_the_cadre_and_leader_once_a_month(run_twice, team):
    leader = factories.leader_of(team)
    member = factories.a_member_of(team)
    AttendanceDay.objects.bulk_create(
        AttendanceDay(
            cadre=member.cadre,
            team=team,
            date=date(2026, 3, 1) + timedelta(days=i),
            status=DayStatus.ABSENT,
            source=DaySource.LEADER,
        )
        for i in range(9)
    )
    assert run_twice(attendance_tasks.remind_service_pace, date(2026, 3, 10)) == (2, 0)
    assert _keys(member, "pace-behind:") == [f"pace-behind:{member.cadre.pk}:2026-03"]
    assert _keys(leader, "pace-behind:") == [f"pace-behind:{member.cadre.pk}:2026-03"]
    assert run_twice(attendance_tasks.remind_service_pace, date(2026, 3, 11)) == (0, 0)


def test_r20_a_blank_grid_is_not_behind(run_twice, team):
    assert run_twice(attendance_tasks.remind_service_pace, date(2026, 3, 25)) == (0, 0)


def test_r22_return_report_overdue_reminds_once(run_twice, team):
    member = factories.a_member_of(team)
    leave = LeaveRequest.objects.create(
        cadre=member.cadre,
        team=team,
        requester_role="member",
        kind="personal",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 3),
        days=Decimal(2),
        reason="家事",
        status=LeaveStatus.APPROVED,
    )
    assert run_twice(attendance_tasks.remind_return_reports, date(2026, 3, 4)) == (0, 0)
    assert run_twice(attendance_tasks.remind_return_reports, date(2026, 3, 5)) == (2, 0)
    assert _keys(member, "return-overdue:") == [f"return-overdue:{leave.pk}"]
    leave.status = LeaveStatus.RETURNED
    leave.save()
    assert run_twice(attendance_tasks.remind_return_reports, date(2026, 3, 9)) == (0, 0)


def test_r26_r29_r30_behind_at_mid_year_remind_once_each(run_twice, team):
    leader = factories.leader_of(team)
    for _ in range(10):
        HouseholdFactory(village=team.village)
    # 8 of the roster's 10 households: 80%, met, although 8/9 was typed in.
    LedgerRecordFactory(
        team=team,
        kind=LedgerKind.PRACTICAL,
        date=date(2026, 5, 1),
        households_benefiting=7,
        village_households=8,
    )
    assert run_twice(report_tasks.remind_midyear_tasks, date(2026, 6, 30)) == (0, 0)
    assert run_twice(report_tasks.remind_midyear_tasks, date(2026, 7, 1)) == (3, 0)
    keys = sorted(k.split(":")[0] for k in _keys(leader, ""))
    assert keys == ["collective-behind", "practical-behind", "trainings-behind"]
    assert run_twice(report_tasks.remind_midyear_tasks, date(2026, 8, 1)) == (0, 0)


def test_r30_share_is_measured_against_the_roster(run_twice, team):
    leader = factories.leader_of(team)
    for _ in range(10):
        HouseholdFactory(village=team.village)
    LedgerRecordFactory(
        team=team,
        kind=LedgerKind.PRACTICAL,
        date=date(2026, 5, 1),
        households_benefiting=8,
        village_households=8,
    )
    LedgerRecordFactory(team=team, kind=LedgerKind.TRAINING, date=date(2026, 3, 1))
    LedgerRecordFactory(
        team=team, kind=LedgerKind.COLLECTIVE, date=date(2026, 3, 1), is_stable_income=True
    )
    assert run_twice(report_tasks.remind_midyear_tasks, date(2026, 7, 1)) == (0, 0)
    assert not _keys(leader, "practical-behind:")


def test_r35_health_check_overdue_reminds_cadre_and_unit_once_a_year(run_twice, team):
    cadres = [m.cadre for m in team.memberships.all()]
    for cadre in cadres[1:]:
        cadre.health_check_date = date(2026, 1, 10)
        cadre.save()
    cadres[0].health_check_date = date(2024, 12, 1)
    cadres[0].save()
    contact = factories.unit_contact_of(team.unit)
    assert run_twice(team_tasks.remind_health_checks, date(2026, 3, 1)) == (2, 0)
    assert _keys(contact, "health-check:") == [f"health-check:{cadres[0].pk}:2026"]
    assert run_twice(team_tasks.remind_health_checks, date(2026, 6, 1)) == (0, 0)


def test_every_new_reminder_is_in_the_beat_schedule():
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "reports.tasks.remind_service_days",
        "reports.tasks.remind_research_reports",
        "reports.tasks.remind_midyear_tasks",
        "households.tasks.remind_diary_gaps",
        "attendance.tasks.remind_service_pace",
        "attendance.tasks.remind_return_reports",
        "teams.tasks.remind_health_checks",
    } <= names
