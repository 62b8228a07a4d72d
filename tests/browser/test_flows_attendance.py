"""Attendance flows in Chromium, driven as the people involved do them on their phones:
check-in (R20, DESIGN.md check-in), the monthly sheet chain up to the allowance (R23, R34),
a rejected leave and a leader's own leave (R21), and the return report (销假, R22).

Each person has their own browser context (own cookies), so a page left open by one of them
is still theirs when they come back to it, as on a real phone.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from attendance import services
from attendance.models import (
    AttendanceDay,
    AttendanceSheet,
    CheckIn,
    CheckInFlag,
    DayStatus,
    LeaveKind,
    LeaveRequest,
    LeaveStatus,
    SheetStatus,
)
from core import periods
from teams.policies import policy_int
from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def zh(text) -> str:
    """What a person reads: the catalogue's Chinese for ``text`` (a msgid or a lazy label)."""
    with translation.override("zh-hans"):
        return gettext(text) if isinstance(text, str) else str(text)


@pytest.fixture
def open_as(browser, live_server):
    """A phone of its own for each person, logged in through the real form."""
    contexts = []

    def _open(user):
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield _open
    for context in contexts:
        context.close()


def alerts(page):
    return page.locator("main [role=alert]")


def test_checkin_without_location_is_flagged_and_a_second_one_is_refused(page, login):
    """DESIGN.md check-in / R20: no location is recorded but flagged; one check-in a day."""
    team = factories.staffed_team(name="乌兰村驻村工作队")
    member = factories.a_member_of(team)

    login(member)
    page.goto("/attendance/")
    # The same page left open in a second tab: its button is still there afterwards.
    second_tab = page.context.new_page()
    second_tab.goto("/attendance/")

    page.get_by_test_id("checkin-without-location").click()
    page.wait_for_url("**/attendance/")
    flag = zh(CheckInFlag.NO_LOCATION.label)
    expect(alerts(page)).to_contain_text(flag)
    expect(page.get_by_test_id("checked-in")).to_contain_text(flag)
    assert page.get_by_test_id("checkin-without-location").count() == 0
    today = timezone.localdate()
    expect(page.get_by_test_id(f"day-{today:%Y-%m-%d}")).to_have_attribute(
        "data-status", DayStatus.IN_VILLAGE
    )

    second_tab.get_by_test_id("checkin-without-location").click()
    second_tab.wait_for_url("**/attendance/")
    expect(alerts(second_tab)).to_contain_text(zh("You have already checked in today."))
    checkin = CheckIn.objects.get(cadre=member.cadre)
    assert checkin.flag == CheckInFlag.NO_LOCATION
    assert checkin.latitude is None and checkin.longitude is None


def test_sheet_chain_from_leader_to_allowance_and_the_issued_month_stays_closed(open_as):
    """R23/R34: leader submits, village and township heads confirm online, the supervision
    group issues, the unit contact sees the allowance; the issued month refuses edits."""
    team = factories.staffed_team(name="巴音村驻村工作队")
    leader = factories.leader_of(team)
    member = factories.a_member_of(team)
    month = periods.previous_month(periods.month_start(timezone.localdate()))
    village_head = factories.area_staff(village=team.village, is_head=True)
    township_head = factories.area_staff(township=team.village.township, is_head=True)
    supervisor = factories.supervisor_of(team)
    unit_contact = factories.unit_contact_of(team.unit)
    grid_url = f"/attendance/teams/{team.pk}/{month.year}/{month.month}/"

    leader_page = open_as(leader)
    leader_page.goto(f"/attendance/team/?month={month:%Y-%m}")
    leader_page.get_by_test_id("fill-blanks").click()
    expect(leader_page.get_by_test_id("month-grid")).to_be_visible()
    assert leader_page.get_by_test_id("blank-days").count() == 0
    # The grid stays open in a second tab of the leader's phone.
    stale_grid = leader_page.context.new_page()
    stale_grid.goto(grid_url)
    leader_page.get_by_test_id("submit-sheet").click()
    expect(leader_page.get_by_test_id("sheet-status")).to_have_text(
        zh(SheetStatus.SUBMITTED.label)
    )

    head_page = open_as(village_head)
    head_page.goto("/attendance/sheets/")
    head_page.get_by_test_id("sheets-to-act").get_by_role("link", name=team.name).click()
    head_page.get_by_test_id("confirm-village").click()
    expect(head_page.get_by_test_id("sheet-status")).to_have_text(zh(SheetStatus.SUBMITTED.label))
    assert head_page.get_by_test_id("confirm-village").count() == 0

    township_page = open_as(township_head)
    township_page.goto("/attendance/sheets/")
    township_page.get_by_test_id("sheets-to-act").get_by_role("link", name=team.name).click()
    township_page.get_by_test_id("confirm-township").click()
    expect(township_page.get_by_test_id("sheet-status")).to_have_text(
        zh(SheetStatus.CONFIRMED.label)
    )

    supervisor_page = open_as(supervisor)
    supervisor_page.goto("/attendance/inbox/")
    supervisor_page.get_by_test_id("sheets-to-act").get_by_role("link", name=team.name).click()
    supervisor_page.get_by_test_id("issue-sheet").click()
    expect(supervisor_page.get_by_test_id("sheet-status")).to_have_text(
        zh(SheetStatus.ISSUED.label)
    )
    assert AttendanceSheet.objects.get(team=team, month=month).status == SheetStatus.ISSUED

    # R34: the unit pays from the issued sheet: every day of the month, at the daily rate.
    unit_page = open_as(unit_contact)
    unit_page.goto("/attendance/allowance/")
    table = unit_page.get_by_test_id("allowance-table")
    days = (periods.month_end(month) - month).days + 1
    rate = policy_int("attendance_daily_allowance", month)
    for membership in team.memberships.select_related("cadre"):
        name = unit_page.locator("td").filter(has_text=re.compile(f"^{membership.cadre.name}$"))
        row = table.locator("tbody tr").filter(has=name)
        cells = row.locator("td")
        expect(cells.nth(2)).to_have_text(team.name)
        expect(cells.nth(3)).to_have_text(str(days))
        assert cells.nth(4).inner_text().split(".")[0] == str(days * rate)

    # R23: the leader's old tab still shows the grid; saving a change is refused.
    cell = f"c-{member.cadre.pk}-{month:%Y%m}03"
    stale_grid.select_option(f"select[name={cell}]", DayStatus.OFFICIAL)
    stale_grid.get_by_test_id("save-grid").click()
    expect(alerts(stale_grid)).to_contain_text(
        zh("The attendance sheet of this month is no longer a draft: ask for it to be reopened.")
    )
    assert stale_grid.get_by_test_id("grid-form").count() == 0
    day = AttendanceDay.objects.get(cadre=member.cadre, date=month.replace(day=3))
    assert day.status == DayStatus.IN_VILLAGE

    # A member sees the issued month read-only, and a forged save is refused (403).
    member_page = open_as(member)
    member_page.goto(grid_url)
    expect(member_page.get_by_test_id("sheet-status")).to_have_text(zh(SheetStatus.ISSUED.label))
    assert member_page.get_by_test_id("grid-form").count() == 0
    forged = member_page.request.post(
        grid_url,
        form={cell: DayStatus.OFFICIAL},
        headers={"X-CSRFToken": _csrf(member_page), "Referer": member_page.url},
    )
    assert forged.status == 403
    assert zh("Only the team's leader can correct its attendance.") in forged.text()


def _csrf(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def _ask_leave(page, *, first, last, reason):
    page.goto("/attendance/leave/new/")
    page.select_option("select[name=kind]", LeaveKind.PERSONAL)
    page.fill("input[name=start_date]", first.isoformat())
    page.fill("input[name=end_date]", last.isoformat())
    page.fill("textarea[name=reason]", reason)
    page.check("input[name=village_informed]")
    page.get_by_test_id("leave-submit").click()
    page.wait_for_url("**/attendance/leave/*/")


def test_leave_rejected_with_a_comment_and_a_leader_cannot_approve_own_leave(open_as):
    """R21: the supervision group rejects a member's 2 days with a reason the member reads;
    nobody approves their own leave, even a leader who sits in the approving body."""
    team = factories.staffed_team(name="乌兰村驻村工作队")
    member = factories.a_member_of(team)
    supervisor = factories.supervisor_of(team)
    first = timezone.localdate() + timedelta(days=5)

    member_page = open_as(member)
    _ask_leave(member_page, first=first, last=first + timedelta(days=1), reason="回家秋收")
    assert member_page.get_by_test_id("leave-days").inner_text().startswith("2")
    leave_url = member_page.url

    supervisor_page = open_as(supervisor)
    supervisor_page.goto("/attendance/inbox/")
    supervisor_page.get_by_test_id("inbox-item").filter(has_text=member.cadre.name).click()
    supervisor_page.fill("textarea[name=comment]", "秋收期间村里人手紧，请改期")
    supervisor_page.get_by_test_id("reject").click()
    supervisor_page.wait_for_url("**/attendance/inbox/")
    expect(supervisor_page.get_by_test_id("inbox-empty")).to_be_visible()

    member_page.goto(leave_url)
    expect(member_page.get_by_test_id("leave-status")).to_have_text(zh(LeaveStatus.REJECTED.label))
    expect(member_page.get_by_test_id("leave-history")).to_contain_text(
        "秋收期间村里人手紧，请改期"
    )
    assert LeaveRequest.objects.get(cadre=member.cadre).status == LeaveStatus.REJECTED

    # The leader also sits in the team's supervision group, the body that approves 2 days.
    leader = factories.leader_of(team)
    team.supervision_group.members.add(leader)
    leader_page = open_as(leader)
    _ask_leave(leader_page, first=first, last=first + timedelta(days=1), reason="参加培训")
    own_url = leader_page.url
    expect(leader_page.get_by_test_id("leave-status")).to_have_text(zh(LeaveStatus.PENDING.label))
    assert leader_page.get_by_test_id("approve").count() == 0
    leader_page.goto("/attendance/inbox/")
    expect(leader_page.get_by_test_id("inbox-empty")).to_be_visible()
    forged = leader_page.request.post(
        own_url + "approve/",
        form={"comment": "同意"},
        headers={"X-CSRFToken": _csrf(leader_page), "Referer": own_url},
    )
    assert forged.status == 403
    assert zh("Nobody can approve their own leave.") in forged.text()
    own = LeaveRequest.objects.get(cadre=leader.cadre)
    assert own.status == LeaveStatus.PENDING

    # The other supervisor still can.
    supervisor_page.goto("/attendance/inbox/")
    expect(supervisor_page.get_by_test_id("inbox-item")).to_contain_text(leader.cadre.name)


def test_member_reports_return_from_approved_leave(page, login):
    """R22 (销假): the actual last day is recorded; the days after it are no longer leave."""
    team = factories.staffed_team(name="乌兰村驻村工作队")
    member = factories.a_member_of(team)
    supervisor = factories.supervisor_of(team)
    today = timezone.localdate()
    leave = services.leave_request_create(
        user=member,
        kind=LeaveKind.PERSONAL,
        start_date=today - timedelta(days=2),
        end_date=today,
        reason="家中有事",
        village_informed=True,
    )
    services.leave_request_decide(leave=leave, user=supervisor, approve=True, comment="同意")
    assert AttendanceDay.objects.filter(leave=leave).count() == 3
    actual_end = today - timedelta(days=1)

    login(member)
    page.goto("/attendance/leave/")
    page.get_by_test_id("leave-list").get_by_role("link").filter(
        has_text=f"{leave.start_date:%Y-%m-%d}"
    ).click()
    page.wait_for_url(f"**/attendance/leave/{leave.pk}/")
    page.fill("input[name=actual_end_date]", actual_end.isoformat())
    page.get_by_test_id("return").click()
    page.wait_for_url(f"**/attendance/leave/{leave.pk}/")
    expect(page.get_by_test_id("leave-status")).to_have_text(zh(LeaveStatus.RETURNED.label))
    summary = page.get_by_test_id("leave-summary")
    expect(summary.locator("dt", has_text=zh("Actual last day"))).to_be_visible()
    expect(summary).to_contain_text(f"{actual_end:%Y-%m-%d}")
    assert page.get_by_test_id("return").count() == 0
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.RETURNED
    assert leave.actual_end_date == actual_end
    assert not AttendanceDay.objects.filter(leave=leave, date=today).exists()
