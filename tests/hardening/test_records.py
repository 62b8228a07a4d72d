"""Issue 11 findings 6-10 and 13: records are kept, consistent with the calendar and sane."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.admin_scoping import DELETABLE_IN_ADMIN
from accounts.errors import DomainError, NotAllowed
from attendance import services as attendance
from attendance.models import AttendanceDay, DayStatus, SheetEvent
from households import services as households
from households.models import Household, IncomeCheck, Visit
from reports import services as reports
from tests import factories
from tests.attendance.factories import ask_leave
from tests.households.factories import HouseholdFactory, VisitFactory
from tests.reports.factories import LedgerRecordFactory

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "teams", "attendance", "households", "reports", "assessments", "core"}
MONTH = date(2026, 10, 1)


def _issued_sheet(team):
    leader = factories.leader_of(team)
    sheet = attendance.attendance_sheet_get_or_create(team=team, month=MONTH, user=leader)
    attendance.attendance_fill_blanks(user=leader, team=team, month=MONTH)
    sheet = attendance.attendance_sheet_submit(sheet=sheet, user=leader)
    village_head = factories.area_staff(village=team.village, is_head=True)
    township_head = factories.area_staff(township=team.village.township, is_head=True)
    attendance.attendance_sheet_confirm(sheet=sheet, user=village_head, level="village")
    sheet = attendance.attendance_sheet_confirm(sheet=sheet, user=township_head, level="township")
    return attendance.attendance_sheet_issue(sheet=sheet, user=factories.supervisor_of(team))


# --- finding 7: no hard deletes ----------------------------------------------------------


def test_the_admin_offers_delete_only_for_reference_rows(office):
    """Walks every registered admin of our apps: records with history or money keep."""
    request = RequestFactory().get("/admin/")
    request.user = office
    office.is_superuser = True
    offered = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS or model._meta.label == "accounts.User":
            continue
        can_delete = model_admin.has_delete_permission(request)
        if can_delete != (model._meta.label in DELETABLE_IN_ADMIN):
            offered.append(model._meta.label)
        if model._meta.label not in DELETABLE_IN_ADMIN:
            assert "delete_selected" not in model_admin.get_actions(request), model
        for inline in model_admin.get_inline_instances(request):
            if inline.model._meta.label not in DELETABLE_IN_ADMIN:
                assert not inline.can_delete, (model, inline.model)
    assert offered == []


def test_a_locked_sheet_cannot_be_deleted_with_its_history(team, office):
    sheet = _issued_sheet(team)
    sheet = attendance.attendance_sheet_lock(sheet=sheet, user=office)
    events = SheetEvent.objects.filter(sheet=sheet).count()
    with pytest.raises(ProtectedError):
        sheet.delete()
    assert SheetEvent.objects.filter(sheet=sheet).count() == events
    from django.test import Client

    client = Client()
    office.is_superuser = office.is_staff = True
    office.save()
    client.force_login(office)
    response = client.get(reverse("admin:attendance_attendancesheet_delete", args=[sheet.pk]))
    assert response.status_code == 403


def test_a_household_with_visits_cannot_be_deleted(team):
    household = HouseholdFactory(village=team.village)
    VisitFactory(household=household, team=team)
    with pytest.raises(ProtectedError):
        household.delete()
    assert Household.objects.filter(pk=household.pk).exists()


# --- finding 6: village confirmation is idempotent --------------------------------------


def test_repeating_the_village_confirmation_changes_nothing(team):
    leader = factories.leader_of(team)
    sheet = attendance.attendance_sheet_get_or_create(team=team, month=MONTH, user=leader)
    attendance.attendance_fill_blanks(user=leader, team=team, month=MONTH)
    sheet = attendance.attendance_sheet_submit(sheet=sheet, user=leader)
    first_head = factories.area_staff(village=team.village, is_head=True)
    second_head = factories.area_staff(village=team.village, is_head=True)
    attendance.attendance_sheet_confirm(sheet=sheet, user=first_head, level="village")
    events = SheetEvent.objects.filter(sheet=sheet).count()
    for _ in range(5):
        sheet = attendance.attendance_sheet_confirm(sheet=sheet, user=second_head, level="village")
    sheet.refresh_from_db()
    assert sheet.village_confirmed_by == first_head
    assert SheetEvent.objects.filter(sheet=sheet).count() == events


# --- finding 8: ledger edits -----------------------------------------------------------


def test_a_member_cannot_edit_the_leaders_ledger_record(client, team):
    leader = factories.leader_of(team)
    record = LedgerRecordFactory(team=team, created_by=leader, title="队长的记录")
    members = [m.cadre.user for m in team.memberships.exclude(cadre__user=leader)]
    client.force_login(members[0])
    url = reverse("reports:ledger_update", args=[record.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "改了", "date": "2026-03-10"}).status_code == 403
    with pytest.raises(NotAllowed):
        reports.ledger_record_update(user=members[0], record=record, data={"title": "改了"})
    record.refresh_from_db()
    assert record.title == "队长的记录"
    detail = client.get(reverse("reports:ledger_detail", args=[record.pk])).content.decode()
    assert 'data-testid="edit-record"' not in detail


def test_the_leader_edits_a_members_record(team):
    leader = factories.leader_of(team)
    member = team.memberships.exclude(cadre__user=leader).first().cadre.user
    record = LedgerRecordFactory(team=team, created_by=member)
    reports.ledger_record_update(user=leader, record=record, data={"title": "队长补充"})
    record.refresh_from_db()
    assert record.title == "队长补充"


# --- finding 10: the calendar ------------------------------------------------------------


def test_a_future_day_cannot_be_marked_in_the_village(team):
    leader = factories.leader_of(team)
    cadre_id = team.memberships.first().cadre_id
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError, match="future"):
        attendance.attendance_days_update(
            user=leader,
            team=team,
            month=tomorrow.replace(day=1),
            cells={(cadre_id, tomorrow): DayStatus.IN_VILLAGE},
        )
    assert not AttendanceDay.objects.filter(date=tomorrow).exists()


def test_a_ledger_record_cannot_be_dated_in_the_future(team):
    leader = factories.leader_of(team)
    with pytest.raises(DomainError, match="future"):
        reports.ledger_record_create(
            user=leader,
            team=team,
            data={
                "kind": "study",
                "title": "明天的学习",
                "date": timezone.localdate() + timedelta(days=3),
            },
        )


def test_an_empty_visit_is_refused(team):
    household = HouseholdFactory(village=team.village)
    with pytest.raises(DomainError, match="found"):
        households.visit_log(
            user=factories.leader_of(team),
            household=household,
            date=timezone.localdate(),
            kind="routine",
        )
    assert not Visit.objects.exists()


def test_leave_inside_an_issued_month_is_refused(team):
    _issued_sheet(team)
    member = team.memberships.exclude(role="leader").first().cadre.user
    with pytest.raises(DomainError, match="already issued"):
        ask_leave(member, "1", start=date(2026, 10, 12))


def test_leave_past_the_term_end_is_warned(client, team):
    team.term_end = timezone.localdate() + timedelta(days=5)
    team.save()
    member = team.memberships.exclude(role="leader").first().cadre.user
    client.force_login(member)
    start = timezone.localdate() + timedelta(days=4)
    response = client.post(
        reverse("attendance:leave_create"),
        {
            "kind": "personal",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=3)).isoformat(),
            "reason": "家中有事",
            "village_informed": "on",
        },
        follow=True,
    )
    assert team.term_end.isoformat() in response.content.decode()


def test_pairing_with_a_cadre_of_another_banner_is_warned(client, team, other_team, office):
    household = HouseholdFactory(village=team.village, poverty_status="registered")
    stranger = other_team.memberships.first().cadre
    assert other_team.village.township.banner_id != team.village.township.banner_id
    client.force_login(office)
    response = client.post(
        reverse("households:pair", args=[household.pk]), {"cadre": stranger.pk}, follow=True
    )
    assert stranger.name in response.content.decode()
    assert household.pairings.filter(cadre=stranger).exists()  # warned, not refused


# --- finding 13: absurd values ----------------------------------------------------------


def test_leave_ending_9999_12_31_is_refused_with_a_message(team):
    member = team.memberships.exclude(role="leader").first().cadre.user
    with pytest.raises(DomainError):
        ask_leave(member, "1", start=date(9999, 12, 31))


def test_a_diary_entry_of_year_1_is_refused(team):
    with pytest.raises(DomainError):
        households.diary_entry_create(
            user=factories.leader_of(team), village=team.village, date=date(1, 1, 1), text="x"
        )


def test_negative_income_is_refused(team):
    household = HouseholdFactory(village=team.village)
    with pytest.raises(DomainError):
        households.income_check_record(
            user=factories.leader_of(team),
            household=household,
            year=2026,
            per_capita_income=Decimal("-5"),
        )
    assert not IncomeCheck.objects.exists()


def test_a_check_in_at_latitude_999_is_refused(client, team):
    client.force_login(factories.leader_of(team))
    response = client.post(reverse("attendance:checkin"), {"latitude": "999", "longitude": "0"})
    assert response.status_code in (200, 302)
    from attendance.models import CheckIn

    assert not CheckIn.objects.filter(latitude=999).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/households/?q=%00",
        "/teams/?q=%00",
        "/attendance/allowance/?month=9999-12",
        "/attendance/teams/{team}/1/1/",
        "/reports/compliance/?period=0001Q1",
        "/reports/reports/?period=9999Q4",
        "/households/?village=99999999999999999999",
    ],
)
def test_bad_parameters_get_a_clean_answer(client, team, office, url):
    client.force_login(office)
    client.raise_request_exception = False
    response = client.get(url.format(team=team.pk))
    assert response.status_code in (200, 400, 404)
