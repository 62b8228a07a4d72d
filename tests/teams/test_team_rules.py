"""R1-R4, R7, R8 and R39 as the office meets them when forming and rotating teams."""

from datetime import date

import pytest

from accounts.errors import DomainError, NotAllowed
from teams import services
from teams.models import MembershipRole, SelectionStatus, TeamStatus
from teams.policies import policy_int
from tests import factories
from tests.assessments.helpers import decided_end_of_term

pytestmark = pytest.mark.django_db


def forming_team(leader=True, members=2, first_secretary=True, **kwargs):
    team = factories.TeamFactory(status=TeamStatus.FORMING, **kwargs)
    if leader:
        factories.MembershipFactory(
            team=team, role=MembershipRole.LEADER, is_first_secretary=first_secretary
        )
    for _ in range(members):
        factories.MembershipFactory(team=team)
    return team


def test_r1_team_with_leader_and_two_members_activates(office):
    team = forming_team(members=2)
    services.team_activate(team=team, by=office)
    team.refresh_from_db()
    assert team.status == TeamStatus.ACTIVE
    assert team.activated_at is not None


def test_r1_team_with_one_member_is_refused(office):
    team = forming_team(members=1)
    with pytest.raises(DomainError, match="至少需要"):
        services.team_activate(team=team, by=office)
    team.refresh_from_db()
    assert team.status == TeamStatus.FORMING


def test_r1_team_without_leader_is_refused(office):
    team = forming_team(leader=False, members=3)
    with pytest.raises(DomainError, match="有且仅有 1 名队长"):
        services.team_activate(team=team, by=office)


def test_r1_second_leader_is_refused():
    team = forming_team()
    with pytest.raises(DomainError, match="已有队长"):
        services.membership_add(
            team=team, cadre=factories.CadreFactory(), role=MembershipRole.LEADER
        )


def test_r1_minimum_follows_the_policy_row(office):
    """The office raises the minimum to 3 members; a 2-member team no longer activates."""
    from teams.models import Policy

    Policy.objects.create(key="team_min_members", value=3, effective_from=date(2020, 1, 1))
    team = forming_team(members=2)
    with pytest.raises(DomainError, match="至少需要 3 名"):
        services.team_activate(team=team, by=office)


def test_r1_team_below_strength_after_a_member_leaves_is_flagged(team):
    membership = team.memberships.filter(role=MembershipRole.MEMBER).first()
    services.membership_end(membership=membership, end_date=date(2026, 2, 1))
    problems = services.team_strength_problems(team, on=date(2026, 3, 1))
    assert any("至少需要" in p for p in problems)


def test_r2_leader_not_first_secretary_needs_a_reason(office):
    team = forming_team(first_secretary=False)
    with pytest.raises(DomainError, match="队长不是第一书记"):
        services.team_activate(team=team, by=office)
    team.leader_exception_reason = "第一书记另有任用"
    team.save()
    services.team_activate(team=team, by=office)
    team.refresh_from_db()
    assert team.status == TeamStatus.ACTIVE


def test_r3_second_active_team_in_a_village_starts_a_handover(office, team):
    incoming = forming_team(village=team.village)
    services.team_activate(team=incoming, by=office)
    team.refresh_from_db()
    assert team.status == TeamStatus.HANDING_OVER
    assert team.handover_out.incoming_team == incoming
    assert team.handover_out.items.count() == 5


def test_r3_database_refuses_two_active_teams_in_one_village(team):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.TeamFactory(village=team.village, status=TeamStatus.ACTIVE)


def test_r3_cadre_already_in_another_active_team_cannot_join(team):
    cadre = team.memberships.filter(role=MembershipRole.MEMBER).first().cadre
    elsewhere = forming_team()
    with pytest.raises(DomainError, match="已在工作队"):
        services.membership_add(team=elsewhere, cadre=cadre, start_date=date(2026, 6, 1))


def test_r3_cadre_may_stay_on_through_a_rotation_of_the_same_village(office, team):
    cadre = team.memberships.filter(role=MembershipRole.MEMBER).first().cadre
    incoming = forming_team(village=team.village)
    services.membership_add(team=incoming, cadre=cadre, start_date=date(2026, 6, 1))
    services.team_activate(team=incoming, by=office)
    assert incoming.memberships.filter(cadre=cadre).exists()


def test_r4_unreviewed_cadre_blocks_activation(office):
    team = forming_team()
    pending = factories.CadreFactory(selection_status=SelectionStatus.PENDING)
    services.membership_add(team=team, cadre=pending, start_date=team.term_start)
    with pytest.raises(DomainError, match="尚未通过市委组织部审核"):
        services.team_activate(team=team, by=office)
    services.cadre_selection_review(cadre=pending, reviewer=office, approve=True)
    services.team_activate(team=team, by=office)


def test_r4_unreviewed_cadre_cannot_join_an_active_team(team):
    pending = factories.CadreFactory(selection_status=SelectionStatus.PENDING)
    with pytest.raises(DomainError, match="尚未通过市委组织部审核"):
        services.membership_add(team=team, cadre=pending)


def test_r4_off_payroll_cadre_cannot_be_approved(office):
    cadre = factories.CadreFactory(selection_status=SelectionStatus.PENDING, on_payroll=False)
    with pytest.raises(DomainError, match="正式在编在岗"):
        services.cadre_selection_review(cadre=cadre, reviewer=office, approve=True)


def test_r4_only_the_office_reviews_selection(team):
    cadre = factories.CadreFactory(selection_status=SelectionStatus.PENDING)
    with pytest.raises(NotAllowed):
        services.cadre_selection_review(
            cadre=cadre, reviewer=factories.supervisor_of(team), approve=True
        )


def test_r7_team_term_runs_the_policy_years():
    team = services.team_create(
        name="测试队",
        village=factories.VillageFactory(),
        unit=factories.UnitFactory(),
        term_start=date(2026, 3, 1),
    )
    assert team.term_end == date(2026 + policy_int("team_term_years"), 3, 1)


def test_r7_unit_pairing_runs_three_years():
    village = factories.VillageFactory()
    pairing = services.unit_pairing_create(
        unit=factories.UnitFactory(),
        township=village.township,
        villages=[village],
        start_date=date(2024, 2, 29),
    )
    assert pairing.end_date == date(2027, 2, 28)


def test_r8_outgoing_team_cannot_leave_before_handover_is_complete(office, team):
    incoming = forming_team(village=team.village)
    services.team_activate(team=incoming, by=office)
    team.refresh_from_db()
    with pytest.raises(DomainError, match="交接尚未完成"):
        services.team_end(team=team, by=office)

    outgoing_leader = factories.leader_of(team)
    handover = team.handover_out
    with pytest.raises(DomainError, match="交接清单"):
        services.handover_confirm(handover=handover, user=outgoing_leader)
    for item in handover.items.all():
        services.handover_item_update(item=item, user=outgoing_leader, done=True, note="已交接")
    services.handover_confirm(handover=handover, user=outgoing_leader)
    services.handover_confirm(handover=handover, user=factories.leader_of(incoming))

    decided_end_of_term(team, office)  # R37: ending a term needs its assessment too
    services.team_end(team=team, by=office)
    team.refresh_from_db()
    assert team.status == TeamStatus.ENDED
    assert not team.memberships.filter(end_date__isnull=True).exists()


def test_r8_a_member_cannot_confirm_the_handover(office, team):
    incoming = forming_team(village=team.village)
    services.team_activate(team=incoming, by=office)
    with pytest.raises(NotAllowed):
        services.handover_confirm(handover=team.handover_out, user=factories.a_member_of(team))


def test_r39_advice_when_no_cadre_has_the_needed_expertise(team):
    from teams.models import ProblemTag

    team.village.problem_tags.add(ProblemTag.objects.get(code="weak-industry"))
    team.memberships.update()
    advice = services.team_expertise_advice(team)
    assert any("没有熟悉" in a for a in advice)
    cadre = team.memberships.first().cadre
    cadre.expertise = "economic"
    cadre.save()
    assert services.team_expertise_advice(team) == []


def test_ending_a_membership_before_it_starts_is_refused_with_a_message(team):
    membership = team.memberships.first()
    with pytest.raises(DomainError, match="不能早于|before it starts"):
        services.membership_end(membership=membership, end_date=date(2025, 1, 1))
    membership.refresh_from_db()
    assert membership.end_date is None
