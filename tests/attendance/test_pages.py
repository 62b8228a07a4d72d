"""Pages per role: who may see and do what (403/404 by changing the id), and query counts."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from attendance import services
from attendance.models import AttendanceSheet, DayStatus, LeaveStatus, SheetStatus
from tests import factories
from tests.attendance.factories import ask_leave
from tests.attendance.test_days_and_sheets import MONTH, _fill, _issued

pytestmark = pytest.mark.django_db


def month_url(team, name="attendance:team_month", *extra):
    return reverse(name, args=[team.pk, MONTH.year, MONTH.month, *extra])


def test_member_pages_render(client, team):
    member = factories.a_member_of(team)
    client.force_login(member)
    for url in ("/attendance/", "/attendance/leave/", "/attendance/leave/new/", "/"):
        assert client.get(url).status_code == 200, url


def test_leave_form_submits_to_the_chain(client, team):
    member = factories.a_member_of(team)
    client.force_login(member)
    response = client.post(
        "/attendance/leave/new/",
        {
            "kind": "personal",
            "start_date": "2026-12-07",
            "end_date": "2026-12-08",
            "reason": "家事",
            "village_informed": "on",
        },
    )
    assert response.status_code == 302
    leave = member.cadre.leave_requests.get()
    assert leave.pending_with == "supervision_group" and leave.village_informed


def test_r21_user_outside_the_chain_gets_403_on_approve(client, team, other_team):
    leave = ask_leave(factories.a_member_of(team), "2")
    url = reverse("attendance:leave_action", args=[leave.pk, "approve"])
    client.force_login(factories.leader_of(team))  # sees the leave, not its approver
    assert client.post(url).status_code == 403
    outsider = factories.supervisor_of(other_team)
    client.force_login(outsider)
    assert client.post(url).status_code == 404  # cannot even see it
    assert client.get(reverse("attendance:leave_detail", args=[leave.pk])).status_code == 404
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING


def test_r21_supervisor_approves_from_the_inbox(client, team):
    leave = ask_leave(factories.a_member_of(team), "2")
    supervisor = factories.supervisor_of(team)
    client.force_login(supervisor)
    assert leave.cadre.name in client.get("/attendance/inbox/").content.decode()
    response = client.post(
        reverse("attendance:leave_action", args=[leave.pk, "approve"]), {"comment": "同意"}
    )
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


def test_r21_overdue_shown_in_inbox(client, team):
    leave = ask_leave(factories.a_member_of(team), "2")
    type(leave).objects.filter(pk=leave.pk).update(
        step_started_at=leave.step_started_at - timedelta(days=5)
    )
    client.force_login(factories.supervisor_of(team))
    assert 'data-testid="overdue"' in client.get("/attendance/inbox/").content.decode()


def test_member_sees_only_own_row_and_cannot_post(client, team):
    member = factories.a_member_of(team)
    _fill(team)
    client.force_login(member)
    response = client.get(month_url(team))
    assert response.status_code == 200
    assert [row.cadre.pk for row in response.context["data"].rows] == [member.cadre.pk]
    client.post(month_url(team), {f"c-{member.cadre.pk}-{MONTH:%Y%m%d}": "absent"})
    assert member.cadre.attendance_days.get(date=MONTH).status == DayStatus.IN_VILLAGE


def test_other_teams_month_is_404_for_reads_and_writes(client, team, other_team):
    leader = factories.leader_of(team)
    client.force_login(leader)
    assert client.get(month_url(other_team)).status_code == 404
    assert client.post(month_url(other_team), {}).status_code == 404
    assert (
        client.post(month_url(other_team, "attendance:team_month_action", "fill")).status_code
        == 404
    )
    assert client.get(month_url(other_team, "attendance:team_month_export")).status_code == 404


def test_leader_fills_saves_and_submits_from_the_page(client, team):
    leader = factories.leader_of(team)
    member = factories.a_member_of(team)
    client.force_login(leader)
    assert client.get(month_url(team)).status_code == 200
    # A GET writes nothing; the leader's first POST starts the draft sheet (R23).
    assert not AttendanceSheet.objects.filter(team=team).exists()
    client.post(month_url(team, "attendance:team_month_action", "fill"))
    assert AttendanceSheet.objects.get(team=team).status == SheetStatus.DRAFT
    client.post(month_url(team), {f"c-{member.cadre.pk}-{MONTH:%Y%m%d}": "official"})
    assert member.cadre.attendance_days.get(date=MONTH).status == DayStatus.OFFICIAL
    client.post(month_url(team, "attendance:team_month_action", "submit"))
    assert AttendanceSheet.objects.get(team=team).status == SheetStatus.SUBMITTED


def test_r23_locked_sheet_refuses_edits_through_the_page(client, team, office):
    services.attendance_sheet_lock(sheet=_issued(team), user=office)
    leader = factories.leader_of(team)
    client.force_login(leader)
    response = client.get(month_url(team))
    assert 'data-testid="grid-form"' not in response.content.decode()
    client.post(month_url(team), {f"c-{leader.cadre.pk}-{MONTH:%Y%m%d}": "absent"})
    assert leader.cadre.attendance_days.get(date=MONTH).status == DayStatus.IN_VILLAGE
    assert (
        client.post(
            month_url(team, "attendance:team_month_action", "reopen"), {"reason": "x"}
        ).status_code
        == 403
    )


def test_r34_sheet_excel_layout(client, team):
    _fill(team)
    client.force_login(factories.leader_of(team))
    response = client.get(month_url(team, "attendance:team_month_export"))
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert team.name in text and team.village.name in text and "2026-10" in text
    for cadre in team.memberships.values_list("cadre__name", flat=True):
        assert cadre in text
    assert text.count("√") == 3 * 31 + 1  # the days, and the legend
    assert "签字" in text or "signature" in text


def test_office_compliance_filters(client, team, other_team, office):
    _fill(team)
    client.force_login(office)
    response = client.get(
        "/attendance/compliance/", {"month": "2026-10", "banner": team.village.township.banner_id}
    )
    assert response.status_code == 200
    teams = {row.team.pk for row in response.context["rows"]}
    assert teams == {team.pk}
    response = client.get("/attendance/compliance/", {"month": "2026-10", "only": "unmet"})
    assert {row.team.pk for row in response.context["rows"]} == {other_team.pk}


def test_compliance_is_not_for_plain_cadres(client, team):
    client.force_login(factories.a_member_of(team))
    assert client.get("/attendance/compliance/").status_code == 403
    assert client.get("/attendance/allowance/").status_code == 403


def test_village_head_confirms_from_the_page(client, team):
    from tests.attendance.test_days_and_sheets import _submitted

    _submitted(team)
    head = factories.area_staff(village=team.village, is_head=True)
    client.force_login(head)
    assert 'data-testid="confirm-village"' in client.get(month_url(team)).content.decode()
    client.post(month_url(team, "attendance:team_month_action", "confirm_village"))
    assert AttendanceSheet.objects.get(team=team).village_confirmed_by == head
    assert "sheets-to-act" not in client.get("/attendance/sheets/").content.decode()


# ---------------------------------------------------------------- query counts


@pytest.fixture
def big_team(db):
    team = factories.staffed_team(members=29, term_start=date(2026, 1, 1))
    _fill(team)
    return team


GRID_MAX = 30
EXPORT_MAX = 20


def test_month_grid_queries_do_not_grow_with_30_cadres_x_31_days(
    client, big_team, django_assert_max_num_queries
):
    leader = factories.leader_of(big_team)
    client.force_login(leader)
    client.get(month_url(big_team))  # first visit creates the sheet
    with django_assert_max_num_queries(GRID_MAX):
        response = client.get(month_url(big_team))
    assert len(response.context["data"].rows) == 30
    assert response.content.decode().count('<select name="c-') == 30 * 31


def test_sheet_export_queries_30_cadres(client, big_team, django_assert_max_num_queries):
    client.force_login(factories.leader_of(big_team))
    with django_assert_max_num_queries(EXPORT_MAX):
        response = client.get(month_url(big_team, "attendance:team_month_export"))
    assert response.status_code == 200


def test_allowance_export_and_compliance_queries(
    client, big_team, office, django_assert_max_num_queries
):
    leader = factories.leader_of(big_team)
    sheet = services.attendance_sheet_get_or_create(team=big_team, month=MONTH, user=leader)
    AttendanceSheet.objects.filter(pk=sheet.pk).update(status=SheetStatus.ISSUED)
    others = [factories.staffed_team(members=3) for _ in range(5)]
    assert others
    client.force_login(office)
    with django_assert_max_num_queries(EXPORT_MAX):
        response = client.get("/attendance/allowance/", {"month": "2026-10", "format": "xlsx"})
    assert response.status_code == 200
    with django_assert_max_num_queries(EXPORT_MAX):
        response = client.get("/attendance/allowance/", {"month": "2026-10"})
    assert sum(len(u.rows) for u in response.context["units"]) == 30
    with django_assert_max_num_queries(EXPORT_MAX):
        response = client.get("/attendance/compliance/", {"month": "2026-10"})
    assert len(response.context["rows"]) == 30 + 5 * 4


def test_inbox_queries_do_not_grow(client, django_assert_max_num_queries):
    supervisor = factories.UserFactory()
    for index in range(20):
        team = factories.staffed_team()
        team.supervision_group.members.add(supervisor)
        ask_leave(
            factories.a_member_of(team), "2", start=date(2026, 12, 1) + timedelta(days=index)
        )
    client.force_login(supervisor)
    with django_assert_max_num_queries(EXPORT_MAX):
        response = client.get("/attendance/inbox/")
    assert len(response.context["object_list"]) == 20


def test_member_cannot_see_a_teammates_leave(client, team):
    member, teammate = team.memberships.filter(role="member").order_by("pk")[:2]
    leave = ask_leave(teammate.cadre.user, "1")
    client.force_login(member.cadre.user)
    assert client.get(reverse("attendance:leave_detail", args=[leave.pk])).status_code == 404
    withdraw = reverse("attendance:leave_action", args=[leave.pk, "withdraw"])
    assert client.post(withdraw).status_code == 404
    client.force_login(factories.leader_of(team))
    assert client.get(reverse("attendance:leave_detail", args=[leave.pk])).status_code == 200


def test_daily_checkin_policy_flags_days_without_checkin(client, team, office):
    from teams.models import Policy

    _fill(team)
    client.force_login(office)
    response = client.get("/attendance/compliance/", {"month": "2026-10"})
    assert {row.unchecked_days for row in response.context["rows"]} == {0}
    Policy.objects.create(key="attendance_checkin_required", value=1, effective_from=MONTH)
    response = client.get("/attendance/compliance/", {"month": "2026-10"})
    assert {row.unchecked_days for row in response.context["rows"]} == {31}


@pytest.mark.parametrize(
    "model",
    [
        "leavechainrule",
        "leaverequest",
        "checkin",
        "attendanceday",
        "attendancesheet",
        "daychange",
    ],
)
def test_admin_changelists_render_for_the_office(client, team, office, model):
    _issued(team)
    ask_leave(factories.a_member_of(team), "1")
    client.force_login(office)
    assert client.get(f"/admin/attendance/{model}/").status_code == 200


def test_r21_seeded_chain_rules_are_editable_data(db):
    from attendance.models import LeaveChainRule

    rules = {
        (rule.requester_role, rule.max_days and int(rule.max_days)): rule.steps
        for rule in LeaveChainRule.objects.all()
    }
    assert rules == {
        ("member", 1): "leader",
        ("member", 3): "supervision_group",
        ("member", None): "office",
        ("leader", 3): "supervision_group",
        ("leader", None): "office",
    }


def test_r34_leader_uploads_the_signed_scan_from_the_page(client, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.attendance.test_days_and_sheets import _submitted

    _submitted(team)
    client.force_login(factories.leader_of(team))
    url = month_url(team, "attendance:team_month_action", "upload")
    bad = SimpleUploadedFile("sheet.exe", b"MZ", content_type="application/octet-stream")
    client.post(url, {"scan": bad})
    assert AttendanceSheet.objects.get(team=team).status == SheetStatus.SUBMITTED
    scan = SimpleUploadedFile("sheet.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    client.post(url, {"scan": scan})
    sheet = AttendanceSheet.objects.get(team=team)
    assert sheet.status == SheetStatus.CONFIRMED and sheet.signed_scan


def test_r23_supervisor_reopens_with_a_reason_from_the_page(client, team, office):
    services.attendance_sheet_lock(sheet=_issued(team), user=office)
    supervisor = factories.supervisor_of(team)
    client.force_login(supervisor)
    url = month_url(team, "attendance:team_month_action", "reopen")
    client.post(url, {"reason": ""})
    assert AttendanceSheet.objects.get(team=team).status == SheetStatus.LOCKED
    client.post(url, {"reason": "漏记公务外出"})
    assert AttendanceSheet.objects.get(team=team).status == SheetStatus.REOPENED
    history = client.get(month_url(team)).content.decode()
    assert "漏记公务外出" in history
