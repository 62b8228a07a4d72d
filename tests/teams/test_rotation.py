"""R8 team rotation carries the open work over; R9 individual rotation (Art 10)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.errors import DomainError, NotAllowed
from households.models import Pairing, PovertyStatus, Visit
from households.selectors import personal_first_visits
from reports import services as report_services
from reports.models import CaseStatus, Errand, ErrandStatus, LedgerKind, ReportStatus
from teams import services
from teams.models import (
    MembershipRole,
    RotationStatus,
    SelectionStatus,
    TeamStatus,
)
from teams.policies import policy_int
from tests import factories
from tests.households.factories import HouseholdFactory
from tests.reports.factories import LedgerRecordFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _incoming_for(team, office):
    incoming = factories.TeamFactory(village=team.village, status=TeamStatus.FORMING)
    factories.MembershipFactory(team=incoming, role=MembershipRole.LEADER, is_first_secretary=True)
    factories.MembershipFactory(team=incoming)
    factories.MembershipFactory(team=incoming)
    services.team_activate(team=incoming, by=office)
    return incoming


def _complete_handover(team, incoming):
    outgoing_leader = factories.leader_of(team)
    handover = team.handover_out
    for item in handover.items.all():
        services.handover_item_update(item=item, user=outgoing_leader, done=True, note="已交接")
    services.handover_confirm(handover=handover, user=outgoing_leader)
    return services.handover_confirm(handover=handover, user=factories.leader_of(incoming))


def test_r8_incoming_team_finishes_the_outgoing_teams_errand_and_dispute(office, team):
    member = factories.a_member_of(team)
    errand = report_services.errand_create(
        user=member,
        team=team,
        requester="王大妈",
        description="代办医保",
        accepted_on=date(2026, 3, 2),
    )
    report_services.errand_advance(user=member, errand=errand)
    dispute = LedgerRecordFactory(team=team, kind=LedgerKind.DISPUTE, title="草场边界纠纷")
    draft = ReportFactory(team=team, narrative="一季度工作（未完）")
    incoming = _incoming_for(team, office)

    handover = _complete_handover(team, incoming)
    assert "1" in handover.carry_over_note

    errand.refresh_from_db()
    dispute.refresh_from_db()
    draft.refresh_from_db()
    assert (errand.team, errand.carried_from) == (incoming, team)
    assert errand.status == ErrandStatus.IN_PROGRESS  # its history is kept
    assert errand.accepted_on == date(2026, 3, 2)
    assert (dispute.team, dispute.carried_from) == (incoming, team)
    assert (draft.team, draft.carried_from, draft.narrative) == (
        incoming,
        team,
        "一季度工作（未完）",
    )
    assert draft.events.filter(comment__contains=str(team)).exists()  # R8: says where it came from

    newcomer = factories.a_member_of(incoming)
    report_services.errand_advance(user=newcomer, errand=errand, result="已办结")
    report_services.dispute_advance(user=newcomer, record=dispute)
    report_services.dispute_advance(user=newcomer, record=dispute)
    errand.refresh_from_db()
    dispute.refresh_from_db()
    assert errand.status == ErrandStatus.DONE
    assert dispute.case_status == CaseStatus.RESOLVED
    with pytest.raises(NotAllowed):
        report_services.errand_advance(
            user=member,
            errand=Errand.objects.create(
                team=incoming, requester="x", description="y", accepted_on=date(2026, 3, 3)
            ),
        )


def test_r8_a_submitted_report_stays_with_the_team_that_wrote_it(office, team):
    submitted = ReportFactory(team=team, status=ReportStatus.SUBMITTED)
    incoming = _incoming_for(team, office)
    _complete_handover(team, incoming)
    submitted.refresh_from_db()
    assert submitted.team == team


def test_r8_waiver_carries_the_work_over_too(office, team):
    dispute = LedgerRecordFactory(team=team, kind=LedgerKind.DISPUTE)
    incoming = _incoming_for(team, office)
    services.handover_waive(handover=team.handover_out, by=office, reason="原队长调离")
    dispute.refresh_from_db()
    assert dispute.team == incoming
    with pytest.raises(NotAllowed):
        services.handover_waive(
            handover=team.handover_out, by=factories.leader_of(team), reason="x"
        )


def test_r8_waiving_needs_a_reason(office, team):
    _incoming_for(team, office)
    with pytest.raises(DomainError, match="reason for waiving|免除队长确认的原因"):
        services.handover_waive(handover=team.handover_out, by=office, reason=" ")


@pytest.fixture
def rotation_setup(office, team):
    leaving = team.memberships.filter(role=MembershipRole.MEMBER).order_by("pk").first()
    replacement = factories.CadreFactory(unit=team.unit, name="接替干部")
    households = [
        HouseholdFactory(village=team.village, poverty_status=PovertyStatus.REGISTERED)
        for _ in range(3)
    ]
    for household in households:
        Pairing.objects.create(
            household=household, cadre=leaving.cadre, start_date=team.term_start
        )
    return leaving, replacement, households


def test_r9_rotation_ends_one_membership_starts_the_other_and_hands_over(
    office, team, rotation_setup
):
    leaving, replacement, households = rotation_setup
    leader = factories.leader_of(team)
    rotation = services.individual_rotation_request(
        membership=leaving, replacement=replacement, reason="因病需调整", by=leader
    )
    assert rotation.status == RotationStatus.REQUESTED
    arrival = timezone.localdate()
    services.individual_rotation_approve(rotation=rotation, by=office, arrival_date=arrival)

    rotation.refresh_from_db()
    leaving.refresh_from_db()
    assert rotation.status == RotationStatus.APPROVED
    assert leaving.end_date == max(leaving.start_date, arrival - timedelta(days=1))
    assert rotation.incoming.cadre == replacement
    assert rotation.incoming.start_date == arrival
    assert rotation.incoming.role == leaving.role
    assert "3" in rotation.handover_note
    assert set(
        Pairing.objects.filter(end_date__isnull=True).values_list("cadre_id", flat=True)
    ) == {replacement.pk}

    # R13: the replacement's own first-visit clock starts on arrival.
    days = policy_int("visit_initial_days", arrival)
    rows = personal_first_visits(user=replacement.user, on=arrival)
    assert {h.pk for h in rows} == {h.pk for h in households}
    assert all(h.due == arrival + timedelta(days=days - 1) for h in rows)
    assert not any(h.late for h in rows)
    late = personal_first_visits(user=replacement.user, on=arrival + timedelta(days=days))
    assert all(h.late for h in late)

    visit = Visit.objects.create(
        household=households[0], team=team, date=arrival, logged_by=replacement.user
    )
    visit.visitors.add(replacement)
    rows = personal_first_visits(user=replacement.user, on=arrival + timedelta(days=days))
    assert [h.visited_since_arrival for h in rows].count(True) == 1


def test_r9_only_the_office_approves(team, rotation_setup):
    leaving, replacement, _ = rotation_setup
    leader = factories.leader_of(team)
    rotation = services.individual_rotation_request(
        membership=leaving, replacement=replacement, reason="因病需调整", by=leader
    )
    with pytest.raises(NotAllowed):
        services.individual_rotation_approve(rotation=rotation, by=leader)


def test_r9_request_needs_a_reason_and_a_reviewed_free_replacement(
    team, other_team, rotation_setup
):
    leaving, replacement, _ = rotation_setup
    leader = factories.leader_of(team)
    with pytest.raises(DomainError, match="reason for the replacement|调整原因"):
        services.individual_rotation_request(
            membership=leaving, replacement=replacement, reason="", by=leader
        )
    pending = factories.CadreFactory(selection_status=SelectionStatus.PENDING)
    with pytest.raises(DomainError, match="organization department|组织部审核"):
        services.individual_rotation_request(
            membership=leaving, replacement=pending, reason="x", by=leader
        )
    busy = other_team.memberships.first().cadre
    with pytest.raises(DomainError, match="already serves|已在工作队"):
        services.individual_rotation_request(
            membership=leaving, replacement=busy, reason="x", by=leader
        )
    with pytest.raises(NotAllowed):
        services.individual_rotation_request(
            membership=leaving,
            replacement=replacement,
            reason="x",
            by=factories.a_member_of(team),
        )


def test_r9_another_teams_leader_cannot_open_the_request_page(client, team, other_team):
    membership = team.memberships.first()
    client.force_login(factories.leader_of(other_team))
    response = client.get(reverse("teams:rotation_request", args=[membership.pk]))
    assert response.status_code == 404


def test_r9_rotation_pages_for_leader_and_office(client, office, team, rotation_setup):
    leaving, replacement, _ = rotation_setup
    client.force_login(factories.leader_of(team))
    response = client.post(
        reverse("teams:rotation_request", args=[leaving.pk]),
        {"replacement": replacement.pk, "reason": "家中变故"},
    )
    assert response.status_code == 302
    rotation = leaving.rotations_out.get()
    client.force_login(office)
    response = client.post(
        reverse("teams:rotation_detail", args=[rotation.pk]),
        {"arrival_date": timezone.localdate().isoformat(), "note": "同意", "approve": "1"},
    )
    assert response.status_code == 302
    rotation.refresh_from_db()
    assert rotation.status == RotationStatus.APPROVED


def test_r9_the_office_hears_of_the_request_and_the_people_of_the_approval(
    office, team, rotation_setup
):
    leaving, replacement, _ = rotation_setup
    leader = factories.leader_of(team)
    rotation = services.individual_rotation_request(
        membership=leaving, replacement=replacement, reason="因病需调整", by=leader
    )
    assert office.notifications.filter(key=f"rotation-request:{rotation.pk}").count() == 1
    services.individual_rotation_approve(rotation=rotation, by=office)
    for user in (leader, replacement.user, leaving.cadre.user):
        assert user.notifications.filter(key=f"rotation-approved:{rotation.pk}").count() == 1


def test_r8_the_incoming_team_sees_where_a_carried_errand_came_from(client, office, team):
    member = factories.a_member_of(team)
    report_services.errand_create(
        user=member,
        team=team,
        requester="王大妈",
        description="代办医保",
        accepted_on=date(2026, 3, 2),
    )
    incoming = _incoming_for(team, office)
    _complete_handover(team, incoming)
    client.force_login(factories.a_member_of(incoming))
    page = client.get(reverse("reports:errand_list")).content.decode()
    assert "代办医保" in page and 'data-testid="carried-from"' in page and team.name in page
