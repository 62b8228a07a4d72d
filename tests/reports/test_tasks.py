"""Reminders: each beat task run twice sends one notification (and one email) per subject."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django_celery_beat.models import PeriodicTask

from accounts.models import Notification
from reports import tasks
from reports.models import LedgerKind
from tests import factories
from tests.reports.factories import LedgerRecordFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_twice(django_capture_on_commit_callbacks):
    """Run a task twice on the given day, as the eager worker would, e-mails included."""

    def run(task, on):
        with mock.patch("django.utils.timezone.localdate", return_value=on):
            with django_capture_on_commit_callbacks(execute=True):
                first = task.delay().get()
            with django_capture_on_commit_callbacks(execute=True):
                second = task.delay().get()
        return first, second

    return run


def test_r19_report_deadline_approaching_reminds_the_leader_once(run_twice):
    team = factories.staffed_team()
    leader = factories.leader_of(team)
    on = date(2026, 4, 8)  # Q1 report due 2026-04-10, reminder window 3 days
    first, second = run_twice(tasks.remind_report_deadlines, on)
    assert first >= 1 and second == 0
    keys = list(leader.notifications.values_list("key", flat=True))
    assert len([k for k in keys if k.startswith("report-due:")]) == len(set(keys))
    assert any(k.startswith("report-due:") for k in keys)
    assert len(mail.outbox) == 0 or all(m.to for m in mail.outbox)


def test_r19_missed_deadline_flags_the_leader_and_the_supervision_group_once(run_twice):
    team = factories.staffed_team()
    leader = factories.leader_of(team)
    supervisor = factories.supervisor_of(team)
    report = ReportFactory(team=team, deadline=date(2026, 4, 10))
    first, second = run_twice(tasks.remind_report_deadlines, date(2026, 4, 11))
    assert second == 0
    for user in (leader, supervisor):
        assert Notification.objects.filter(user=user, key=f"report-late:{report.pk}").count() == 1


def test_r10_study_sessions_below_minimum_by_the_25th_remind_once(run_twice):
    team = factories.staffed_team()
    leader = factories.leader_of(team)
    LedgerRecordFactory(team=team, kind=LedgerKind.STUDY, date=date(2026, 3, 2))
    assert run_twice(tasks.remind_study_sessions, date(2026, 3, 24)) == (0, 0)
    assert run_twice(tasks.remind_study_sessions, date(2026, 3, 25)) == (1, 0)
    assert leader.notifications.filter(key=f"study-below:{team.pk}:2026-03").count() == 1


def test_r10_a_team_at_the_minimum_is_not_reminded(run_twice):
    team = factories.staffed_team()
    for day in (2, 16):
        LedgerRecordFactory(team=team, kind=LedgerKind.STUDY, date=date(2026, 3, day))
    assert run_twice(tasks.remind_study_sessions, date(2026, 3, 26)) == (0, 0)


def test_r7_r35_terms_and_insurance_ending_remind_once(run_twice):
    on = date(2026, 11, 25)
    team = factories.staffed_team(term_start=date(2025, 1, 1), term_end=on + timedelta(days=30))
    office = factories.office_user(email="office@example.org")
    leader = factories.leader_of(team)
    cadre = leader.cadre
    cadre.insurance_end = on + timedelta(days=10)
    cadre.save()
    first, second = run_twice(tasks.remind_terms_and_insurance, on)
    assert first >= 3 and second == 0
    assert leader.notifications.filter(key__startswith="term-ending:").count() == 1
    assert leader.notifications.filter(key__startswith="insurance-ending:").count() == 1
    assert office.notifications.filter(key__startswith="terms-insurance-digest:").count() == 1
    assert len([m for m in mail.outbox if "office@example.org" in m.to]) == 1


def test_r32_quarterly_leader_meeting_reminds_once_a_quarter(run_twice):
    team = factories.staffed_team()
    leader = factories.leader_of(team)
    factories.office_user()
    first, second = run_twice(tasks.remind_leader_meeting, date(2026, 10, 1))
    assert first == 2 and second == 0
    assert leader.notifications.filter(key="leader-meeting:2026Q4").count() == 1


def test_beat_schedule_is_seeded_and_editable_rows():
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "reports.tasks.remind_report_deadlines",
        "reports.tasks.remind_study_sessions",
        "reports.tasks.remind_terms_and_insurance",
        "reports.tasks.remind_leader_meeting",
        "attendance.tasks.remind_pending_leave",
        "attendance.tasks.remind_unsubmitted_sheets",
        "households.tasks.remind_overdue_visits",
        "households.tasks.remind_unpaired_poor_households",
    } <= names
    weekly = PeriodicTask.objects.get(task="households.tasks.remind_overdue_visits")
    assert weekly.crontab.day_of_week == "1"


def test_every_scheduled_task_is_registered():
    """Beat sends by name: each seeded row must name a task some app defines."""
    import importlib

    from config.celery_app import app

    for name in PeriodicTask.objects.values_list("task", flat=True):
        importlib.import_module(name.rsplit(".", 1)[0])
        assert name in app.tasks, name
