"""Each role's workbench counts what waits for them, links to the list, and costs a fixed
number of queries whatever the number of rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attendance import services as attendance_services
from attendance.models import AttendanceSheet, LeaveRequest, LeaveStatus, SheetStatus
from dashboards.workbench import workbench
from households.models import DiaryEntry, PovertyStatus, Zone
from reports.models import CaseStatus, LedgerKind
from tests import factories
from tests.attendance.factories import approve_all, ask_leave
from tests.households.factories import HouseholdFactory
from tests.reports.factories import LedgerRecordFactory, ReportFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


_periods = iter(range(1, 10**6))


def report(team, deadline, **kwargs):
    """A report with its own period (one report per team, kind and period)."""
    n = next(_periods)
    start = date(2000 + n % 90, 1, 1)
    values = {"period_start": start, "period_end": start + timedelta(days=89)}
    values.update(kwargs)
    return ReportFactory(team=team, deadline=deadline, **values)


def count(bench, key):
    item = bench.item(key)
    assert item is not None, key
    return item.count


@pytest.fixture
def people(team, other_team, office):
    village = team.village
    return {
        "office": office,
        "supervisor": factories.supervisor_of(team),
        "unit": factories.unit_contact_of(team.unit),
        "township": factories.area_staff(township=village.township, is_head=True),
        "village": factories.area_staff(village=village, is_head=True),
        "leader": factories.leader_of(team),
        "member": factories.a_member_of(team),
        "outsider": factories.leader_of(other_team),
    }


def test_member_sees_the_big_check_in_button_then_the_time(client, people):
    member = people["member"]
    client.force_login(member)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="wb-checkin-button"' in page
    checkin = attendance_services.checkin_record(user=member)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="wb-checkin-button"' not in page
    assert f"{timezone.localtime(checkin.at):%H:%M}" in page


def test_member_counts_visits_due_diary_days_and_own_leave(people, team, other_team):
    member = people["member"]
    for _i in range(3):  # R13: the team started long ago, so each first visit is overdue
        HouseholdFactory(village=team.village)
    HouseholdFactory(village=other_team.village)
    wednesday = TODAY - timedelta(days=TODAY.weekday()) + timedelta(days=2)
    DiaryEntry.objects.create(
        village=team.village,
        team=team,
        author=member,
        date=wednesday - timedelta(days=2),
        text="x",
    )
    ask_leave(member, "1", start=TODAY + timedelta(days=10))
    bench = workbench(user=member, today=wednesday)
    assert count(bench, "visits_due") == 3
    assert bench.item("visits_due").alert
    assert count(bench, "diary_missing") == 2  # Tuesday and Wednesday
    assert count(bench, "leave_pending") == 1
    assert bench.item("approvals") is None  # not a leader


def test_leader_counts_approvals_reports_disputes_and_who_is_away(people, team):
    leader, member = people["leader"], people["member"]
    ask_leave(member, "1", start=TODAY + timedelta(days=10))
    away = ask_leave(member, "1", start=TODAY)
    approve_all(away, {"leader": leader})
    report(team, TODAY + timedelta(days=9))
    report(team, TODAY - timedelta(days=1))
    LedgerRecordFactory(team=team, kind=LedgerKind.DISPUTE, case_status=CaseStatus.REPORTED)
    LedgerRecordFactory(team=team, kind=LedgerKind.DISPUTE, case_status=CaseStatus.RESOLVED)
    bench = workbench(user=leader, today=TODAY)
    assert count(bench, "approvals") == 1
    assert count(bench, "reports_due") == 2
    assert "9" in bench.item("reports_due").note
    assert bench.item("reports_due").alert  # one is past its deadline
    assert count(bench, "disputes") == 1
    assert count(bench, "away") == 1
    section = next(s for s in bench.sections if s.key == "leader")
    assert section.names == [away.cadre.name]
    assert bench.item("blank_days").note  # the sheet's state is said


def test_supervisor_counts_approvals_sheets_to_issue_and_late_reports(people, team, other_team):
    leader = people["leader"]
    ask_leave(leader, "1", start=TODAY + timedelta(days=10))  # R21: to the supervision group
    ask_leave(factories.leader_of(other_team), "1", start=TODAY + timedelta(days=10))
    month = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
    AttendanceSheet.objects.create(team=team, month=month, status=SheetStatus.CONFIRMED)
    AttendanceSheet.objects.create(team=other_team, month=month, status=SheetStatus.CONFIRMED)
    report(team, TODAY - timedelta(days=3))
    report(other_team, TODAY - timedelta(days=3))
    bench = workbench(user=people["supervisor"], today=TODAY)
    assert count(bench, "approvals") == 1
    assert count(bench, "approvals_overdue") == 0
    assert count(bench, "sheets_to_issue") == 1
    assert count(bench, "reports_late") == 1
    assert bench.item("visits_due") is None  # not a cadre


def test_unit_counts_issued_sheets_and_reports(people, team, other_team):
    month = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
    AttendanceSheet.objects.create(team=team, month=month, status=SheetStatus.ISSUED)
    AttendanceSheet.objects.create(team=other_team, month=month, status=SheetStatus.ISSUED)
    report(team, TODAY, period_start=TODAY - timedelta(days=30), period_end=TODAY)
    bench = workbench(user=people["unit"], today=TODAY)
    assert count(bench, "sheets_issued") == 1
    assert count(bench, "reports") == 1


def test_area_staff_count_sheets_to_confirm_and_their_area(people, team, other_team):
    month = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
    AttendanceSheet.objects.create(team=team, month=month, status=SheetStatus.SUBMITTED)
    AttendanceSheet.objects.create(team=other_team, month=month, status=SheetStatus.SUBMITTED)
    HouseholdFactory(village=team.village, zone=Zone.RED, poverty_status=PovertyStatus.REGISTERED)
    HouseholdFactory(village=team.village)
    HouseholdFactory(village=other_team.village, zone=Zone.RED)
    for role in ("township", "village"):
        bench = workbench(user=people[role], today=TODAY)
        assert count(bench, "sheets_to_confirm") == 1, role
        assert count(bench, "households") == 2, role
        assert count(bench, "red_zone") == 1, role
        assert count(bench, "unpaired") == 1, role  # R33


def test_office_workbench_leads_to_the_city_cockpit(client, people):
    client.force_login(people["office"])
    page = client.get(reverse("home")).content.decode()
    assert reverse("dashboards:cockpit") in page


def test_each_count_links_to_its_list(client, people, team):
    client.force_login(people["leader"])
    ask_leave(people["member"], "1", start=TODAY + timedelta(days=10))
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("attendance:inbox")}" data-testid="wb-approvals"' in page
    inbox = client.get(reverse("attendance:inbox")).content.decode()
    assert inbox.count('data-testid="inbox-item"') == 1


def _queries(client, user) -> int:
    from django.core.cache import cache

    client.force_login(user)
    cache.clear()  # both measures with the roles cache cold (accounts.roles_cache)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


def _more_rows(team, people):
    """Rows that an N+1 would pay for: households, leave, reports, sheets, diary."""
    for _i in range(6):
        HouseholdFactory(village=team.village, zone=Zone.RED, poverty_status="registered")
        report(team, TODAY - timedelta(days=2))
    for start in (10, 12, 14):
        leave = ask_leave(people["member"], "1", start=TODAY + timedelta(days=start))
        LeaveRequest.objects.filter(pk=leave.pk).update(status=LeaveStatus.PENDING)
    for day in range(3):
        DiaryEntry.objects.create(
            village=team.village,
            team=team,
            author=people["member"],
            date=TODAY - timedelta(days=day),
            text="x",
        )
    report(team, TODAY + timedelta(days=5))


@pytest.mark.parametrize("role", ["member", "leader", "supervisor", "unit", "village", "office"])
def test_workbench_queries_do_not_grow_with_rows(client, people, team, role):
    before = _queries(client, people[role])
    _more_rows(team, people)
    after = _queries(client, people[role])
    assert after == before, (role, before, after)


@pytest.mark.parametrize("role", ["member", "leader", "supervisor", "unit", "village", "office"])
def test_workbench_query_guard(client, people, team, role, django_assert_max_num_queries):
    _more_rows(team, people)
    client.force_login(people[role])
    with django_assert_max_num_queries(40):
        client.get(reverse("home"))


def test_workbench_shows_nothing_of_another_team(client, people, other_team):
    ask_leave(factories.a_member_of(other_team), "1", start=TODAY + timedelta(days=10))
    HouseholdFactory(village=other_team.village)
    bench = workbench(user=people["leader"], today=TODAY)
    assert count(bench, "approvals") == 0
    assert count(bench, "visits_due") == 0
