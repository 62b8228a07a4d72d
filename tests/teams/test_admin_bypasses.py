"""Issue 10, item 1: the bypasses found in the admin, reproduced and refused."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import CheckIn
from reports.models import Report, ReportStatus
from teams import services
from teams.models import (
    Handover,
    Membership,
    MembershipRole,
    SelectionReview,
    SelectionStatus,
    Team,
    TeamStatus,
    TermChange,
)
from teams.policies import policy_int
from tests import factories

pytestmark = pytest.mark.django_db


def _membership_data(team, cadre, start):
    return {
        "team": team.pk,
        "cadre": cadre.pk,
        "role": MembershipRole.MEMBER,
        "start_date": start.isoformat(),
    }


def test_r3_membership_page_refuses_a_second_active_team(client, office, team, other_team):
    client.force_login(office)
    busy = other_team.memberships.filter(role=MembershipRole.MEMBER).first().cadre
    response = client.post(
        reverse("admin:teams_membership_add"),
        _membership_data(team, busy, timezone.localdate()),
    )
    assert response.status_code == 200
    assert "已在工作队" in response.content.decode()  # R3: already serves in another team
    assert not Membership.objects.filter(team=team, cadre=busy).exists()


def test_r4_membership_page_refuses_an_unreviewed_cadre_in_an_active_team(client, office, team):
    client.force_login(office)
    pending = factories.CadreFactory(selection_status=SelectionStatus.PENDING)
    response = client.post(
        reverse("admin:teams_membership_add"),
        _membership_data(team, pending, timezone.localdate()),
    )
    assert response.status_code == 200
    assert "尚未通过市委组织部审核" in response.content.decode()  # R4: not yet reviewed
    assert not Membership.objects.filter(cadre=pending).exists()


def test_membership_page_adds_a_valid_cadre_through_the_service(client, office, team):
    client.force_login(office)
    free = factories.CadreFactory()
    response = client.post(
        reverse("admin:teams_membership_add"),
        _membership_data(team, free, timezone.localdate()),
    )
    assert response.status_code == 302
    assert Membership.objects.filter(team=team, cadre=free, end_date__isnull=True).exists()


def test_r3_existing_membership_cannot_be_moved_to_another_team(client, office, team, other_team):
    client.force_login(office)
    membership = team.memberships.filter(role=MembershipRole.MEMBER).first()
    data = _membership_data(other_team, membership.cadre, membership.start_date)
    data["end_date"] = ""
    client.post(reverse("admin:teams_membership_change", args=[membership.pk]), data)
    membership.refresh_from_db()
    assert membership.team_id == team.pk


def test_r7_team_term_typed_by_hand_is_ignored_for_the_policy_term(client, office):
    """A 1-month team was saved; now the term comes from the R7 policy row."""
    client.force_login(office)
    village, unit = factories.VillageFactory(), factories.UnitFactory()
    start = date(2026, 12, 1)
    data = {
        "name": "一个月队",
        "village": village.pk,
        "unit": unit.pk,
        "supervision_group": "",
        "term_start": start.isoformat(),
        "term_end": "2027-01-01",
        "leader_exception_reason": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:teams_team_add"), data)
    assert response.status_code == 302
    team = Team.objects.get(name="一个月队")
    years = policy_int("team_term_years", start)
    assert team.term_end == date(2026 + years, 12, 1)


def _team_change_data(team, **overrides):
    data = {
        "name": team.name,
        "unit": team.unit_id,
        "supervision_group": team.supervision_group_id or "",
        "term_end": team.term_end.isoformat(),
        "term_change_reason": "",
        "leader_exception_reason": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    existing = list(team.memberships.order_by("team", "role", "cadre__name"))
    data.update(
        {
            "memberships-2-TOTAL_FORMS": str(len(existing)),
            "memberships-2-INITIAL_FORMS": str(len(existing)),
            "memberships-2-MIN_NUM_FORMS": "0",
            "memberships-2-MAX_NUM_FORMS": "1000",
        }
    )
    for i, m in enumerate(existing):
        data[f"memberships-2-{i}-id"] = m.pk
        data[f"memberships-2-{i}-team"] = team.pk
        data[f"memberships-2-{i}-end_date"] = ""
    data.update(overrides)
    return data


def test_r7_changing_a_team_term_needs_a_reason_and_is_recorded(client, office, team):
    client.force_login(office)
    url = reverse("admin:teams_team_change", args=[team.pk])
    old_end = team.term_end
    response = client.post(url, _team_change_data(team, term_end="2026-02-01"))
    assert response.status_code == 200
    assert "R7" in response.content.decode()
    team.refresh_from_db()
    assert team.term_end == old_end

    response = client.post(
        url, _team_change_data(team, term_end="2028-06-30", term_change_reason="市委决定延期")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    team.refresh_from_db()
    assert team.term_end == date(2028, 6, 30)
    change = TermChange.objects.get(team=team)
    assert (change.old_end, change.reason, change.changed_by) == (old_end, "市委决定延期", office)


def _rotation(office):
    outgoing = factories.staffed_team()
    incoming = factories.TeamFactory(village=outgoing.village, status=TeamStatus.FORMING)
    factories.MembershipFactory(team=incoming, role=MembershipRole.LEADER, is_first_secretary=True)
    factories.MembershipFactory(team=incoming)
    factories.MembershipFactory(team=incoming)
    services.team_activate(team=incoming, by=office)
    return Handover.objects.get(outgoing_team=outgoing)


def test_r8_office_cannot_tick_the_leaders_confirmations(client, office):
    handover = _rotation(office)
    client.force_login(office)
    now = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
    client.post(
        reverse("admin:teams_handover_change", args=[handover.pk]),
        {
            "outgoing_confirmed_by": office.pk,
            "outgoing_confirmed_at_0": now[:10],
            "outgoing_confirmed_at_1": now[11:],
            "incoming_confirmed_by": office.pk,
            "incoming_confirmed_at_0": now[:10],
            "incoming_confirmed_at_1": now[11:],
            "waive_reason": "",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
    )
    handover.refresh_from_db()
    assert handover.outgoing_confirmed_at is None
    assert handover.incoming_confirmed_at is None
    assert not handover.is_complete


def test_r8_office_waives_with_a_recorded_reason(client, office):
    handover = _rotation(office)
    client.force_login(office)
    items = list(handover.items.all())
    data = {
        "waive_reason": "原队长病休，无法确认",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for i, item in enumerate(items):
        data[f"items-{i}-id"] = item.pk
        data[f"items-{i}-handover"] = handover.pk
    response = client.post(reverse("admin:teams_handover_change", args=[handover.pk]), data)
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.is_complete
    assert handover.waived_by == office
    assert handover.waiver_reason == "原队长病休，无法确认"
    assert handover.outgoing_confirmed_at is None


def test_r23_check_ins_are_not_editable_in_the_admin(client, office, team):
    client.force_login(office)
    cadre = team.memberships.first().cadre
    checkin = CheckIn.objects.create(
        cadre=cadre, team=team, date=timezone.localdate(), at=timezone.now()
    )
    response = client.post(
        reverse("admin:attendance_checkin_change", args=[checkin.pk]),
        {"date": "2020-01-01"},
    )
    assert response.status_code == 403
    checkin.refresh_from_db()
    assert checkin.date == timezone.localdate()


def test_r19_report_status_is_not_editable_in_the_admin(client, office, team):
    from reports.services import reports_ensure

    reports_ensure(teams=[team], on=date(2026, 5, 1))
    report = Report.objects.filter(team=team).first()
    client.force_login(office)
    response = client.post(
        reverse("admin:reports_report_change", args=[report.pk]),
        {"status": ReportStatus.ACCEPTED},
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_r4_reject_in_the_admin_keeps_every_review(client, office):
    cadre = factories.CadreFactory(selection_status=SelectionStatus.PENDING, rank="division")
    client.force_login(office)
    url = reverse("admin:teams_cadre_change", args=[cadre.pk])
    base = {
        "name": cadre.name,
        "unit": cadre.unit_id,
        "rank": "division",
        "on_payroll": "on",
        "expertise": "other",
        "fitness_for_duty": "fit",
        "selection_reviews-TOTAL_FORMS": "0",
        "selection_reviews-INITIAL_FORMS": "0",
    }
    response = client.post(url, {**base, "review": "reject", "review_reason": ""})
    assert response.status_code == 200
    assert SelectionReview.objects.count() == 0

    response = client.post(url, {**base, "review": "reject", "review_reason": "未满两年工作经历"})
    assert response.status_code == 302, response.content.decode()[:3000]
    services.cadre_selection_review(
        cadre=cadre, reviewer=office, approve=True, note="补充材料后通过"
    )
    reviews = list(cadre.selection_reviews.order_by("at", "pk"))
    assert [r.decision for r in reviews] == [SelectionStatus.REJECTED, SelectionStatus.APPROVED]
    assert reviews[0].reason == "未满两年工作经历"
    assert reviews[0].rank == "division" and reviews[0].fitness_for_duty == "fit"
    page = client.get(url).content.decode()
    assert "未满两年工作经历" in page and "补充材料后通过" in page


def test_r7_pairing_term_comes_from_the_policy_and_bad_villages_are_a_form_error(client, office):
    from teams.models import UnitPairing

    client.force_login(office)
    township = factories.TownshipFactory()
    elsewhere = factories.VillageFactory()
    data = {
        "unit": factories.UnitFactory().pk,
        "township": township.pk,
        "villages": [elsewhere.pk],
        "start_date": "2026-03-01",
        "end_date": "2026-04-01",
    }
    response = client.post(reverse("admin:teams_unitpairing_add"), data)
    assert response.status_code == 200
    assert not UnitPairing.objects.exists()
    data["villages"] = [factories.VillageFactory(township=township).pk]
    response = client.post(reverse("admin:teams_unitpairing_add"), data)
    assert response.status_code == 302
    years = policy_int("pairing_term_years", date(2026, 3, 1))
    assert UnitPairing.objects.get().end_date == date(2026 + years, 3, 1)
