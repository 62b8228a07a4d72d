"""Attendance figures of teams and cadres for a period, for ``core.figures`` (R20, R21).

Days come from the month grid (``AttendanceDay``), the record R20 counts; what counts as a
service day and the pro-rated monthly minimum are ``AttendancePolicy``'s, the same as the
month sheet and the city-wide compliance list. Five queries whatever the number of teams.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from attendance.models import AttendanceDay, CheckIn, DayStatus
from attendance.selectors import AttendancePolicy
from core.periods import month_end, month_start
from teams.models import Membership

_ONE_DAY = timedelta(days=1)
LEAVE_STATUSES = (DayStatus.LEAVE_PERSONAL, DayStatus.LEAVE_SICK)


def _months(start: date, end: date) -> list[date]:
    months, month = [], month_start(start)
    while month <= end:
        months.append(month)
        month = month_end(month) + _ONE_DAY
    return months


def _counted_q(policy: AttendancePolicy, start: date, end: date) -> Q:
    """R20: in the village, or on official business on days the policy counts it."""
    counted = Q(status=DayStatus.IN_VILLAGE)
    changes = sorted({day for day, _value in policy.official if start < day <= end} | {start})
    bounds = [*changes, None]
    for first, after in zip(bounds, bounds[1:], strict=False):
        if policy.counts(DayStatus.OFFICIAL, first):
            last = end if after is None else after - _ONE_DAY
            counted |= Q(status=DayStatus.OFFICIAL, date__range=(first, last))
    return counted


def _pairs(*, team_ids=None, cadre_ids=None, start: date, end: date) -> dict:
    """Per (team, cadre): required days and met months (R20), days by kind, check-ins."""
    policy = AttendancePolicy.load()
    memberships = Membership.objects.filter(start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start),
        team__term_start__lte=end,
        team__term_end__gte=start,
    )
    days = AttendanceDay.objects.filter(date__range=(start, end))
    checkins = CheckIn.objects.filter(date__range=(start, end))
    if team_ids is not None:
        memberships = memberships.filter(team_id__in=team_ids)
        days = days.filter(team_id__in=team_ids)
        checkins = checkins.filter(team_id__in=team_ids)
    if cadre_ids is not None:
        memberships = memberships.filter(cadre_id__in=cadre_ids)
        days = days.filter(cadre_id__in=cadre_ids)
        checkins = checkins.filter(cadre_id__in=cadre_ids)

    per_month = defaultdict(lambda: defaultdict(int))  # (team, cadre) -> month -> service
    pairs: dict = defaultdict(
        lambda: {
            "service_days": 0,
            "leave_days": 0,
            "unapproved_absence_days": 0,
            "checkin_days": 0,
            "windows": {},  # month -> (first, last) covered by the membership
        }
    )
    for row in (
        days.annotate(month=TruncMonth("date"))
        .values("team_id", "cadre_id", "month")
        .annotate(
            service=Count("pk", filter=_counted_q(policy, start, end)),
            leave=Count("pk", filter=Q(status__in=LEAVE_STATUSES)),
            absent=Count("pk", filter=Q(status=DayStatus.ABSENT)),
        )
        .order_by()
    ):
        key = (row["team_id"], row["cadre_id"])
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        per_month[key][month] += row["service"]
        pairs[key]["service_days"] += row["service"]
        pairs[key]["leave_days"] += row["leave"]
        pairs[key]["unapproved_absence_days"] += row["absent"]
    for row in (
        checkins.values("team_id", "cadre_id").annotate(n=Count("date", distinct=True)).order_by()
    ):
        pairs[row["team_id"], row["cadre_id"]]["checkin_days"] = row["n"]
    for team_id, cadre_id, m_start, m_end, t_start, t_end in memberships.values_list(
        "team_id",
        "cadre_id",
        "start_date",
        "end_date",
        "team__term_start",
        "team__term_end",
    ):
        windows = pairs[team_id, cadre_id]["windows"]
        for month in _months(start, end):
            first = max(month, start, m_start, t_start)
            last = min(month_end(month), end, m_end or end, t_end)
            if first > last:
                continue
            # Several memberships of one cadre in one team (a role change) join up.
            if month in windows:
                first, last = min(first, windows[month][0]), max(last, windows[month][1])
            windows[month] = (first, last)
    for key, pair in pairs.items():
        pair["required"] = {
            month: policy.required(month, first, last)
            for month, (first, last) in pair["windows"].items()
        }
        pair["met"] = {
            month: per_month[key][month] >= required
            for month, required in pair["required"].items()
        }
    return pairs


def _empty() -> dict:
    return {
        "service_days": 0,
        "required_days": Decimal(0),
        "months_met_r20": 0,
        "months": 0,
        "leave_days": 0,
        "unapproved_absence_days": 0,
        "checkin_days": 0,
    }


def _sum(pair: dict, into: dict) -> None:
    for name in ("service_days", "leave_days", "unapproved_absence_days", "checkin_days"):
        into[name] += pair[name]
    into["required_days"] += sum(pair["required"].values(), Decimal(0))


def team_figures(*, ids, start: date, end: date) -> dict[int, dict]:
    """R20 for a team: its cadres' days summed; a month is met when every cadre met it."""
    pairs = _pairs(team_ids=ids, start=start, end=end)
    out = {pk: _empty() | {"service_days_by_cadre": {}} for pk in ids}
    month_met: dict = defaultdict(dict)  # team -> month -> all met so far
    for (team_id, cadre_id), pair in pairs.items():
        _sum(pair, out[team_id])
        out[team_id]["service_days_by_cadre"][cadre_id] = pair["service_days"]
        for month, met in pair["met"].items():
            month_met[team_id][month] = month_met[team_id].get(month, True) and met
    for team_id, months in month_met.items():
        out[team_id]["months"] = len(months)
        out[team_id]["months_met_r20"] = sum(months.values())
    return out


def cadre_figures(*, ids, start: date, end: date) -> dict[int, dict]:
    """R20 for a cadre, over every team they served in between ``start`` and ``end``."""
    pairs = _pairs(cadre_ids=ids, start=start, end=end)
    out = {pk: _empty() for pk in ids}
    month_met: dict = defaultdict(dict)
    for (_team_id, cadre_id), pair in pairs.items():
        _sum(pair, out[cadre_id])
        for month, met in pair["met"].items():
            month_met[cadre_id][month] = month_met[cadre_id].get(month, True) and met
    for cadre_id, months in month_met.items():
        out[cadre_id]["months"] = len(months)
        out[cadre_id]["months_met_r20"] = sum(months.values())
    return out
