"""Monthly attendance sheets from draft to locked, and their reminders (R23, R34)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, NotAllowed, full_clean_or_refuse
from accounts.roles import get_roles
from attendance.models import (
    EDITABLE_SHEET_STATUSES,
    LEAVE_DAY_STATUS,
    PAYABLE_SHEET_STATUSES,
    AllowancePayment,
    AttendanceDay,
    AttendanceSheet,
    CheckIn,
    DaySource,
    DayStatus,
    LeaveRequest,
    LeaveStatus,
    SheetAction,
    SheetEvent,
    SheetStatus,
)
from attendance.services.common import team_leader_user
from attendance.services.days import cadres_in_month, set_days
from core.notifications import Reminder, notify, notify_many
from core.periods import month_end, month_start, previous_month
from core.roles import is_leader_of, is_office, is_supervisor_of
from core.uploads import JPEG, PDF, PNG, require_kind, require_size
from teams import policies
from teams.models import Membership, MembershipRole, Team
from teams.policies import policy_int


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


def attendance_sheet_start(*, user, team: Team, month: date) -> AttendanceSheet | None:
    """On the leader's first change to a month, its draft sheet, pre-filled (R23).
    Reading the month writes nothing; this runs from a POST."""
    if not can_start_sheet(user, team, month):
        return None
    return attendance_sheet_get_or_create(team=team, month=month, user=user)


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
    if not is_leader_of(user, sheet.team):
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
        if sheet.village_confirmed_at:
            return sheet  # idempotent: a repeat keeps the first confirmation (issue 11, 6)
        sheet.village_confirmed_by, sheet.village_confirmed_at = user, now
        _event(sheet, SheetAction.CONFIRM_VILLAGE, user)
    elif level == "township":
        if sheet.team.village.township_id not in roles.headed_township_ids:
            raise NotAllowed(_("Only the township head can confirm for the township."))
        if sheet.township_confirmed_at:
            return sheet
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
    if not _may_upload(user, sheet.team):
        raise NotAllowed(_("Only the leader, the supervision group or the office can upload."))
    if sheet.status != SheetStatus.SUBMITTED:
        raise DomainError(_("Only a submitted sheet can be confirmed."))
    # The content decides, not the name (issue 11, finding 4): a PDF or a photo of the paper.
    require_size(scan, max_mb=settings.SCAN_MAX_MB)
    require_kind(scan, frozenset({PDF, JPEG, PNG}))
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
    if not is_supervisor_of(user, sheet.team):
        raise NotAllowed(_("Only the team's supervision group can issue its sheet."))
    if sheet.status != SheetStatus.CONFIRMED:
        raise DomainError(_("Only a confirmed sheet can be issued."))
    sheet.status = SheetStatus.ISSUED
    sheet.issued_by, sheet.issued_at = user, timezone.now()
    sheet.save()
    _event(sheet, SheetAction.ISSUE, user)
    return sheet


def can_lock_or_reopen(user, team: Team) -> bool:
    """The supervision group or the office locks an issued sheet, or reopens one (R23)."""
    return is_supervisor_of(user, team) or is_office(user)


# What a user may do with a team's sheet now: the pages ask these, the services enforce them.


def can_start_sheet(user, team: Team, month: date) -> bool:
    """The leader starts the month's sheet once the month has begun inside the term."""
    month = month_start(month)
    return (
        is_leader_of(user, team)
        and month <= timezone.localdate()
        and month <= team.term_end
        and month_end(month) >= team.term_start
    )


def can_submit(user, sheet: AttendanceSheet | None) -> bool:
    return sheet is not None and sheet.is_editable and is_leader_of(user, sheet.team)


def can_confirm_village(user, sheet: AttendanceSheet | None) -> bool:
    """R34: the village head confirms a submitted sheet."""
    return (
        sheet is not None
        and sheet.status == SheetStatus.SUBMITTED
        and not sheet.village_confirmed_at
        and sheet.team.village_id in get_roles(user).headed_village_ids
    )


def can_confirm_township(user, sheet: AttendanceSheet | None) -> bool:
    """R34: the township head confirms a submitted sheet."""
    return (
        sheet is not None
        and sheet.status == SheetStatus.SUBMITTED
        and not sheet.township_confirmed_at
        and sheet.team.village.township_id in get_roles(user).headed_township_ids
    )


def can_upload_scan(user, sheet: AttendanceSheet | None) -> bool:
    """R34: the signed paper sheet stands for both confirmations."""
    return (
        sheet is not None
        and sheet.status == SheetStatus.SUBMITTED
        and _may_upload(user, sheet.team)
    )


def _may_upload(user, team: Team) -> bool:
    return is_leader_of(user, team) or is_supervisor_of(user, team) or is_office(user)


def can_issue(user, sheet: AttendanceSheet | None) -> bool:
    """R34: the supervision group issues a confirmed sheet."""
    return (
        sheet is not None
        and sheet.status == SheetStatus.CONFIRMED
        and is_supervisor_of(user, sheet.team)
    )


def can_lock(user, sheet: AttendanceSheet | None) -> bool:
    return (
        sheet is not None
        and sheet.status == SheetStatus.ISSUED
        and can_lock_or_reopen(user, sheet.team)
    )


def can_reopen(user, sheet: AttendanceSheet | None) -> bool:
    return sheet is not None and not sheet.is_editable and can_lock_or_reopen(user, sheet.team)


@transaction.atomic
def attendance_sheet_lock(*, sheet: AttendanceSheet, user) -> AttendanceSheet:
    sheet = _lock_sheet(sheet.pk)
    if not can_lock_or_reopen(user, sheet.team):
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
    if not can_lock_or_reopen(user, sheet.team):
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
    if today.day < policy_int(policies.SHEET_SUBMIT_DUE_DAY, today):
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


@transaction.atomic
def allowance_payment_record(
    *, sheet: AttendanceSheet, user, paid_on: date, amount: Decimal
) -> AllowancePayment:
    """R34: the dispatching unit records that it paid an issued sheet (paid on, amount, by
    whom). A sheet is paid once; a second payment is refused."""
    sheet = _lock_sheet(sheet.pk)
    roles = get_roles(user)
    if not (roles.is_office or sheet.team.unit_id in roles.unit_ids):
        raise NotAllowed(_("Only the dispatching unit records the allowance payment."))
    if sheet.status not in PAYABLE_SHEET_STATUSES:
        raise DomainError(_("Allowances are paid from an issued sheet only."))
    if AllowancePayment.objects.filter(sheet=sheet).exists():
        raise DomainError(_("This sheet's allowances are already recorded as paid."))
    if amount < 0:
        raise DomainError(_("The amount cannot be negative."))
    payment = AllowancePayment(sheet=sheet, paid_on=paid_on, amount=amount, paid_by=user)
    full_clean_or_refuse(payment, validate_constraints=False)
    payment.save()
    _event(sheet, SheetAction.PAY, user, f"{amount} / {paid_on.isoformat()}")
    return payment
