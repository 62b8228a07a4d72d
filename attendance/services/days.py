"""The leader's month grid: attendance days and their changes (R20, R23)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, NotAllowed
from attendance.models import (
    EDITABLE_SHEET_STATUSES,
    AttendanceDay,
    AttendanceSheet,
    DayChange,
    DaySource,
    DayStatus,
    LeaveRequest,
    SheetStatus,
)
from core.periods import month_end, month_start
from core.roles import is_leader_of, is_office, is_supervisor_of
from teams.models import Membership, Team


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


def can_edit_grid(user, team: Team) -> bool:
    """R20/R23: the leader keeps the month grid; the supervision group and the office may
    correct it."""
    return is_leader_of(user, team) or is_supervisor_of(user, team) or is_office(user)


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


# Statuses that count as service days and are paid (R20, R34).
PRESENT_STATUSES = (DayStatus.IN_VILLAGE, DayStatus.OFFICIAL)


@transaction.atomic
def attendance_days_update(
    *, user, team: Team, month: date, cells: dict[tuple[int, date], str | None]
) -> int:
    """The leader corrects the month grid (R20); every change is kept (R23)."""
    if not can_edit_grid(user, team):
        raise NotAllowed(_("Only the team's leader can correct its attendance."))
    allowed = {
        membership.cadre_id: (first, last)
        for membership, first, last in cadres_in_month(team, month)
    }
    clean = {}
    today = timezone.localdate()
    for (cadre_id, day), status in cells.items():
        if cadre_id not in allowed:
            raise NotAllowed(_("This cadre is not in the team this month."))
        first, last = allowed[cadre_id]
        if not first <= day <= last:
            continue
        if status and status not in DayStatus.values:
            raise DomainError(_("Unknown attendance status."))
        if status in PRESENT_STATUSES and day > today:
            # R20, R23, R34: a day not yet lived is neither served nor paid.
            raise DomainError(
                _("%(day)s is in the future: it cannot be marked as a day in the village.")
                % {"day": day}
            )
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
    if not can_edit_grid(user, team):
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
