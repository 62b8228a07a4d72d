"""MONITOR reminders of attendance (R20 pace, R22 return report), once per subject and
period; called by the beat tasks in ``attendance.tasks``."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import AttendanceDay, LeaveRequest, LeaveStatus
from attendance.selectors import AttendancePolicy
from core.notifications import Reminder, notify_many
from core.periods import month_end, month_start
from teams import policies
from teams.models import Membership, MembershipRole
from teams.policies import policy_int
from teams.statuses import STATIONED_STATUSES


def _leaders(team_ids, on: date) -> dict[int, list]:
    leaders = defaultdict(list)
    for m in (
        Membership.objects.current(on)
        .filter(team_id__in=team_ids, role=MembershipRole.LEADER, cadre__user__isnull=False)
        .select_related("cadre__user")
    ):
        leaders[m.team_id].append(m.cadre.user)
    return leaders


def service_pace_reminders_send(*, on: date | None = None) -> int:
    """R20: a cadre falling behind the month's pace of service days.

    Up to yesterday the cadre should have ``required x elapsed / days in term`` service
    days. Blank days count as served (the leader may fill the grid at month end), so only
    recorded leave, rest and absence put a cadre behind; ``attendance_pace_slack_days``
    more than that, and the cadre and the leader are told once that month.
    """
    on = on or timezone.localdate()
    start, end = month_start(on), month_end(on)
    yesterday = on - timedelta(days=1)
    if yesterday < start:
        return 0
    policy = AttendancePolicy.load()
    slack = policy_int(policies.ATTENDANCE_PACE_SLACK_DAYS, on)
    memberships = list(
        Membership.objects.current(yesterday)
        .filter(team__status__in=STATIONED_STATUSES, cadre__user__isnull=False)
        .select_related("cadre__user", "team")
    )
    days = defaultdict(list)
    for cadre_id, team_id, day, status in AttendanceDay.objects.filter(
        cadre_id__in=[m.cadre_id for m in memberships], date__range=(start, yesterday)
    ).values_list("cadre_id", "team_id", "date", "status"):
        days[cadre_id, team_id].append((day, status))
    behind = []
    for m in memberships:
        first = max(start, m.start_date, m.team.term_start)
        last = min(end, m.end_date or end, m.team.term_end)
        if first > yesterday or first > last:
            continue
        required = policy.required(on, first, last)
        covered = (last - first).days + 1
        elapsed = (min(yesterday, last) - first).days + 1
        not_served = sum(
            1 for day, status in days[m.cadre_id, m.team_id] if not policy.counts(status, day)
        )
        possible_so_far = elapsed - not_served
        expected = required * Decimal(elapsed) / Decimal(covered)
        if possible_so_far + slack < expected:
            behind.append((m, possible_so_far, required))
    leaders = _leaders({m.team_id for m, _, _ in behind}, on)
    return notify_many(
        Reminder(
            users=[m.cadre.user, *leaders.get(m.team_id, [])],
            key=f"pace-behind:{m.cadre_id}:{start:%Y-%m}",
            title=_("%(name)s is behind on service days this month") % {"name": m.cadre.name},
            body=_("At most %(done)s service days so far; the month needs %(required)s.")
            % {"done": done, "required": required},
            url=reverse("attendance:me"),
        )
        for m, done, required in behind
    )


def return_report_reminders_send(*, on: date | None = None) -> int:
    """R22: an approved leave whose last day has passed (plus the policy grace) without a
    return report (销假): the cadre and the leader are told once per leave."""
    on = on or timezone.localdate()
    grace = policy_int(policies.RETURN_REPORT_GRACE_DAYS, on)
    leaves = list(
        LeaveRequest.objects.filter(
            status=LeaveStatus.APPROVED, end_date__lt=on - timedelta(days=grace)
        )
        .filter(Q(cadre__user__isnull=False))
        .select_related("cadre__user")
    )
    leaders = _leaders({leave.team_id for leave in leaves}, on)
    return notify_many(
        Reminder(
            users=[leave.cadre.user, *leaders.get(leave.team_id, [])],
            key=f"return-overdue:{leave.pk}",
            title=_("Return report overdue: %(name)s") % {"name": leave.cadre.name},
            body=_("The leave ended on %(day)s; report the return (销假).")
            % {"day": leave.end_date.isoformat()},
            url=leave.get_absolute_url(),
        )
        for leave in leaves
    )
