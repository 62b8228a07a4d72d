"""R20, R23, R34: the month grid, the sheet's sign-off, locking, reopening and history."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.errors import DomainError, NotAllowed
from attendance import selectors, services
from attendance.models import (
    AttendanceDay,
    DayChange,
    DayStatus,
    SheetAction,
    SheetStatus,
)
from teams.models import Policy
from tests import factories

pytestmark = pytest.mark.django_db

MONTH = date(2026, 10, 1)


def _fill(team, status=DayStatus.IN_VILLAGE):
    leader = factories.leader_of(team)
    return services.attendance_fill_blanks(user=leader, team=team, month=MONTH, status=status)


def _submitted(team):
    leader = factories.leader_of(team)
    sheet = services.attendance_sheet_get_or_create(team=team, month=MONTH, user=leader)
    _fill(team)
    return services.attendance_sheet_submit(sheet=sheet, user=leader)


def _heads(team):
    village_head = factories.area_staff(village=team.village, is_head=True)
    township_head = factories.area_staff(township=team.village.township, is_head=True)
    return village_head, township_head


def _issued(team):
    sheet = _submitted(team)
    village_head, township_head = _heads(team)
    services.attendance_sheet_confirm(sheet=sheet, user=village_head, level="village")
    sheet = services.attendance_sheet_confirm(sheet=sheet, user=township_head, level="township")
    assert sheet.status == SheetStatus.CONFIRMED
    return services.attendance_sheet_issue(sheet=sheet, user=factories.supervisor_of(team))


def test_r20_leader_corrects_days_and_every_change_is_kept(team):
    leader = factories.leader_of(team)
    member = factories.a_member_of(team)
    day = MONTH + timedelta(days=3)
    services.attendance_days_update(
        user=leader, team=team, month=MONTH, cells={(member.cadre.pk, day): DayStatus.ABSENT}
    )
    services.attendance_days_update(
        user=leader, team=team, month=MONTH, cells={(member.cadre.pk, day): DayStatus.OFFICIAL}
    )
    changes = list(DayChange.objects.filter(cadre=member.cadre).order_by("pk"))
    assert [(c.before, c.after) for c in changes] == [("", "absent"), ("absent", "official")]
    assert changes[-1].changed_by == leader


def test_r20_a_member_cannot_edit_the_grid(team):
    member = factories.a_member_of(team)
    with pytest.raises(NotAllowed):
        services.attendance_days_update(
            user=member, team=team, month=MONTH, cells={(member.cadre.pk, MONTH): "absent"}
        )


def test_r20_cadre_of_another_team_is_refused(team, other_team):
    stranger = factories.a_member_of(other_team)
    with pytest.raises(NotAllowed):
        services.attendance_days_update(
            user=factories.leader_of(team),
            team=team,
            month=MONTH,
            cells={(stranger.cadre.pk, MONTH): "absent"},
        )


def test_r20_service_days_against_the_minimum(team):
    _fill(team)
    member = factories.a_member_of(team)
    leader = factories.leader_of(team)
    off = {(member.cadre.pk, MONTH + timedelta(days=i)): DayStatus.REST for i in range(12)}
    services.attendance_days_update(user=leader, team=team, month=MONTH, cells=off)
    data = selectors.team_month(user=leader, team_id=team.pk, month=MONTH)
    rows = {row.cadre.pk: row for row in data.rows}
    assert rows[member.cadre.pk].service_days == 31 - 12
    assert rows[member.cadre.pk].required == 20
    assert not rows[member.cadre.pk].met
    assert rows[leader.cadre.pk].met


def test_r20_official_business_counts_by_policy(team):
    leader = factories.leader_of(team)
    services.attendance_days_update(
        user=leader, team=team, month=MONTH, cells={(leader.cadre.pk, MONTH): DayStatus.OFFICIAL}
    )
    row = selectors.team_month(user=leader, team_id=team.pk, month=MONTH).rows[0]
    assert row.service_days == 1
    Policy.objects.create(key="attendance_official_counts", value=0, effective_from=MONTH)
    row = selectors.team_month(user=leader, team_id=team.pk, month=MONTH).rows[0]
    assert row.service_days == 0


def test_r20_minimum_is_pro_rated_for_a_partial_month_at_the_term_start(db):
    team = factories.staffed_team(term_start=date(2026, 10, 16), term_end=date(2028, 10, 16))
    leader = factories.leader_of(team)
    row = selectors.team_month(user=leader, team_id=team.pk, month=MONTH).rows[0]
    # 16 of 31 days in the term: 20 x 16 / 31 = 10.3 -> 10
    assert row.required == Decimal(10)
    assert row.first == date(2026, 10, 16)


def test_r20_minimum_is_pro_rated_at_the_term_end(db):
    team = factories.staffed_team(term_start=date(2024, 10, 10), term_end=date(2026, 10, 10))
    row = selectors.team_month(user=factories.office_user(), team_id=team.pk, month=MONTH).rows[0]
    assert row.required == Decimal(6)  # 20 x 10 / 31 = 6.45


def test_r20_minimum_is_a_policy_value(team):
    Policy.objects.create(key="attendance_min_service_days", value=22, effective_from=MONTH)
    row = selectors.team_month(user=factories.leader_of(team), team_id=team.pk, month=MONTH).rows[
        0
    ]
    assert row.required == 22


def test_r23_sheet_prefilled_from_checkins_and_approved_leave(team):
    from tests.attendance.factories import approve_all, ask_leave

    member = factories.a_member_of(team)
    leave = ask_leave(member, "1", start=date(2026, 12, 3))
    approve_all(leave, {"leader": factories.leader_of(team)})
    AttendanceDay.objects.all().delete()
    sheet = services.attendance_sheet_get_or_create(
        team=team, month=date(2026, 12, 1), user=factories.leader_of(team)
    )
    assert AttendanceDay.objects.get(cadre=member.cadre).status == DayStatus.LEAVE_PERSONAL
    assert sheet.events.filter(action=SheetAction.CREATE).exists()


def test_r23_blank_days_block_submission(team):
    leader = factories.leader_of(team)
    sheet = services.attendance_sheet_get_or_create(team=team, month=MONTH, user=leader)
    with pytest.raises(DomainError, match="blank"):
        services.attendance_sheet_submit(sheet=sheet, user=leader)


def test_r23_only_the_leader_submits(team):
    sheet = services.attendance_sheet_get_or_create(team=team, month=MONTH)
    _fill(team)
    with pytest.raises(NotAllowed):
        services.attendance_sheet_submit(sheet=sheet, user=factories.a_member_of(team))


def test_r34_full_sign_off_to_locked(team):
    sheet = _issued(team)
    assert sheet.status == SheetStatus.ISSUED
    sheet = services.attendance_sheet_lock(sheet=sheet, user=factories.office_user())
    assert sheet.status == SheetStatus.LOCKED
    actions = list(sheet.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "confirm_village", "confirm_township", "issue", "lock"]


def test_r34_only_the_heads_of_this_village_and_township_confirm(team, other_team):
    sheet = _submitted(team)
    other_head = factories.area_staff(village=other_team.village, is_head=True)
    plain_staff = factories.area_staff(village=team.village, is_head=False)
    for user in (other_head, plain_staff, factories.leader_of(team)):
        with pytest.raises(NotAllowed):
            services.attendance_sheet_confirm(sheet=sheet, user=user, level="village")


def test_r34_a_signed_scan_confirms_for_both(team, settings, tmp_path):
    sheet = _submitted(team)
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    sheet = services.attendance_sheet_upload_scan(
        sheet=sheet, user=factories.leader_of(team), scan=scan
    )
    assert sheet.status == SheetStatus.CONFIRMED
    assert sheet.signed_scan.name.endswith(".pdf")


def test_r34_only_the_teams_supervision_group_issues(team, other_team):
    sheet = _submitted(team)
    village_head, township_head = _heads(team)
    services.attendance_sheet_confirm(sheet=sheet, user=village_head, level="village")
    services.attendance_sheet_confirm(sheet=sheet, user=township_head, level="township")
    for user in (factories.supervisor_of(other_team), factories.leader_of(team)):
        with pytest.raises(NotAllowed):
            services.attendance_sheet_issue(sheet=sheet, user=user)


def test_r23_locked_sheet_refuses_edits(team):
    sheet = services.attendance_sheet_lock(sheet=_issued(team), user=factories.office_user())
    leader = factories.leader_of(team)
    with pytest.raises(DomainError, match="reopened"):
        services.attendance_days_update(
            user=leader,
            team=team,
            month=MONTH,
            cells={(leader.cadre.pk, MONTH): DayStatus.ABSENT},
        )
    assert AttendanceDay.objects.get(cadre=leader.cadre, date=MONTH).status == "in_village"
    assert sheet.status == SheetStatus.LOCKED


def test_r23_submitted_sheet_refuses_edits_too(team):
    _submitted(team)
    leader = factories.leader_of(team)
    with pytest.raises(DomainError):
        services.attendance_days_update(
            user=leader, team=team, month=MONTH, cells={(leader.cadre.pk, MONTH): "absent"}
        )


def test_r23_reopen_needs_a_reason_and_the_right_people(team):
    sheet = services.attendance_sheet_lock(sheet=_issued(team), user=factories.office_user())
    with pytest.raises(NotAllowed):
        services.attendance_sheet_reopen(sheet=sheet, user=factories.leader_of(team), reason="x")
    supervisor = factories.supervisor_of(team)
    with pytest.raises(DomainError):
        services.attendance_sheet_reopen(sheet=sheet, user=supervisor, reason=" ")
    sheet = services.attendance_sheet_reopen(sheet=sheet, user=supervisor, reason="漏记公务")
    assert sheet.status == SheetStatus.REOPENED
    assert sheet.events.get(action=SheetAction.REOPEN).comment == "漏记公务"
    leader = factories.leader_of(team)
    services.attendance_days_update(
        user=leader, team=team, month=MONTH, cells={(leader.cadre.pk, MONTH): DayStatus.OFFICIAL}
    )
    change = DayChange.objects.filter(cadre=leader.cadre, date=MONTH).latest("pk")
    assert (change.before, change.after, change.source) == ("in_village", "official", "reopen")
    services.attendance_sheet_submit(sheet=sheet, user=leader)


def test_r23_approved_leave_does_not_touch_a_locked_month(team):
    from tests.attendance.factories import approve_all, ask_leave

    services.attendance_sheet_lock(sheet=_issued(team), user=factories.office_user())
    member = factories.a_member_of(team)
    before = AttendanceDay.objects.get(cadre=member.cadre, date=date(2026, 10, 20)).status
    # Issue 11 (finding 10): leave inside an issued month is now refused with a message.
    with pytest.raises(DomainError, match="already issued|已下发"):
        leave = ask_leave(member, "1", start=date(2026, 10, 20))
        approve_all(leave, {"leader": factories.leader_of(team)})
    assert AttendanceDay.objects.get(cadre=member.cadre, date=date(2026, 10, 20)).status == before


def test_reports_selector_team_service_days_summary(team):
    _fill(team)
    summary = selectors.team_service_days_summary(team, MONTH, MONTH + timedelta(days=9))
    assert summary["total"] == 30
    assert {row["service_days"] for row in summary["cadres"]} == {10}
