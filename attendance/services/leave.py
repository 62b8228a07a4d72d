"""Leave requests, their approval chain and the return report (R21, R22)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, NotAllowed, full_clean_or_refuse
from accounts.models import User
from accounts.roles import get_roles
from attendance.models import (
    LEAVE_DAY_STATUS,
    PAYABLE_SHEET_STATUSES,
    ApproverBody,
    AttendanceDay,
    AttendanceSheet,
    DaySource,
    LeaveAction,
    LeaveChainRule,
    LeaveRequest,
    LeaveStatus,
    LeaveStep,
    RequesterRole,
)
from attendance.services.common import cadre_of, current_membership
from attendance.services.days import set_days
from core.notifications import Reminder, notify, notify_many, office_users
from core.roles import is_leader_of
from teams import policies
from teams.models import Cadre, Membership, MembershipRole
from teams.policies import policy_int


def _effective_end(leave: LeaveRequest) -> date:
    return leave.actual_end_date or leave.end_date


def _effective_days(leave: LeaveRequest) -> Decimal:
    if leave.actual_end_date and leave.actual_end_date < leave.end_date:
        days = Decimal((leave.actual_end_date - leave.start_date).days + 1)
        return days - (Decimal("0.5") if leave.start_half else 0)
    return leave.days


def _overlaps(a_start, a_start_half, a_end, a_end_half, b: LeaveRequest) -> bool:
    b_end = _effective_end(b)
    if a_start > b_end or a_end < b.start_date:
        return False
    # Sharing one day by halves is no overlap: one takes the morning, the other the afternoon.
    if a_start == b_end and a_start_half and b.end_half and b_end == b.end_date:
        return False
    return not (a_end == b.start_date and a_end_half and b.start_half)


def _live_leave(cadre: Cadre, exclude_pk: int | None):
    leave = LeaveRequest.objects.filter(
        cadre=cadre,
        status__in=(LeaveStatus.PENDING, LeaveStatus.APPROVED, LeaveStatus.RETURNED),
    )
    return leave.exclude(pk=exclude_pk) if exclude_pk else leave


def connected_leave(
    *, cadre: Cadre, start: date, end: date, exclude_pk: int | None = None
) -> list[LeaveRequest]:
    """R21: pending, approved or returned leave of the cadre that touches or overlaps the
    window with no gap day, followed transitively, so split leave counts together."""
    candidates = list(_live_leave(cadre, exclude_pk))
    found: dict[int, LeaveRequest] = {}
    low, high = start, end
    changed = True
    while changed:
        changed = False
        for leave in candidates:
            if leave.pk in found:
                continue
            if leave.start_date <= high + timedelta(days=1) and _effective_end(
                leave
            ) >= low - timedelta(days=1):
                found[leave.pk] = leave
                low, high = min(low, leave.start_date), max(high, _effective_end(leave))
                changed = True
    return sorted(found.values(), key=lambda leave: leave.start_date)


def chain_for(*, requester_role: str, total_days: Decimal, on: date) -> list[str]:
    """R21: the ordered approver bodies for this requester role and total length."""
    rules = list(
        LeaveChainRule.objects.filter(requester_role=requester_role, effective_from__lte=on)
    )
    if not rules:
        rules = list(LeaveChainRule.objects.filter(requester_role=requester_role))
    if not rules:
        raise DomainError(_("No leave approval rule is set up; ask the office."))
    # Per tier, the row in force on the day: the office can change one tier from a date.
    in_force: dict = {}
    for rule in sorted(rules, key=lambda rule: rule.effective_from):
        in_force[rule.max_days] = rule
    rules = list(in_force.values())
    covering = [rule for rule in rules if rule.max_days is None or rule.max_days >= total_days]
    if not covering:
        covering = [max(rules, key=lambda rule: rule.max_days or Decimal("1e9"))]
    rule = min(covering, key=lambda rule: rule.max_days if rule.max_days is not None else 1e9)
    steps = rule.step_list
    if requester_role == RequesterRole.LEADER:
        # Nobody approves their own leave: a leader's leave skips the leader step.
        steps = [step for step in steps if step != ApproverBody.LEADER]
    return steps or [ApproverBody.SUPERVISION_GROUP]


def approvers_for(leave: LeaveRequest, body: str | None = None):
    """The users of the body at the current step (or ``body``), never the requester."""
    body = body or leave.pending_with
    team = leave.team
    if body == ApproverBody.LEADER:
        users = User.objects.filter(
            cadre__memberships__in=Membership.objects.current(timezone.localdate()).filter(
                team=team, role=MembershipRole.LEADER
            )
        )
    elif body == ApproverBody.SUPERVISION_GROUP:
        users = User.objects.filter(supervision_groups=team.supervision_group_id)
    elif body == ApproverBody.OFFICE:
        users = office_users()
    else:
        return User.objects.none()
    return users.filter(is_active=True).exclude(cadre=leave.cadre).distinct()


def may_act_on(user, leave: LeaveRequest) -> bool:
    """Delegation: any person of the approving body may act; never on one's own leave."""
    if leave.status != LeaveStatus.PENDING or not user.is_authenticated:
        return False
    roles = get_roles(user)
    if roles.cadre_id == leave.cadre_id:
        return False
    body = leave.pending_with
    if body == ApproverBody.LEADER:
        return leave.team_id in roles.led_team_ids
    if body == ApproverBody.SUPERVISION_GROUP:
        return leave.team.supervision_group_id in roles.supervision_group_ids
    if body == ApproverBody.OFFICE:
        return roles.is_office
    return False


def _record(leave, action, user, comment="", step=None, body=""):
    LeaveStep.objects.create(
        leave=leave,
        step=step,
        body=body,
        action=action,
        actor=user if user is not None and user.is_authenticated else None,
        comment=comment,
    )


def _notify_approvers(leave: LeaveRequest) -> None:
    notify(
        users=approvers_for(leave),
        key=f"leave-pending:{leave.pk}:{leave.current_step}",
        title=_("Leave to approve: %(name)s, %(days)s days")
        % {"name": leave.cadre.name, "days": leave.days},
        body=leave.reason,
        url=leave.get_absolute_url(),
    )


@transaction.atomic
def leave_request_create(
    *,
    user,
    kind: str,
    start_date: date,
    end_date: date,
    reason: str,
    start_half: bool = False,
    end_half: bool = False,
    village_informed: bool = False,
    extends: LeaveRequest | None = None,
    submit: bool = True,
) -> LeaveRequest:
    """A cadre asks for leave (R21, R22); submitted at once unless kept as a draft."""
    cadre = cadre_of(user)
    membership = current_membership(cadre, min(start_date, timezone.localdate()))
    role = (
        RequesterRole.LEADER if membership.role == MembershipRole.LEADER else RequesterRole.MEMBER
    )
    leave = LeaveRequest(
        cadre=cadre,
        team=membership.team,
        requester_role=role,
        kind=kind,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        reason=reason,
        village_informed=village_informed,
        extends=extends,
        created_by=user,
        days=Decimal(1),
    )
    if end_date < start_date:
        raise DomainError(_("Leave cannot end before it starts."))
    full_clean_or_refuse(leave)  # 9999-12-31 is refused here, before any date arithmetic
    leave.days = leave.count_days()
    if leave.days <= 0:
        raise DomainError(_("The leave must last at least half a day."))
    full_clean_or_refuse(leave)
    _lock_cadre(cadre)
    _refuse_overlap(leave)
    _refuse_outside_open_months(leave)
    leave.save()
    if submit:
        leave = leave_request_submit(leave=leave, user=user)
    return leave


def _lock_cadre(cadre: Cadre) -> None:
    """Serialize a cadre's leave: two requests at the same moment cannot both pass the
    overlap check or both get the short tier (R21; issue 11, finding 6)."""
    list(Cadre.objects.select_for_update().filter(pk=cadre.pk).values_list("pk"))


def leave_warnings(*, leave: LeaveRequest) -> list[str]:
    """What the requester should know without being refused: leave running past the
    team's term end (R7) may need the rotation's handover (R8) to be arranged."""
    team = leave.team
    if team.term_end and leave.end_date > team.term_end:
        return [
            str(
                _("The leave runs past the team's term, which ends on %(end)s.")
                % {"end": team.term_end}
            )
        ]
    return []


def _refuse_outside_open_months(leave: LeaveRequest) -> None:
    """Leave inside a month whose sheet is already issued (R34) would contradict the
    record that pays the allowance: refused until the sheet is reopened."""
    team = leave.team
    first = leave.start_date.replace(day=1)
    issued = (
        AttendanceSheet.objects.filter(
            team=team,
            month__gte=first,
            month__lte=leave.end_date,
            status__in=PAYABLE_SHEET_STATUSES,
        )
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )
    if issued:
        raise DomainError(
            _(
                "The attendance sheet of %(month)s is already issued; ask the supervision "
                "group to reopen it before recording leave in that month."
            )
            % {"month": f"{issued:%Y-%m}"}
        )


def _refuse_overlap(leave: LeaveRequest) -> None:
    for other in _live_leave(leave.cadre, leave.pk):
        if _overlaps(leave.start_date, leave.start_half, leave.end_date, leave.end_half, other):
            raise DomainError(
                _("This leave overlaps your leave from %(start)s to %(end)s.")
                % {"start": other.start_date, "end": _effective_end(other)}
            )


@transaction.atomic
def leave_request_submit(*, leave: LeaveRequest, user) -> LeaveRequest:
    """Fix the chain from the policy table (R21), counting adjacent leave together."""
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("team")
        .get(pk=leave.pk)
    )
    if leave.cadre.user_id != user.pk:
        raise NotAllowed(_("Only the person on leave can submit the request."))
    if leave.status != LeaveStatus.DRAFT:
        raise DomainError(_("Only a draft can be submitted."))
    _lock_cadre(leave.cadre)
    _refuse_overlap(leave)
    connected = connected_leave(
        cadre=leave.cadre, start=leave.start_date, end=leave.end_date, exclude_pk=leave.pk
    )
    total = leave.days + sum((_effective_days(other) for other in connected), Decimal(0))
    steps = chain_for(requester_role=leave.requester_role, total_days=total, on=leave.start_date)
    now = timezone.now()
    leave.tier_days = total
    leave.chain = ",".join(steps)
    leave.current_step = 0
    leave.pending_with = steps[0]
    leave.status = LeaveStatus.PENDING
    leave.submitted_at = leave.step_started_at = now
    full_clean_or_refuse(leave)
    leave.save()
    _record(leave, LeaveAction.SUBMIT, user)
    _notify_approvers(leave)
    return leave


@transaction.atomic
def leave_request_decide(
    *, leave: LeaveRequest, user, approve: bool, comment: str = ""
) -> LeaveRequest:
    """One step of the chain: approve passes it on (or approves), reject stops it."""
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("team", "cadre__user")
        .get(pk=leave.pk)
    )
    if leave.cadre.user_id == user.pk:
        raise NotAllowed(_("Nobody can approve their own leave."))
    if leave.status != LeaveStatus.PENDING:
        raise DomainError(_("This request is not waiting for approval."))
    if not may_act_on(user, leave):
        raise NotAllowed(_("You are not an approver of this step."))
    body, step = leave.pending_with, leave.current_step
    now = timezone.now()
    if not approve:
        if not comment.strip():
            raise DomainError(_("Say why the leave is rejected."))
        _record(leave, LeaveAction.REJECT, user, comment, step, body)
        leave.status, leave.pending_with, leave.decided_at = LeaveStatus.REJECTED, "", now
        leave.save()
        _notify_requester(leave, _("Your leave was rejected"))
        return leave
    _record(leave, LeaveAction.APPROVE, user, comment, step, body)
    steps = leave.chain_steps
    if step + 1 < len(steps):
        leave.current_step = step + 1
        leave.pending_with = steps[step + 1]
        leave.step_started_at = now
        leave.save()
        _notify_approvers(leave)
        return leave
    leave.status, leave.pending_with, leave.decided_at = LeaveStatus.APPROVED, "", now
    leave.save()
    _fill_leave_days(leave, user)
    _notify_requester(leave, _("Your leave was approved"))
    return leave


def _notify_requester(leave: LeaveRequest, title: str) -> None:
    notify(
        users=[leave.cadre.user] if leave.cadre.user_id else [],
        key=f"leave-{leave.status}:{leave.pk}",
        title=str(title),
        body=f"{leave.start_date} – {leave.end_date}",
        url=leave.get_absolute_url(),
    )


def _fill_leave_days(leave: LeaveRequest, user) -> None:
    """An approved leave fills the attendance days it wholly covers."""
    status = LEAVE_DAY_STATUS[leave.kind]
    set_days(
        team=leave.team,
        cells={(leave.cadre_id, day): status for day in leave.full_days()},
        source=DaySource.LEAVE,
        user=user,
        leave=leave,
        strict=False,
    )


def _clear_leave_days(leave: LeaveRequest, user, after: date | None = None) -> None:
    rows = AttendanceDay.objects.filter(leave=leave)
    if after:
        rows = rows.filter(date__gt=after)
    cells = {(row.cadre_id, row.date): None for row in rows}
    set_days(team=leave.team, cells=cells, source=DaySource.LEAVE, user=user, strict=False)


@transaction.atomic
def leave_request_withdraw(*, leave: LeaveRequest, user, comment: str = "") -> LeaveRequest:
    """The requester withdraws a draft, a pending request or approved leave not yet begun."""
    leave = LeaveRequest.objects.select_for_update(of=("self",)).get(pk=leave.pk)
    if leave.cadre.user_id != user.pk:
        raise NotAllowed(_("Only the person on leave can withdraw the request."))
    started = leave.start_date <= timezone.localdate()
    if leave.status not in (LeaveStatus.DRAFT, LeaveStatus.PENDING) and not (
        leave.status == LeaveStatus.APPROVED and not started
    ):
        raise DomainError(_("This leave can no longer be withdrawn."))
    was_approved = leave.status == LeaveStatus.APPROVED
    leave.status, leave.pending_with, leave.decided_at = (
        LeaveStatus.WITHDRAWN,
        "",
        timezone.now(),
    )
    leave.save()
    _record(leave, LeaveAction.WITHDRAW, user, comment)
    if was_approved:
        _clear_leave_days(leave, user)
    return leave


@transaction.atomic
def leave_return_report(
    *, leave: LeaveRequest, user, actual_end_date: date, comment: str = ""
) -> LeaveRequest:
    """R22: 销假. The actual last day; longer than approved needs an extension first."""
    leave = LeaveRequest.objects.select_for_update(of=("self",)).get(pk=leave.pk)
    if leave.cadre.user_id != user.pk and not is_leader_of(user, leave.team):
        raise NotAllowed(_("Only the person on leave or the leader can report the return."))
    if leave.status != LeaveStatus.APPROVED:
        raise DomainError(_("Only approved leave can be closed with a return report."))
    if actual_end_date < leave.start_date:
        raise DomainError(_("The return cannot be before the leave began."))
    if actual_end_date > leave.end_date:
        raise DomainError(
            _(
                "The leave ran longer than approved: ask for an extension first, "
                "then report the return on it."
            )
        )
    leave.actual_end_date = actual_end_date
    leave.returned_at = timezone.now()
    leave.status = LeaveStatus.RETURNED
    leave.save()
    _record(leave, LeaveAction.RETURN, user, comment)
    if actual_end_date < leave.end_date:
        _clear_leave_days(leave, user, after=actual_end_date)
    # Returning on an extension closes the leave it extended, as taken in full.
    parent = leave.extends
    while parent is not None:
        if parent.status == LeaveStatus.APPROVED:
            parent.status, parent.actual_end_date = LeaveStatus.RETURNED, parent.end_date
            parent.returned_at = leave.returned_at
            parent.save()
            _record(parent, LeaveAction.RETURN, user, _("Closed by the extension's return."))
        parent = parent.extends
    return leave


@transaction.atomic
def leave_extension_request(
    *, leave: LeaveRequest, user, end_date: date, end_half: bool = False, reason: str
) -> LeaveRequest:
    """R21/R22: more days than approved; the chain follows the new total."""
    if leave.cadre.user_id != user.pk:
        raise NotAllowed(_("Only the person on leave can ask for an extension."))
    if leave.status != LeaveStatus.APPROVED:
        raise DomainError(_("Only approved leave can be extended."))
    if end_date <= leave.end_date:
        raise DomainError(_("An extension must end after the approved leave."))
    start, start_half = leave.end_date + timedelta(days=1), False
    if leave.end_half:
        start, start_half = leave.end_date, True
    return leave_request_create(
        user=user,
        kind=leave.kind,
        start_date=start,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        reason=reason,
        village_informed=leave.village_informed,
        extends=leave,
    )


def overdue_cutoff(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now - timedelta(hours=policy_int(policies.LEAVE_OVERDUE_HOURS, timezone.localdate(now)))


def remind_pending_leave(*, now: datetime | None = None) -> int:
    """Leave waiting longer than policy allows: remind the approvers, once per step."""
    reminders: list[Reminder] = []
    overdue = LeaveRequest.objects.filter(
        status=LeaveStatus.PENDING, step_started_at__lt=overdue_cutoff(now)
    ).select_related("cadre", "team")
    for leave in overdue:
        reminders.append(
            Reminder(
                users=approvers_for(leave),
                key=f"leave-overdue:{leave.pk}:{leave.current_step}",
                title=_("Overdue leave request: %(name)s") % {"name": leave.cadre.name},
                body=_("Waiting since %(since)s.")
                % {"since": f"{timezone.localtime(leave.step_started_at):%Y-%m-%d %H:%M}"},
                url=leave.get_absolute_url(),
            )
        )
    return notify_many(reminders)


@transaction.atomic
def leave_requests_approve_one_day(*, user, leave_ids: list[int], comment: str = "") -> int:
    """A leader approves several members' one-day requests at once (R21: a member's one
    day is the leader's to approve). Requests of other lengths or bodies are left alone;
    each approval is the same step as approving one, with its history and notification."""
    roles = get_roles(user)
    rows = LeaveRequest.objects.filter(
        pk__in=leave_ids,
        status=LeaveStatus.PENDING,
        pending_with=ApproverBody.LEADER,
        team_id__in=roles.led_team_ids,
        days__lte=1,
    ).order_by("pk")
    approved = 0
    for leave in rows:
        leave_request_decide(leave=leave, user=user, approve=True, comment=comment)
        approved += 1
    return approved
