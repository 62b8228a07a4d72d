"""Every change to attendance, leave and sheets, with the rule it serves (R20-R23, R34)."""

from __future__ import annotations

import math
from calendar import monthrange
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, NotAllowed, full_clean_or_refuse
from accounts.models import OFFICE_GROUP, User
from accounts.notifications import Reminder, notify, notify_many
from accounts.roles import get_roles
from attendance.models import (
    EDITABLE_SHEET_STATUSES,
    LEAVE_DAY_STATUS,
    ApproverBody,
    AttendanceDay,
    AttendanceSheet,
    CheckIn,
    CheckInFlag,
    DayChange,
    DaySource,
    DayStatus,
    LeaveAction,
    LeaveChainRule,
    LeaveRequest,
    LeaveStatus,
    LeaveStep,
    RequesterRole,
    SheetAction,
    SheetEvent,
    SheetStatus,
)
from teams.models import Cadre, Membership, MembershipRole, Team
from teams.policies import policy_int

# ---------------------------------------------------------------------------- months


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def month_days(month: date) -> list[date]:
    start = month_start(month)
    return [start + timedelta(days=i) for i in range(monthrange(start.year, start.month)[1])]


def previous_month(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))


# ---------------------------------------------------------------------------- people


def cadre_of(user) -> Cadre:
    cadre = Cadre.objects.filter(user=user).first() if user.is_authenticated else None
    if cadre is None:
        raise NotAllowed(_("Only a stationed cadre can do this."))
    return cadre


def current_membership(cadre: Cadre, on: date) -> Membership:
    membership = (
        Membership.objects.current(on)
        .filter(cadre=cadre, team__status__in=("active", "handover"))
        .select_related("team__village", "team__supervision_group")
        .order_by("-start_date")
        .first()
    )
    if membership is None:
        raise DomainError(_("You are not a member of a stationed team on %(day)s.") % {"day": on})
    return membership


def team_leader_user(team: Team, on: date | None = None) -> User | None:
    on = on or timezone.localdate()
    membership = (
        Membership.objects.current(on)
        .filter(team=team, role=MembershipRole.LEADER)
        .select_related("cadre__user")
        .first()
    )
    return membership.cadre.user if membership and membership.cadre.user_id else None


def is_team_leader(user, team: Team) -> bool:
    return team.pk in get_roles(user).led_team_ids


def is_team_supervisor(user, team: Team) -> bool:
    return team.supervision_group_id in get_roles(user).supervision_group_ids


# ---------------------------------------------------------------------------- check-in


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Great-circle distance in metres (haversine)."""
    radius = 6_371_000
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return round(2 * radius * math.asin(math.sqrt(a)))


@transaction.atomic
def checkin_record(
    *,
    user,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    accuracy_m: int | None = None,
    at: datetime | None = None,
) -> CheckIn:
    """Record today's check-in; outside the radius or without location it is flagged, not
    dropped. A second check-in the same day is refused."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    cadre = cadre_of(user)
    membership = current_membership(cadre, day)
    team = membership.team
    if CheckIn.objects.filter(cadre=cadre, date=day).exists():
        raise DomainError(_("You have already checked in today."))
    village = team.village
    flag, distance = CheckInFlag.NONE, None
    if latitude is None or longitude is None:
        flag = CheckInFlag.NO_LOCATION
        latitude = longitude = accuracy_m = None
    elif village.latitude is not None and village.longitude is not None:
        distance = distance_m(
            float(latitude), float(longitude), float(village.latitude), float(village.longitude)
        )
        if distance > village.checkin_radius_m:
            flag = CheckInFlag.OUTSIDE
    checkin = CheckIn(
        cadre=cadre,
        team=team,
        date=day,
        at=at,
        latitude=None
        if latitude is None
        else Decimal(str(latitude)).quantize(Decimal("0.000001")),
        longitude=None
        if longitude is None
        else Decimal(str(longitude)).quantize(Decimal("0.000001")),
        accuracy_m=accuracy_m,
        distance_m=distance,
        flag=flag,
    )
    full_clean_or_refuse(checkin)
    checkin.save()
    # The check-in pre-fills the day; it never overrides what is already recorded.
    if not AttendanceDay.objects.filter(cadre=cadre, date=day).exists():
        set_days(
            team=team,
            cells={(cadre.pk, day): DayStatus.IN_VILLAGE},
            source=DaySource.CHECKIN,
            user=user,
            strict=False,
        )
    return checkin


# ---------------------------------------------------------------------------- days


def editable_months(team: Team, months: Iterable[date]) -> set[date]:
    """Months whose days may change: no sheet yet, or a draft or reopened sheet (R23)."""
    months = set(months)
    frozen = set(
        AttendanceSheet.objects.filter(team=team, month__in=months)
        .exclude(status__in=EDITABLE_SHEET_STATUSES)
        .values_list("month", flat=True)
    )
    return months - frozen


def set_days(
    *,
    team: Team,
    cells: dict[tuple[int, date], str | None],
    source: str,
    user=None,
    leave: LeaveRequest | None = None,
    leave_for: dict[tuple[int, date], LeaveRequest] | None = None,
    strict: bool = True,
) -> int:
    """Write day statuses with history (R23); ``None`` clears a day. The days link to
    ``leave``, or cell by cell to ``leave_for`` when several leaves fill them at once.

    A day in a submitted, confirmed, issued or locked month is refused (``strict``) or
    skipped (automatic fills from check-ins and leave); returns how many days changed.
    """
    if not cells:
        return 0
    months = {month_start(day) for _, day in cells}
    open_months = editable_months(team, months)
    if strict and open_months != months:
        raise DomainError(
            _(
                "The attendance sheet of this month is no longer a draft: ask for it to be reopened."
            )
        )
    cells = {key: value for key, value in cells.items() if month_start(key[1]) in open_months}
    cadre_ids = {cadre_id for cadre_id, _ in cells}
    dates = [day for _, day in cells]
    if not cells:
        return 0
    existing = {
        (row.cadre_id, row.date): row
        for row in AttendanceDay.objects.filter(
            cadre_id__in=cadre_ids, date__gte=min(dates), date__lte=max(dates)
        )
    }
    create, update, delete, history = [], [], [], []
    actor = user if user is not None and user.is_authenticated else None
    for (cadre_id, day), status in cells.items():
        if leave_for is not None:
            leave = leave_for.get((cadre_id, day))
        row = existing.get((cadre_id, day))
        before = row.status if row else ""
        after = status or ""
        relink = row is not None and leave is not None and row.leave_id != leave.pk
        if before == after and not relink:
            continue
        if row is None:
            create.append(
                AttendanceDay(
                    cadre_id=cadre_id,
                    team=team,
                    date=day,
                    status=status,
                    source=source,
                    leave=leave,
                    updated_by=actor,
                )
            )
        elif not status:
            delete.append(row.pk)
        else:
            row.status, row.source, row.leave, row.updated_by = status, source, leave, actor
            row.team = team
            row.updated_at = timezone.now()
            update.append(row)
        if before != after:
            history.append(
                DayChange(
                    team=team,
                    cadre_id=cadre_id,
                    date=day,
                    before=before,
                    after=after,
                    source=source,
                    changed_by=actor,
                )
            )
    AttendanceDay.objects.bulk_create(create, batch_size=500)
    AttendanceDay.objects.bulk_update(
        update, ["status", "source", "leave", "updated_by", "team", "updated_at"], batch_size=500
    )
    AttendanceDay.objects.filter(pk__in=delete).delete()
    DayChange.objects.bulk_create(history, batch_size=500)
    return len(history)


def _may_edit_grid(user, team: Team) -> bool:
    roles = get_roles(user)
    return is_team_leader(user, team) or is_team_supervisor(user, team) or roles.is_office


def cadres_in_month(team: Team, month: date) -> list[tuple[Membership, date, date]]:
    """Each membership of the team overlapping the month, with the days it covers there
    (clipped to the team's term: a partial month at the start or end of a term, R20)."""
    start, end = month_start(month), month_end(month)
    memberships = (
        Membership.objects.filter(team=team, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("cadre__unit")
        .order_by("role", "cadre__name", "pk")
    )
    rows, seen = [], set()
    for membership in memberships:
        if membership.cadre_id in seen:
            continue
        seen.add(membership.cadre_id)
        first = max(start, membership.start_date, team.term_start)
        last = min(end, membership.end_date or end, team.term_end)
        if first <= last:
            rows.append((membership, first, last))
    return rows


@transaction.atomic
def attendance_days_update(
    *, user, team: Team, month: date, cells: dict[tuple[int, date], str | None]
) -> int:
    """The leader corrects the month grid (R20); every change is kept (R23)."""
    if not _may_edit_grid(user, team):
        raise NotAllowed(_("Only the team's leader can correct its attendance."))
    allowed = {
        membership.cadre_id: (first, last)
        for membership, first, last in cadres_in_month(team, month)
    }
    clean = {}
    for (cadre_id, day), status in cells.items():
        if cadre_id not in allowed:
            raise NotAllowed(_("This cadre is not in the team this month."))
        first, last = allowed[cadre_id]
        if not first <= day <= last:
            continue
        if status and status not in DayStatus.values:
            raise DomainError(_("Unknown attendance status."))
        clean[(cadre_id, day)] = status or None
    sheet = AttendanceSheet.objects.filter(team=team, month=month_start(month)).first()
    source = (
        DaySource.REOPEN if sheet and sheet.status == SheetStatus.REOPENED else DaySource.LEADER
    )
    return set_days(team=team, cells=clean, source=source, user=user)


@transaction.atomic
def attendance_fill_blanks(
    *, user, team: Team, month: date, status: str = DayStatus.IN_VILLAGE
) -> int:
    """Fill the blank days up to today with one status: the leader's quick start."""
    if not _may_edit_grid(user, team):
        raise NotAllowed(_("Only the team's leader can correct its attendance."))
    today = timezone.localdate()
    rows = cadres_in_month(team, month)
    existing = set(
        AttendanceDay.objects.filter(
            team=team, date__gte=month_start(month), date__lte=month_end(month)
        ).values_list("cadre_id", "date")
    )
    cells = {}
    for membership, first, last in rows:
        day = first
        while day <= min(last, today):
            if (membership.cadre_id, day) not in existing:
                cells[(membership.cadre_id, day)] = status
            day += timedelta(days=1)
    return set_days(team=team, cells=cells, source=DaySource.LEADER, user=user)


# ---------------------------------------------------------------------------- leave


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
        users = User.objects.filter(Q(groups__name=OFFICE_GROUP) | Q(is_superuser=True))
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
    leave.days = leave.count_days()
    if leave.days <= 0:
        raise DomainError(_("The leave must last at least half a day."))
    full_clean_or_refuse(leave)
    _refuse_overlap(leave)
    leave.save()
    if submit:
        leave = leave_request_submit(leave=leave, user=user)
    return leave


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
    if leave.cadre.user_id != user.pk and not is_team_leader(user, leave.team):
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
    return now - timedelta(hours=policy_int("leave_overdue_hours", timezone.localdate(now)))


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


# ---------------------------------------------------------------------------- sheets


def _event(sheet, action, user, comment=""):
    SheetEvent.objects.create(
        sheet=sheet,
        action=action,
        actor=user if user is not None and user.is_authenticated else None,
        comment=comment,
    )


@transaction.atomic
def attendance_sheet_get_or_create(*, team: Team, month: date, user=None) -> AttendanceSheet:
    """The month's draft sheet, pre-filled from check-ins and approved leave (R23)."""
    sheet, created = AttendanceSheet.objects.get_or_create(team=team, month=month_start(month))
    if created:
        _event(sheet, SheetAction.CREATE, user)
        attendance_sheet_prefill(sheet=sheet, user=user)
    return sheet


def attendance_sheet_prefill(*, sheet: AttendanceSheet, user=None) -> int:
    """Fill blank days from check-ins and approved leave; recorded days stay."""
    start, end = sheet.month, month_end(sheet.month)
    team = sheet.team
    existing = set(
        AttendanceDay.objects.filter(team=team, date__gte=start, date__lte=end).values_list(
            "cadre_id", "date"
        )
    )
    changed = 0
    cells = {
        (cadre_id, day): DayStatus.IN_VILLAGE
        for cadre_id, day in CheckIn.objects.filter(
            team=team, date__gte=start, date__lte=end
        ).values_list("cadre_id", "date")
        if (cadre_id, day) not in existing
    }
    changed += set_days(team=team, cells=cells, source=DaySource.CHECKIN, user=user, strict=False)
    leave_for = {
        (leave.cadre_id, day): leave
        for leave in LeaveRequest.objects.filter(
            team=team,
            status__in=(LeaveStatus.APPROVED, LeaveStatus.RETURNED),
            start_date__lte=end,
            end_date__gte=start,
        )
        for day in leave.full_days()
        if start <= day <= end and (leave.cadre_id, day) not in existing
    }
    cells = {key: LEAVE_DAY_STATUS[leave.kind] for key, leave in leave_for.items()}
    changed += set_days(
        team=team,
        cells=cells,
        source=DaySource.LEAVE,
        user=user,
        leave_for=leave_for,
        strict=False,
    )
    return changed


def blank_days(sheet: AttendanceSheet) -> int:
    start, end = sheet.month, month_end(sheet.month)
    filled = AttendanceDay.objects.filter(team=sheet.team, date__gte=start, date__lte=end)
    expected = sum(
        (last - first).days + 1 for _, first, last in cadres_in_month(sheet.team, start)
    )
    return max(expected - filled.count(), 0)


def _lock_sheet(sheet_pk: int) -> AttendanceSheet:
    return (
        AttendanceSheet.objects.select_for_update(of=("self",))
        .select_related("team__village")
        .get(pk=sheet_pk)
    )


@transaction.atomic
def attendance_sheet_submit(*, sheet: AttendanceSheet, user) -> AttendanceSheet:
    """The leader submits the month once every day is filled (R23, R34)."""
    sheet = _lock_sheet(sheet.pk)
    if not is_team_leader(user, sheet.team):
        raise NotAllowed(_("Only the team's leader can submit its sheet."))
    if not sheet.is_editable:
        raise DomainError(_("This sheet has already been submitted."))
    missing = blank_days(sheet)
    if missing:
        raise DomainError(
            _("%(n)d days are still blank: fill every cadre's days first.") % {"n": missing}
        )
    sheet.status = SheetStatus.SUBMITTED
    sheet.submitted_by, sheet.submitted_at = user, timezone.now()
    sheet.village_confirmed_by = sheet.village_confirmed_at = None
    sheet.township_confirmed_by = sheet.township_confirmed_at = None
    sheet.save()
    _event(sheet, SheetAction.SUBMIT, user)
    return sheet


def _maybe_confirmed(sheet: AttendanceSheet, user) -> None:
    if sheet.village_confirmed_at and sheet.township_confirmed_at:
        sheet.status = SheetStatus.CONFIRMED
        group = sheet.team.supervision_group
        if group is not None:
            notify(
                users=group.members.all(),
                key=f"sheet-to-issue:{sheet.pk}:{sheet.submitted_at:%Y%m%d%H%M%S}",
                title=_("Attendance sheet to issue: %(sheet)s") % {"sheet": sheet},
                url=sheet.get_absolute_url(),
            )


@transaction.atomic
def attendance_sheet_confirm(*, sheet: AttendanceSheet, user, level: str) -> AttendanceSheet:
    """R34: the village head and the township head confirm the submitted sheet online."""
    sheet = _lock_sheet(sheet.pk)
    roles = get_roles(user)
    if sheet.status != SheetStatus.SUBMITTED:
        raise DomainError(_("Only a submitted sheet can be confirmed."))
    now = timezone.now()
    if level == "village":
        if sheet.team.village_id not in roles.headed_village_ids:
            raise NotAllowed(_("Only the village head can confirm for the village."))
        sheet.village_confirmed_by, sheet.village_confirmed_at = user, now
        _event(sheet, SheetAction.CONFIRM_VILLAGE, user)
    elif level == "township":
        if sheet.team.village.township_id not in roles.headed_township_ids:
            raise NotAllowed(_("Only the township head can confirm for the township."))
        sheet.township_confirmed_by, sheet.township_confirmed_at = user, now
        _event(sheet, SheetAction.CONFIRM_TOWNSHIP, user)
    else:
        raise DomainError(_("Unknown confirmation."))
    _maybe_confirmed(sheet, user)
    sheet.save()
    return sheet


@transaction.atomic
def attendance_sheet_upload_scan(*, sheet: AttendanceSheet, user, scan) -> AttendanceSheet:
    """R34: the signed paper sheet, scanned, confirms for the village and the township."""
    sheet = _lock_sheet(sheet.pk)
    roles = get_roles(user)
    if not (
        is_team_leader(user, sheet.team) or is_team_supervisor(user, sheet.team) or roles.is_office
    ):
        raise NotAllowed(_("Only the leader, the supervision group or the office can upload."))
    if sheet.status != SheetStatus.SUBMITTED:
        raise DomainError(_("Only a submitted sheet can be confirmed."))
    now = timezone.now()
    sheet.signed_scan.save(scan.name, scan, save=False)
    sheet.village_confirmed_at = sheet.village_confirmed_at or now
    sheet.township_confirmed_at = sheet.township_confirmed_at or now
    _event(sheet, SheetAction.UPLOAD_SCAN, user, scan.name)
    _maybe_confirmed(sheet, user)
    sheet.save()
    return sheet


@transaction.atomic
def attendance_sheet_issue(*, sheet: AttendanceSheet, user) -> AttendanceSheet:
    """R34: the supervision group issues the confirmed sheet; allowances are paid from it."""
    sheet = _lock_sheet(sheet.pk)
    if not is_team_supervisor(user, sheet.team):
        raise NotAllowed(_("Only the team's supervision group can issue its sheet."))
    if sheet.status != SheetStatus.CONFIRMED:
        raise DomainError(_("Only a confirmed sheet can be issued."))
    sheet.status = SheetStatus.ISSUED
    sheet.issued_by, sheet.issued_at = user, timezone.now()
    sheet.save()
    _event(sheet, SheetAction.ISSUE, user)
    return sheet


def _may_lock_or_reopen(user, team: Team) -> bool:
    return is_team_supervisor(user, team) or get_roles(user).is_office


@transaction.atomic
def attendance_sheet_lock(*, sheet: AttendanceSheet, user) -> AttendanceSheet:
    sheet = _lock_sheet(sheet.pk)
    if not _may_lock_or_reopen(user, sheet.team):
        raise NotAllowed(_("Only the supervision group or the office can lock a sheet."))
    if sheet.status != SheetStatus.ISSUED:
        raise DomainError(_("Only an issued sheet can be locked."))
    sheet.status, sheet.locked_at = SheetStatus.LOCKED, timezone.now()
    sheet.save()
    _event(sheet, SheetAction.LOCK, user)
    return sheet


@transaction.atomic
def attendance_sheet_reopen(*, sheet: AttendanceSheet, user, reason: str) -> AttendanceSheet:
    """R23: a sheet past draft changes only by reopening, with a reason kept in history."""
    sheet = _lock_sheet(sheet.pk)
    if not _may_lock_or_reopen(user, sheet.team):
        raise NotAllowed(_("Only the supervision group or the office can reopen a sheet."))
    if sheet.is_editable:
        raise DomainError(_("This sheet is open already."))
    if not reason.strip():
        raise DomainError(_("Give the reason for reopening."))
    sheet.status = SheetStatus.REOPENED
    sheet.village_confirmed_by = sheet.village_confirmed_at = None
    sheet.township_confirmed_by = sheet.township_confirmed_at = None
    sheet.issued_by = sheet.issued_at = sheet.locked_at = None
    sheet.save()
    _event(sheet, SheetAction.REOPEN, user, reason)
    leader = team_leader_user(sheet.team)
    notify(
        users=[leader] if leader else [],
        key=f"sheet-reopened:{sheet.pk}:{SheetEvent.objects.filter(sheet=sheet).count()}",
        title=_("Attendance sheet reopened: %(sheet)s") % {"sheet": sheet},
        body=reason,
        url=sheet.get_absolute_url(),
    )
    return sheet


def remind_unsubmitted_sheets(*, today: date | None = None) -> int:
    """R23: last month's sheet not submitted by the due day: remind the leader, once."""
    today = today or timezone.localdate()
    if today.day < policy_int("sheet_submit_due_day", today):
        return 0
    month = previous_month(today)
    done = AttendanceSheet.objects.filter(month=month).exclude(status__in=EDITABLE_SHEET_STATUSES)
    teams = (
        Team.objects.stationed()
        .filter(term_start__lte=month_end(month))
        .exclude(pk__in=done.values("team_id"))
    )
    leaders = {
        membership.team_id: membership.cadre.user
        for membership in Membership.objects.current(today)
        .filter(team__in=teams, role=MembershipRole.LEADER, cadre__user__isnull=False)
        .select_related("cadre__user")
    }
    reminders: list[Reminder] = []
    for team_id, leader in leaders.items():
        reminders.append(
            Reminder(
                users=[leader],
                key=f"sheet-late:{team_id}:{month:%Y-%m}",
                title=_("Submit the attendance sheet of %(month)s") % {"month": f"{month:%Y-%m}"},
                url=reverse("attendance:team_month", args=[team_id, month.year, month.month]),
            )
        )
    return notify_many(reminders)
