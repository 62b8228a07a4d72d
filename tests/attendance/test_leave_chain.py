"""R21/R22: leave routing from the policy table, delegation, overdue, return and extension."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.errors import DomainError, NotAllowed
from accounts.models import Notification
from attendance import services
from attendance.models import (
    AttendanceDay,
    DayStatus,
    LeaveAction,
    LeaveChainRule,
    LeaveStatus,
)
from tests import factories
from tests.attendance.factories import BASE_DAY, approve_all, ask_leave

pytestmark = pytest.mark.django_db

MEMBER_TIERS = [
    ("0.5", "leader"),
    ("1", "leader"),
    ("1.5", "supervision_group"),
    ("2", "supervision_group"),
    ("3", "supervision_group"),
    ("3.5", "office"),
    ("10", "office"),
]
LEADER_TIERS = [
    ("0.5", "supervision_group"),
    ("1", "supervision_group"),
    ("1.5", "supervision_group"),
    ("2", "supervision_group"),
    ("3", "supervision_group"),
    ("3.5", "office"),
    ("10", "office"),
]


@pytest.mark.parametrize("days,body", MEMBER_TIERS)
def test_r21_member_leave_tier(team, days, body):
    leave = ask_leave(factories.a_member_of(team), days)
    assert leave.days == Decimal(days)
    assert leave.status == LeaveStatus.PENDING
    assert leave.chain == body
    assert leave.pending_with == body


@pytest.mark.parametrize("days,body", LEADER_TIERS)
def test_r21_leader_leave_tier_never_goes_to_the_leader(team, days, body):
    leave = ask_leave(factories.leader_of(team), days)
    assert leave.requester_role == "leader"
    assert leave.chain == body


def test_r21_leave_split_into_adjacent_pieces_still_goes_to_the_office(team, office):
    member = factories.a_member_of(team)
    supervisor = factories.supervisor_of(team)
    first = ask_leave(member, "3")
    assert first.chain == "supervision_group"
    approve_all(first, {"supervision_group": supervisor})
    second = ask_leave(member, "2", start=BASE_DAY + timedelta(days=3))
    assert second.tier_days == Decimal("5")
    assert second.chain == "office"


def test_r21_pending_pieces_count_together_too(team):
    member = factories.a_member_of(team)
    ask_leave(member, "1")
    second = ask_leave(member, "1", start=BASE_DAY + timedelta(days=1))
    assert second.chain == "supervision_group"


def test_r21_a_gap_day_separates_leave(team):
    member = factories.a_member_of(team)
    ask_leave(member, "1")
    later = ask_leave(member, "1", start=BASE_DAY + timedelta(days=2))
    assert later.chain == "leader"


def test_r21_overlapping_leave_is_refused(team):
    member = factories.a_member_of(team)
    ask_leave(member, "3")
    with pytest.raises(DomainError, match="overlaps"):
        ask_leave(member, "2", start=BASE_DAY + timedelta(days=2))


def test_r21_morning_and_afternoon_of_one_day_do_not_overlap(team):
    member = factories.a_member_of(team)
    ask_leave(member, "0.5")  # ends at noon
    afternoon = ask_leave(member, "0.5", start=BASE_DAY, start_half=True, end_half=False)
    assert afternoon.days == Decimal("0.5")


def test_r21_chain_rule_edited_by_the_office_applies_from_its_date(team):
    LeaveChainRule.objects.create(
        requester_role="member",
        max_days=Decimal("1"),
        steps="leader,supervision_group",
        effective_from=BASE_DAY - timedelta(days=1),
    )
    LeaveChainRule.objects.create(
        requester_role="member",
        max_days=Decimal("1"),
        steps="office",
        effective_from=BASE_DAY + timedelta(days=1),
    )
    member = factories.a_member_of(team)
    leave = ask_leave(member, "1")
    assert leave.chain == "leader,supervision_group"
    later = ask_leave(member, "1", start=BASE_DAY + timedelta(days=5))
    assert later.chain == "office"
    assert ask_leave(member, "2", start=BASE_DAY + timedelta(days=9)).chain == "supervision_group"


def test_r21_multi_step_chain_passes_step_by_step(team):
    LeaveChainRule.objects.create(
        requester_role="member",
        max_days=Decimal("1"),
        steps="leader,supervision_group",
        effective_from=BASE_DAY,
    )
    member = factories.a_member_of(team)
    leave = ask_leave(member, "1")
    leave = services.leave_request_decide(
        leave=leave, user=factories.leader_of(team), approve=True
    )
    assert leave.status == LeaveStatus.PENDING and leave.pending_with == "supervision_group"
    leave = services.leave_request_decide(
        leave=leave, user=factories.supervisor_of(team), approve=True
    )
    assert leave.status == LeaveStatus.APPROVED
    assert [s.action for s in leave.steps.all()] == ["submit", "approve", "approve"]


def test_r21_user_outside_the_chain_cannot_approve(team, other_team):
    leave = ask_leave(factories.a_member_of(team), "2")
    for outsider in (
        factories.supervisor_of(other_team),
        factories.leader_of(team),  # the leader is not this tier's approver
        factories.office_user(),
    ):
        with pytest.raises(NotAllowed):
            services.leave_request_decide(leave=leave, user=outsider, approve=True)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING


def test_r21_nobody_approves_their_own_leave(team):
    leader = factories.leader_of(team)
    team.supervision_group.members.add(leader)
    leave = ask_leave(leader, "2")
    with pytest.raises(NotAllowed):
        services.leave_request_decide(leave=leave, user=leader, approve=True)
    assert not services.may_act_on(leader, leave)


def test_r21_any_person_of_the_body_may_act(team):
    first, second = factories.supervisor_of(team), factories.supervisor_of(team)
    leave = ask_leave(factories.a_member_of(team), "2")
    assert services.may_act_on(first, leave) and services.may_act_on(second, leave)
    leave = services.leave_request_decide(leave=leave, user=second, approve=True)
    assert leave.status == LeaveStatus.APPROVED
    step = leave.steps.get(action=LeaveAction.APPROVE)
    assert step.actor == second and step.body == "supervision_group" and step.at


def test_r21_rejection_needs_a_comment_and_stops(team):
    leave = ask_leave(factories.a_member_of(team), "1")
    leader = factories.leader_of(team)
    with pytest.raises(DomainError):
        services.leave_request_decide(leave=leave, user=leader, approve=False)
    leave = services.leave_request_decide(
        leave=leave, user=leader, approve=False, comment="村里正开会"
    )
    assert leave.status == LeaveStatus.REJECTED
    with pytest.raises(DomainError):
        services.leave_request_decide(leave=leave, user=leader, approve=True)


def test_r21_withdrawn_request_stops(team):
    member = factories.a_member_of(team)
    leave = ask_leave(member, "1")
    leave = services.leave_request_withdraw(leave=leave, user=member)
    assert leave.status == LeaveStatus.WITHDRAWN
    with pytest.raises(DomainError):
        services.leave_request_decide(leave=leave, user=factories.leader_of(team), approve=True)


def test_r21_approved_leave_fills_whole_days_only(team):
    member = factories.a_member_of(team)
    leave = ask_leave(member, "2.5", kind="sick")
    approve_all(leave, {"supervision_group": factories.supervisor_of(team)})
    days = dict(AttendanceDay.objects.filter(cadre=member.cadre).values_list("date", "status"))
    assert days == {
        BASE_DAY: DayStatus.LEAVE_SICK,
        BASE_DAY + timedelta(days=1): DayStatus.LEAVE_SICK,
    }


def test_r21_approvers_are_notified_and_overdue_reminded_once(team):
    supervisor = factories.supervisor_of(team)
    leave = ask_leave(factories.a_member_of(team), "2")
    assert Notification.objects.filter(user=supervisor, key__startswith="leave-pending").exists()
    later = timezone.now() + timedelta(hours=49)
    assert services.remind_pending_leave(now=later) == 1
    assert services.remind_pending_leave(now=later) == 0
    assert Notification.objects.filter(user=supervisor, key=f"leave-overdue:{leave.pk}:0").exists()


def test_r21_pending_within_policy_is_not_overdue(team):
    factories.supervisor_of(team)
    ask_leave(factories.a_member_of(team), "2")
    assert services.remind_pending_leave(now=timezone.now() + timedelta(hours=47)) == 0


def test_r22_return_report_records_actual_end_and_frees_unused_days(team):
    member = factories.a_member_of(team)
    leave = approve_all(
        ask_leave(member, "3"), {"supervision_group": factories.supervisor_of(team)}
    )
    leave = services.leave_return_report(
        leave=leave, user=member, actual_end_date=BASE_DAY + timedelta(days=1)
    )
    assert leave.status == LeaveStatus.RETURNED
    assert leave.actual_end_date == BASE_DAY + timedelta(days=1)
    assert AttendanceDay.objects.filter(cadre=member.cadre).count() == 2


def test_r22_longer_than_approved_needs_an_extension_at_the_new_tier(team, office):
    member = factories.a_member_of(team)
    leader = factories.leader_of(team)
    leave = approve_all(ask_leave(member, "1"), {"leader": leader})
    with pytest.raises(DomainError, match="extension"):
        services.leave_return_report(
            leave=leave, user=member, actual_end_date=BASE_DAY + timedelta(days=3)
        )
    extension = services.leave_extension_request(
        leave=leave, user=member, end_date=BASE_DAY + timedelta(days=3), reason="病情未愈"
    )
    assert extension.extends == leave
    assert extension.tier_days == Decimal("4")
    assert extension.chain == "office"
    extension = approve_all(extension, {"office": office})
    services.leave_return_report(
        leave=extension, user=member, actual_end_date=BASE_DAY + timedelta(days=3)
    )
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.RETURNED


def test_r22_village_informed_is_recorded(team):
    leave = ask_leave(factories.a_member_of(team), "1", village_informed=True)
    assert leave.village_informed is True


def test_half_day_leave_must_last(team):
    with pytest.raises(DomainError):
        ask_leave(factories.a_member_of(team), "1", start_half=True, end_half=True)


def test_a_draft_is_submitted_later_by_its_owner_only(team):
    member = factories.a_member_of(team)
    leave = ask_leave(member, "1", submit=False)
    assert leave.status == LeaveStatus.DRAFT
    with pytest.raises(NotAllowed):
        services.leave_request_submit(leave=leave, user=factories.leader_of(team))
    leave = services.leave_request_submit(leave=leave, user=member)
    assert leave.status == LeaveStatus.PENDING
