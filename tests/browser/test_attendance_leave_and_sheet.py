"""Phone flows in Chromium: leave from request to the member's month (R21), and the
leader filling and submitting the month's sheet (R23, R34)."""

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone

from attendance.models import AttendanceSheet, LeaveRequest, LeaveStatus, SheetStatus
from core.periods import month_start, previous_month
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _policy_rows(transactional_db):
    """Transactional tests flush the rows data migrations seeded; put them back."""
    from django.apps import apps

    for module in (
        "teams.migrations.0002_seed_policies_and_tags",
        "attendance.migrations.0002_seed_policies_and_leave_chain",
    ):
        importlib.import_module(module).seed(apps, None)


def test_r21_member_asks_two_days_supervisor_approves_member_month_shows_it(page, login):
    team = factories.staffed_team(name="乌兰村驻村工作队")
    member = factories.a_member_of(team)
    supervisor = factories.supervisor_of(team)
    first = timezone.localdate() + timedelta(days=1)
    second = first + timedelta(days=1)

    login(member)
    page.get_by_test_id("home-ask-leave").click()
    page.select_option("select[name=kind]", "personal")
    page.fill("input[name=start_date]", first.isoformat())
    page.fill("input[name=end_date]", second.isoformat())
    page.fill("textarea[name=reason]", "陪同家人就医")
    page.check("input[name=village_informed]")
    page.get_by_test_id("leave-submit").click()
    page.wait_for_url("**/attendance/leave/*/")
    assert page.get_by_test_id("leave-days").inner_text().startswith("2")
    leave = LeaveRequest.objects.get(cadre=member.cadre)
    assert leave.pending_with == "supervision_group"

    page.context.clear_cookies()
    login(supervisor)
    page.goto("/attendance/inbox/")
    item = page.get_by_test_id("inbox-item")
    assert member.cadre.name in item.inner_text()
    item.click()
    page.fill("textarea[name=comment]", "同意，注意安全")
    page.get_by_test_id("approve").click()
    page.wait_for_url("**/attendance/inbox/")
    assert page.get_by_test_id("inbox-empty").is_visible()
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED

    page.context.clear_cookies()
    login(member)
    page.goto(f"/attendance/?month={first:%Y-%m}")
    cell = page.get_by_test_id(f"day-{first:%Y-%m-%d}")
    assert cell.get_attribute("data-status") == "leave_personal"
    assert "事" in cell.inner_text()


def test_r23_leader_fills_and_submits_the_month_sheet(page, login):
    team = factories.staffed_team(name="巴音村驻村工作队")
    leader = factories.leader_of(team)
    month = previous_month(month_start(timezone.localdate()))

    login(leader)
    page.get_by_test_id("home-team-month").click()
    page.goto(f"/attendance/team/?month={month:%Y-%m}")
    page.wait_for_selector("[data-testid=month-grid]")
    draft_label = page.get_by_test_id("sheet-status").inner_text()
    assert page.get_by_test_id("blank-days").is_visible()

    page.get_by_test_id("fill-blanks").click()
    page.wait_for_selector("[data-testid=month-grid]")
    assert page.get_by_test_id("blank-days").count() == 0
    member = factories.a_member_of(team)
    page.select_option(f"select[name=c-{member.cadre.pk}-{month:%Y%m}03]", "official")
    page.get_by_test_id("save-grid").click()
    page.wait_for_selector("[data-testid=month-grid]")

    page.get_by_test_id("submit-sheet").click()
    page.wait_for_selector("[data-testid=sheet-status]")
    assert page.get_by_test_id("sheet-status").inner_text() != draft_label
    assert page.get_by_test_id("grid-form").count() == 0
    sheet = AttendanceSheet.objects.get(team=team, month=month)
    assert sheet.status == SheetStatus.SUBMITTED
    assert member.cadre.attendance_days.get(date=month.replace(day=3)).status == "official"
