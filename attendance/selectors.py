"""Reads of attendance, leave and sheets: scoped to the user, a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from types import SimpleNamespace

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import get_roles
from attendance.models import (
    DAY_MARKS,
    PAYABLE_SHEET_STATUSES,
    ApproverBody,
    AttendanceDay,
    AttendanceSheet,
    CheckIn,
    DayChange,
    DayStatus,
    LeaveRequest,
    LeaveStatus,
    SheetStatus,
)
from attendance.services import cadres_in_month
from core.params import year_in_range
from core.periods import month_days, month_end, month_start
from core.roles import is_leader_of, is_member_of, is_office
from teams import policies
from teams.models import Cadre, Membership, MembershipRole, Team
from teams.policies import policy_timeline, value_on
from teams.statuses import STATIONED_STATUSES, TeamStatus

# ---------------------------------------------------------------------------- policy

PAID_STATUS_PREFIX = "allowance_pays_"
ATTENDANCE_POLICY_KEYS = (
    policies.ATTENDANCE_MIN_SERVICE_DAYS,
    policies.ATTENDANCE_OFFICIAL_COUNTS,
    policies.ATTENDANCE_DAILY_ALLOWANCE,
    policies.ATTENDANCE_CHECKIN_REQUIRED,
)


def _attendance_timelines() -> dict[str, list]:
    """Every attendance policy timeline, including R34's ``allowance_pays_<status>`` rows
    (1 paid, 0 not), in one query."""
    from teams.models import Policy

    timelines: dict[str, list] = defaultdict(list)
    for key, start, value in (
        Policy.objects.filter(
            Q(key__in=ATTENDANCE_POLICY_KEYS) | Q(key__startswith=PAID_STATUS_PREFIX)
        )
        .order_by("effective_from")
        .values_list("key", "effective_from", "value")
    ):
        timelines[key].append((start, value))
    for key in ATTENDANCE_POLICY_KEYS:
        if not timelines.get(key):
            policy_timeline(key)  # raises PolicyMissing with its message
    return timelines


@dataclass
class AttendancePolicy:
    """The policy timelines a month needs, read once (one query per key)."""

    minimum: list
    official: list
    rate: list
    checkin_required: list
    paid: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> AttendancePolicy:
        timelines = _attendance_timelines()
        return cls(
            minimum=timelines[policies.ATTENDANCE_MIN_SERVICE_DAYS],
            official=timelines[policies.ATTENDANCE_OFFICIAL_COUNTS],
            rate=timelines[policies.ATTENDANCE_DAILY_ALLOWANCE],
            checkin_required=timelines[policies.ATTENDANCE_CHECKIN_REQUIRED],
            paid={
                key.removeprefix(PAID_STATUS_PREFIX): rows
                for key, rows in timelines.items()
                if key.startswith(PAID_STATUS_PREFIX)
            },
        )

    def pays(self, status: str, day: date) -> bool:
        """R34 (Art 18): which day statuses earn the allowance, a policy of its own (official
        business is not paid by default: travel is reimbursed separately, R45)."""
        timeline = self.paid.get(status)
        return bool(timeline) and bool(value_on(timeline, day))

    def counts(self, status: str, day: date) -> bool:
        """R20: which statuses are service days (and days actually stationed, R34)."""
        if status == DayStatus.IN_VILLAGE:
            return True
        return status == DayStatus.OFFICIAL and bool(value_on(self.official, day))

    def required(self, month: date, first: date, last: date) -> Decimal:
        """R20: the monthly minimum, pro-rated for the part of the month in the term."""
        minimum = Decimal(value_on(self.minimum, month_end(month))).quantize(Decimal("1"))
        length = month_end(month).day
        covered = (last - first).days + 1
        if covered >= length:
            return minimum
        return (minimum * covered / length).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    def allowance(self, days: list[date]) -> Decimal:
        """R34: each day stationed at the rate in force on that day."""
        return sum((Decimal(value_on(self.rate, day)) for day in days), Decimal(0))

    # The same rules as SQL conditions on AttendanceDay rows of [start, end], so that
    # city-wide pages count days in the database (one row a cadre, not one a day).
    def counts_q(self, start: date, end: date) -> Q:
        """R20: the rows ``counts()`` accepts."""
        return Q(status=DayStatus.IN_VILLAGE) | (
            Q(status=DayStatus.OFFICIAL) & _where(self.official, start, end, bool)
        )

    def unchecked_q(self, start: date, end: date) -> Q:
        """In the village on a day a check-in was required, and none was made."""
        checked = CheckIn.objects.filter(cadre_id=OuterRef("cadre_id"), date=OuterRef("date"))
        return (
            Q(status=DayStatus.IN_VILLAGE)
            & _where(self.checkin_required, start, end, bool)
            & ~Exists(checked)
        )

    def pays_q(self, start: date, end: date) -> Q:
        """R34: the rows ``pays()`` accepts (each status's own paid-status timeline)."""
        q = Q(pk__in=[])
        for status, timeline in self.paid.items():
            q |= Q(status=status) & _where(timeline, start, end, bool)
        return q

    def rate_segments(self, start: date, end: date) -> list[tuple[Q, Decimal]]:
        """R34: (days of [start, end] at one rate, that rate)."""
        return [
            (Q(date__gte=a, date__lte=b), Decimal(value))
            for a, b, value in _segments(self.rate, start, end)
        ]


def _segments(timeline, start: date, end: date) -> list[tuple[date, date, Decimal]]:
    """The parts of [start, end] over which ``timeline`` keeps one value."""
    cuts = sorted({day for day, _ in timeline if start < day <= end})
    bounds = [start, *cuts]
    return [
        (
            a,
            (bounds[i + 1] - timedelta(days=1)) if i + 1 < len(bounds) else end,
            value_on(timeline, a),
        )
        for i, a in enumerate(bounds)
    ]


def _where(timeline, start: date, end: date, test) -> Q:
    """Days of [start, end] on which ``test(value)`` holds, as a date condition."""
    q = Q(pk__in=[])
    for a, b, value in _segments(timeline, start, end):
        if test(value):
            q |= Q(date__gte=a, date__lte=b)
    return q


# ---------------------------------------------------------------------------- month grid


@dataclass
class Cell:
    day: date
    status: str = ""
    checkin_flag: str | None = None  # None: no check-in; "" in range; else the flag
    in_term: bool = True

    @property
    def mark(self) -> str:
        return DAY_MARKS.get(self.status, "")


@dataclass
class CadreMonth:
    cadre: Cadre
    role: str
    role_label: str
    first: date
    last: date
    cells: list[Cell] = field(default_factory=list)
    service_days: int = 0
    required: Decimal = Decimal(0)
    allowance: Decimal = Decimal(0)
    counts: dict = field(default_factory=dict)
    unchecked_days: int = 0

    @property
    def met(self) -> bool:
        return self.service_days >= self.required

    @property
    def blank_days(self) -> int:
        return sum(1 for cell in self.cells if cell.in_term and not cell.status)

    @property
    def leading_blanks(self) -> range:
        """Empty calendar cells before the 1st, weeks starting on Monday."""
        return range(self.cells[0].day.weekday()) if self.cells else range(0)


def _build_rows(teams_rows, month: date, policy: AttendancePolicy, cadre_ids=None):
    """Rows for (membership, first, last) tuples, reading days and check-ins in 2 queries."""
    start, end = month_start(month), month_end(month)
    ids = [membership.cadre_id for membership, _, _ in teams_rows]
    if cadre_ids is not None:
        ids = [pk for pk in ids if pk in cadre_ids]
    days = defaultdict(dict)
    for cadre_id, day, status in (
        AttendanceDay.objects.filter(cadre_id__in=ids, date__gte=start, date__lte=end)
        .order_by()
        .values_list("cadre_id", "date", "status")
    ):
        days[cadre_id][day] = status
    checkins = defaultdict(dict)
    for cadre_id, day, flag in (
        CheckIn.objects.filter(cadre_id__in=ids, date__gte=start, date__lte=end)
        .order_by()
        .values_list("cadre_id", "date", "flag")
    ):
        checkins[cadre_id][day] = flag
    required_checkin = {
        day: bool(value_on(policy.checkin_required, day)) for day in month_days(month)
    }
    rows = []
    for membership, first, last in teams_rows:
        if membership.cadre_id not in ids:
            continue
        row = CadreMonth(
            cadre=membership.cadre,
            role=membership.role,
            role_label=membership.get_role_display(),
            first=first,
            last=last,
            required=policy.required(month, first, last),
        )
        stationed = []
        counts = defaultdict(int)
        for day in month_days(month):
            status = days[membership.cadre_id].get(day, "")
            cell = Cell(
                day=day,
                status=status,
                checkin_flag=checkins[membership.cadre_id].get(day),
                in_term=first <= day <= last,
            )
            row.cells.append(cell)
            if status:
                counts[status] += 1
            if status and policy.counts(status, day):
                stationed.append(day)
                if (
                    required_checkin[day]
                    and status == DayStatus.IN_VILLAGE
                    and cell.checkin_flag is None
                ):
                    row.unchecked_days += 1
        row.counts = dict(counts)
        row.service_days = len(stationed)
        row.allowance = policy.allowance(
            [cell.day for cell in row.cells if cell.status and policy.pays(cell.status, cell.day)]
        )
        rows.append(row)
    return rows


@dataclass
class TeamMonth:
    team: Team
    month: date
    sheet: AttendanceSheet | None
    days: list[date]
    rows: list[CadreMonth]
    policy: AttendancePolicy

    @property
    def total_service_days(self) -> int:
        return sum(row.service_days for row in self.rows)

    @property
    def total_allowance(self) -> Decimal:
        return sum((row.allowance for row in self.rows), Decimal(0))

    @property
    def blank_days(self) -> int:
        return sum(row.blank_days for row in self.rows)


def visible_team(*, user, team_id: int) -> Team:
    teams = Team.objects.visible_to(user).select_related(
        "village__township__banner", "unit", "supervision_group"
    )
    return get_object_or_404(teams, pk=team_id)


def team_month(*, user, team_id: int, month: date) -> TeamMonth:
    """The month grid (cadres x days) of a visible team; a member sees only their own row."""
    team = visible_team(user=user, team_id=team_id)
    month = month_start(month)
    roles = get_roles(user)
    policy = AttendancePolicy.load()
    memberships = cadres_in_month(team, month)
    cadre_ids = None
    if is_member_of(user, team) and not (is_leader_of(user, team) or is_office(user)):
        cadre_ids = {roles.cadre_id}
    sheet = AttendanceSheet.objects.filter(team=team, month=month).first()
    if sheet is not None:
        sheet.team = team
    return TeamMonth(
        team=team,
        month=month,
        sheet=sheet,
        days=month_days(month),
        rows=_build_rows(memberships, month, policy, cadre_ids),
        policy=policy,
    )


def my_month(*, user, month: date) -> CadreMonth | None:
    """The cadre's own month, in the team they belong to that month."""
    roles = get_roles(user)
    if not roles.cadre_id:
        return None
    month = month_start(month)
    membership = (
        Membership.objects.filter(cadre_id=roles.cadre_id, start_date__lte=month_end(month))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=month))
        .select_related("team", "cadre__unit")
        .order_by("-start_date")
        .first()
    )
    if membership is None:
        return None
    rows = [
        (m, first, last)
        for m, first, last in cadres_in_month(membership.team, month)
        if m.cadre_id == roles.cadre_id
    ]
    built = _build_rows(rows, month, AttendancePolicy.load())
    if built:
        built[0].team = membership.team
    return built[0] if built else None


def team_service_days_summary(team: Team, start: date, end: date) -> dict:
    """Service days per cadre of a team between two dates (other apps: ``core.figures``).

    Returns ``{"cadres": [{"cadre_id", "name", "service_days"}], "total": int}``.
    Service days follow R20's policy (in village, and official business when it counts).
    """
    policy = AttendancePolicy.load()
    counted = defaultdict(int)
    for cadre_id, day, status in AttendanceDay.objects.filter(
        team=team, date__gte=start, date__lte=end
    ).values_list("cadre_id", "date", "status"):
        if policy.counts(status, day):
            counted[cadre_id] += 1
    memberships = (
        Membership.objects.filter(team=team, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("cadre")
        .order_by("role", "cadre__name")
    )
    cadres, seen = [], set()
    for membership in memberships:
        if membership.cadre_id in seen:
            continue
        seen.add(membership.cadre_id)
        cadres.append(
            {
                "cadre_id": membership.cadre_id,
                "name": membership.cadre.name,
                "service_days": counted.get(membership.cadre_id, 0),
            }
        )
    return {"cadres": cadres, "total": sum(row["service_days"] for row in cadres)}


# ---------------------------------------------------------------------------- leave


def leave_list(*, user, status: str = "") -> QuerySet[LeaveRequest]:
    rows = LeaveRequest.objects.visible_to(user).select_related("cadre", "team")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-start_date", "-pk")


def my_leave(*, user) -> QuerySet[LeaveRequest]:
    roles = get_roles(user)
    return (
        LeaveRequest.objects.filter(cadre_id=roles.cadre_id)
        .select_related("team")
        .order_by("-start_date", "-pk")
    )


def leave_detail(*, user, pk: int) -> LeaveRequest:
    rows = LeaveRequest.objects.visible_to(user).select_related(
        "cadre__user", "team__supervision_group", "extends"
    )
    return get_object_or_404(rows, pk=pk)


def leave_inbox(*, user) -> QuerySet[LeaveRequest]:
    """Pending leave the user's bodies may act on now (R21), oldest first."""
    roles = get_roles(user)
    body_q = Q(pending_with=ApproverBody.LEADER, team_id__in=roles.led_team_ids) | Q(
        pending_with=ApproverBody.SUPERVISION_GROUP,
        team__supervision_group_id__in=roles.supervision_group_ids,
    )
    if roles.is_office:
        body_q |= Q(pending_with=ApproverBody.OFFICE)
    rows = LeaveRequest.objects.filter(body_q, status=LeaveStatus.PENDING)
    if roles.cadre_id:
        rows = rows.exclude(cadre_id=roles.cadre_id)
    return rows.select_related("cadre", "team__village__township").order_by(
        "step_started_at", "pk"
    )


# ---------------------------------------------------------------------------- sheets


def sheet_history(*, sheet: AttendanceSheet, user):
    changes = (
        DayChange.objects.visible_to(user)
        .filter(team=sheet.team, date__gte=sheet.month, date__lte=month_end(sheet.month))
        .select_related("cadre", "changed_by")
        .order_by("-changed_at", "-pk")[:200]
    )
    return sheet.events.select_related("actor").order_by("at", "pk"), changes


def sheets_to_act(*, user) -> dict[str, QuerySet[AttendanceSheet]]:
    """The sheets waiting for this user: to confirm (heads), to issue (supervision group)."""
    roles = get_roles(user)
    base = AttendanceSheet.objects.visible_to(user).select_related(
        "team__village__township", "team__supervision_group"
    )
    return {
        "confirm_village": base.filter(
            status=SheetStatus.SUBMITTED,
            village_confirmed_at__isnull=True,
            team__village_id__in=roles.headed_village_ids,
        ),
        "confirm_township": base.filter(
            status=SheetStatus.SUBMITTED,
            township_confirmed_at__isnull=True,
            team__village__township_id__in=roles.headed_township_ids,
        ),
        "issue": base.filter(
            status=SheetStatus.CONFIRMED,
            team__supervision_group_id__in=roles.supervision_group_ids,
        ),
    }


def sheet_list(*, user, month: date | None = None, status: str = "") -> QuerySet:
    rows = AttendanceSheet.objects.visible_to(user).select_related(
        "team__village__township__banner", "team__unit", "payment__paid_by"
    )
    if month:
        rows = rows.filter(month=month_start(month))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-month", "team__name", "pk")


# ---------------------------------------------------------------------------- city-wide


@dataclass
class ComplianceRow:
    """One cadre's month, from plain values (3,000 rows are not 22,000 model objects)."""

    team_id: int
    team_name: str
    banner_name: str
    cadre_id: int
    cadre_name: str
    unit_name: str
    role_label: str
    service_days: int
    required: Decimal
    unchecked_days: int
    sheet_status: str
    village_id: int = 0

    @property
    def met(self) -> bool:
        return self.service_days >= self.required

    @property
    def has_sheet(self) -> bool:
        return bool(self.sheet_status)

    @property
    def below(self) -> bool:
        """Below the minimum on a sheet; a team without a sheet is not yet failing (R20)."""
        return self.has_sheet and not self.met

    @property
    def team(self) -> SimpleNamespace:
        """The team as ``row.team.pk`` / ``row.team.name``, without loading it."""
        return SimpleNamespace(pk=self.team_id, name=self.team_name, village_id=self.village_id)

    @property
    def cadre(self) -> SimpleNamespace:
        """The cadre as ``row.cadre.pk`` / ``row.cadre.name``, without loading it."""
        return SimpleNamespace(pk=self.cadre_id, name=self.cadre_name)


# What each compliance row needs of a membership, read as plain values (no model rows).
MEMBERSHIP_ROW_FIELDS = (
    "team_id",
    "team__name",
    "team__village_id",
    "team__village__township__banner__name",
    "team__term_start",
    "team__term_end",
    "cadre_id",
    "cadre__name",
    "cadre__unit__name",
    "role",
    "start_date",
    "end_date",
)


def _compliance_rows(
    memberships, month: date, *, required_for, roles, service_days, unchecked_days, sheet_status
) -> list[ComplianceRow]:
    """R20: one row per cadre and team serving in ``month`` (a cadre who changed teams has
    a row in each), from ``MEMBERSHIP_ROW_FIELDS`` tuples; the figures come from callables."""
    start, end = month, month_end(month)
    rows, seen = [], set()
    for (
        team_id,
        team_name,
        village_id,
        banner_name,
        term_start,
        term_end,
        cadre_id,
        cadre_name,
        unit_name,
        role,
        start_date,
        end_date,
    ) in memberships:
        first = max(start, start_date, term_start)
        last = min(end, end_date or end, term_end)
        if first > last or (team_id, cadre_id) in seen:
            continue
        seen.add((team_id, cadre_id))
        rows.append(
            ComplianceRow(
                team_id=team_id,
                team_name=team_name,
                banner_name=banner_name,
                cadre_id=cadre_id,
                cadre_name=cadre_name,
                unit_name=unit_name,
                role_label=roles.get(role, role),
                service_days=service_days(cadre_id),
                required=required_for(month, first, last),
                unchecked_days=unchecked_days(cadre_id),
                sheet_status=sheet_status(team_id),
                village_id=village_id,
            )
        )
    return rows


def compliance_list(
    *, user, month: date, banner_id: int | None = None, unit_id: int | None = None
) -> list[ComplianceRow]:
    """R20 city-wide: each stationed cadre's service days against the pro-rated minimum.

    Three queries whatever the number of teams: days counted per cadre, memberships, sheets.
    """
    month = month_start(month)
    start, end = month, month_end(month)
    policy = AttendancePolicy.load()
    teams = Team.objects.visible_to(user).filter(
        status__in=(*STATIONED_STATUSES, TeamStatus.ENDED),
        term_start__lte=end,
        term_end__gte=start,
    )
    if banner_id:
        teams = teams.filter(village__township__banner_id=banner_id)
    memberships = (
        Membership.objects.filter(team__in=teams, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("team__village__township__banner__code", "team__name", "role", "cadre__name")
    )
    if unit_id:
        memberships = memberships.filter(cadre__unit_id=unit_id)
    # R20 counted days and days without a check-in, counted by the database per cadre
    # (bulk reads without the model's ORDER BY).
    counted, unchecked = {}, {}
    for cadre_id, n_counted, n_unchecked in (
        AttendanceDay.objects.filter(
            cadre_id__in=memberships.values("cadre_id"), date__gte=start, date__lte=end
        )
        .order_by()
        .values("cadre_id")
        .annotate(
            counted=Count("pk", filter=policy.counts_q(start, end)),
            unchecked=Count("pk", filter=policy.unchecked_q(start, end)),
        )
        .values_list("cadre_id", "counted", "unchecked")
    ):
        counted[cadre_id], unchecked[cadre_id] = n_counted, n_unchecked
    memberships = memberships.values_list(*MEMBERSHIP_ROW_FIELDS)
    sheets = dict(
        AttendanceSheet.objects.filter(team__in=teams, month=month).values_list(
            "team_id", "status"
        )
    )
    labels = dict(SheetStatus.choices)
    required_for = cache(policy.required)  # most cadres cover the whole month: one value
    roles = {value: str(label) for value, label in MembershipRole.choices}
    sheet_labels = {value: str(label) for value, label in labels.items()}
    return _compliance_rows(
        memberships,
        month,
        required_for=required_for,
        roles=roles,
        service_days=lambda cadre_id: counted.get(cadre_id, 0),
        unchecked_days=lambda cadre_id: unchecked.get(cadre_id, 0),
        sheet_status=lambda team_id: sheet_labels.get(sheets.get(team_id), ""),
    )


@dataclass
class UnitAllowance:
    unit_name: str
    rows: list = field(default_factory=list)

    @property
    def days(self) -> int:
        return sum(row["days"] for row in self.rows)

    @property
    def amount(self) -> Decimal:
        return sum((row["amount"] for row in self.rows), Decimal(0))


def allowance_summary(*, user, month: date, unit_id: int | None = None) -> list[UnitAllowance]:
    """R34: per dispatching unit, each cadre's days stationed and allowance, from issued
    (or locked) sheets only; a constant number of queries."""
    month = month_start(month)
    start, end = month, month_end(month)
    policy = AttendancePolicy.load()
    # Rows are scoped by cadre: a unit pays its own cadres wherever they are stationed.
    sheets = AttendanceSheet.objects.filter(month=month, status__in=PAYABLE_SHEET_STATUSES)
    team_ids = set(sheets.values_list("team_id", flat=True))
    days = AttendanceDay.objects.filter(team_id__in=team_ids, date__gte=start, date__lte=end)
    cadres = (
        Cadre.objects.visible_to(user)
        .filter(pk__in=days.values("cadre_id"))
        .select_related("unit")
    )
    if unit_id:
        cadres = cadres.filter(unit_id=unit_id)
    cadres = {cadre.pk: cadre for cadre in cadres}
    # R34: the days the allowance pays for (the paid-status policy) per cadre and rate,
    # counted by the database.
    segments = policy.rate_segments(start, end)
    counted = policy.pays_q(start, end)
    stationed, amounts, teams = {}, {}, {}
    for row in (
        days.filter(cadre_id__in=list(cadres))
        .order_by()
        .values("cadre_id")
        .annotate(
            team=Max("team_id"),
            **{f"n{i}": Count("pk", filter=counted & q) for i, (q, _rate) in enumerate(segments)},
        )
    ):
        numbers = [row[f"n{i}"] for i in range(len(segments))]
        stationed[row["cadre_id"]] = sum(numbers)
        amounts[row["cadre_id"]] = sum(
            (n * rate for n, (_, rate) in zip(numbers, segments)), Decimal(0)
        )
        teams[row["cadre_id"]] = row["team"]
    team_names = dict(Team.objects.filter(pk__in=set(teams.values())).values_list("pk", "name"))
    units: dict[int, UnitAllowance] = {}
    for cadre in sorted(cadres.values(), key=lambda c: (c.unit.name, c.name, c.pk)):
        unit = units.setdefault(cadre.unit_id, UnitAllowance(unit_name=cadre.unit.name))
        unit.rows.append(
            {
                "cadre": cadre,
                "team_name": team_names.get(teams.get(cadre.pk), ""),
                "days": stationed.get(cadre.pk, 0),
                "amount": amounts.get(cadre.pk, Decimal(0)),
            }
        )
    return list(units.values())


def parse_month(value: str | None, default: date | None = None) -> date:
    """``YYYY-MM`` to the month's first day; the current month when missing or invalid."""
    if value:
        try:
            year, month = value.split("-")
            parsed = date(int(year), int(month), 1)
        except ValueError:
            pass
        else:
            if year_in_range(parsed.year):  # 9999-12 would overflow next month's date
                return parsed
    return month_start(default or timezone.localdate())


def latest_payable_month(*, user) -> date | None:
    """The newest month with an issued sheet of a cadre the user may see (R34): where a
    unit contact starts when paying allowances."""
    visible_cadres = Cadre.objects.visible_to(user).values("pk")
    return (
        AttendanceSheet.objects.filter(
            status__in=PAYABLE_SHEET_STATUSES,
            team__memberships__cadre__in=visible_cadres,
        )
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


def last_month() -> date:
    return month_start(month_start(timezone.localdate()) - timedelta(days=1))


# ---------------------------------------------------------------------------- leave planning


@dataclass
class CalendarRow:
    cadre: Cadre
    role_label: str
    cells: list[LeaveRequest | None | bool]  # leave on that day; False outside membership

    @property
    def days_away(self) -> int:
        return sum(1 for cell in self.cells if cell not in (None, False))


@dataclass
class TeamCalendar:
    team: Team
    month: date
    days: list[date]
    rows: list[CalendarRow]
    present: list[int]  # cadres present each day

    @property
    def weeks(self) -> list[date]:
        return [day for day in self.days if day.weekday() == 0]


LEAVE_AWAY_STATUSES = (LeaveStatus.APPROVED, LeaveStatus.RETURNED)


def _leave_last_day(leave: LeaveRequest) -> date:
    return leave.actual_end_date or leave.end_date


def leave_calendar(*, user, month: date, team_id: int | None = None) -> list[TeamCalendar]:
    """R21/R22: who of each visible stationed team is away on approved leave, day by day.

    A leader sees their team, a supervisor their group's; three queries whatever the
    number of teams: teams, memberships, leave.
    """
    month = month_start(month)
    start, end = month, month_end(month)
    roles = get_roles(user)
    teams = Team.objects.visible_to(user).stationed().select_related("village__township")
    if team_id:
        teams = teams.filter(pk=team_id)
    elif roles.team_ids:
        teams = teams.filter(pk__in=roles.team_ids)
    teams = list(teams.order_by("name", "pk")[:50])
    memberships = (
        Membership.objects.filter(team__in=teams, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("cadre")
        .order_by("role", "cadre__name", "pk")
    )
    leaves = defaultdict(list)
    for leave in LeaveRequest.objects.filter(
        team__in=teams, status__in=LEAVE_AWAY_STATUSES, start_date__lte=end
    ).filter(Q(actual_end_date__gte=start) | Q(actual_end_date__isnull=True, end_date__gte=start)):
        leaves[(leave.team_id, leave.cadre_id)].append(leave)
    days = month_days(month)
    by_team = defaultdict(list)
    seen = set()
    for membership in memberships:
        key = (membership.team_id, membership.cadre_id)
        if key in seen:
            continue
        seen.add(key)
        cells = []
        for day in days:
            if day < membership.start_date or (membership.end_date and day > membership.end_date):
                cells.append(False)
                continue
            cells.append(
                next(
                    (lv for lv in leaves[key] if lv.start_date <= day <= _leave_last_day(lv)),
                    None,
                )
            )
        by_team[membership.team_id].append(
            CalendarRow(
                cadre=membership.cadre, role_label=membership.get_role_display(), cells=cells
            )
        )
    calendars = []
    for team in teams:
        rows = by_team[team.pk]
        present = [sum(1 for row in rows if row.cells[i] is None) for i in range(len(days))]
        calendars.append(
            TeamCalendar(team=team, month=month, days=days, rows=rows, present=present)
        )
    return calendars


def presence_if_approved(leave: LeaveRequest) -> tuple[int, date | None]:
    """The fewest cadres left in the village on a day of ``leave`` if it were approved,
    and that day: the approver's warning when the team would be thin (R21).

    Three queries: the team's memberships, the other approved leave, the leave's dates.
    """
    first, last = leave.start_date, leave.end_date
    memberships = list(
        Membership.objects.filter(team_id=leave.team_id, start_date__lte=last).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=first)
        )
    )
    others = list(
        LeaveRequest.objects.filter(
            team_id=leave.team_id, status__in=LEAVE_AWAY_STATUSES, start_date__lte=last
        )
        .filter(
            Q(actual_end_date__gte=first) | Q(actual_end_date__isnull=True, end_date__gte=first)
        )
        .exclude(pk=leave.pk)
    )
    fewest, fewest_day = None, None
    day = first
    while day <= last:
        here = {
            m.cadre_id
            for m in memberships
            if m.start_date <= day and (m.end_date is None or m.end_date >= day)
        }
        here.discard(leave.cadre_id)
        for other in others:
            if other.start_date <= day <= _leave_last_day(other):
                here.discard(other.cadre_id)
        if fewest is None or len(here) < fewest:
            fewest, fewest_day = len(here), day
        day += timedelta(days=1)
    return (fewest or 0), fewest_day


def one_day_leader_requests(*, user) -> QuerySet[LeaveRequest]:
    """The leader's inbox rows they may approve in one go: one-day requests (R21)."""
    roles = get_roles(user)
    return leave_inbox(user=user).filter(
        pending_with=ApproverBody.LEADER, team_id__in=roles.led_team_ids, days__lte=1
    )


def compliance_by_month(
    *, user, months: list[date], banner_id: int | None = None
) -> dict[date, list[ComplianceRow]]:
    """R20 for several months at once (the cockpit's twelve-month trend): the same rows
    as ``compliance_list`` month by month, without the check-in column, in five queries
    whatever the number of months or cadres: days are counted by the database per cadre,
    month and status (official days per day, since whether they count is a policy row
    with an effective date)."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    months = sorted({month_start(month) for month in months})
    if not months:
        return {}
    start, end = months[0], month_end(months[-1])
    policy = AttendancePolicy.load()
    teams = Team.objects.visible_to(user).filter(
        status__in=(*STATIONED_STATUSES, TeamStatus.ENDED),
        term_start__lte=end,
        term_end__gte=start,
    )
    if banner_id:
        teams = teams.filter(village__township__banner_id=banner_id)
    memberships = list(
        Membership.objects.filter(team__in=teams, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("team__village__township__banner__code", "team__name", "role", "cadre__name")
        .values_list(*MEMBERSHIP_ROW_FIELDS)
    )
    cadre_ids = {m[6] for m in memberships}
    days = AttendanceDay.objects.filter(cadre_id__in=cadre_ids, date__gte=start, date__lte=end)
    counted: dict[tuple[int, date], int] = defaultdict(int)
    for cadre_id, month, n in (
        days.filter(status=DayStatus.IN_VILLAGE)
        .annotate(month=TruncMonth("date"))
        .values_list("cadre_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counted[cadre_id, month_start(month)] += n
    for cadre_id, day in days.filter(status=DayStatus.OFFICIAL).values_list("cadre_id", "date"):
        if policy.counts(DayStatus.OFFICIAL, day):
            counted[cadre_id, month_start(day)] += 1
    sheets = {
        (team_id, month): status
        for team_id, month, status in AttendanceSheet.objects.filter(
            team__in=teams, month__in=months
        ).values_list("team_id", "month", "status")
    }
    labels = {value: str(label) for value, label in SheetStatus.choices}
    roles = {value: str(label) for value, label in MembershipRole.choices}
    required_for = cache(policy.required)
    result: dict[date, list[ComplianceRow]] = {}
    for month in months:
        rows = _compliance_rows(
            memberships,
            month,
            required_for=required_for,
            roles=roles,
            service_days=lambda cadre_id, month=month: counted.get((cadre_id, month), 0),
            unchecked_days=lambda cadre_id: 0,
            sheet_status=lambda team_id, month=month: labels.get(sheets.get((team_id, month)), ""),
        )
        result[month] = rows
    return result


def city_month_rows(*, user, month: date):
    """Every stationed cadre's month for the city-wide sheet (all teams, one workbook):
    the team's place, the cadre, a mark a day, service days, the minimum and the
    allowance (R20, R34). Three queries; the days are read without the model's order."""
    month = month_start(month)
    start, end = month, month_end(month)
    days = month_days(month)
    policy = AttendancePolicy.load()
    counts_on = {day: bool(value_on(policy.official, day)) for day in days}
    rate_on = {day: Decimal(value_on(policy.rate, day)) for day in days}
    pays = cache(policy.pays)
    teams = Team.objects.visible_to(user).filter(
        status__in=(*STATIONED_STATUSES, TeamStatus.ENDED),
        term_start__lte=end,
        term_end__gte=start,
    )
    memberships = list(
        Membership.objects.filter(team__in=teams, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by(
            "team__village__township__banner__code",
            "team__village__township__name",
            "team__name",
            "role",
            "cadre__name",
        )
        .values_list(
            "team_id",
            "team__village__township__banner__name",
            "team__village__township__name",
            "team__village__name",
            "team__name",
            "team__term_start",
            "team__term_end",
            "cadre_id",
            "cadre__name",
            "cadre__unit__name",
            "role",
            "start_date",
            "end_date",
        )
    )
    statuses = defaultdict(dict)
    for cadre_id, day, status in (
        AttendanceDay.objects.filter(
            cadre_id__in=[m[7] for m in memberships], date__gte=start, date__lte=end
        )
        .order_by()
        .values_list("cadre_id", "date", "status")
    ):
        statuses[cadre_id][day] = status
    roles = {value: str(label) for value, label in MembershipRole.choices}
    required_for = cache(policy.required)  # most cadres cover the whole month: one value
    seen = set()
    for (
        team_id,
        banner,
        township,
        village,
        team_name,
        term_start,
        term_end,
        cadre_id,
        cadre_name,
        unit_name,
        role,
        start_date,
        end_date,
    ) in memberships:
        first = max(start, start_date, term_start)
        last = min(end, end_date or end, term_end)
        if first > last or (team_id, cadre_id) in seen:
            continue
        seen.add((team_id, cadre_id))
        marks, served, amount = [], 0, Decimal(0)
        own = statuses.get(cadre_id, {})
        for day in days:
            status = own.get(day, "")
            marks.append(DAY_MARKS.get(status, "") if first <= day <= last else "/")
            if status == DayStatus.IN_VILLAGE or (status == DayStatus.OFFICIAL and counts_on[day]):
                served += 1
            if status and pays(status, day):  # R34: only the paid statuses earn it
                amount += rate_on[day]
        required = required_for(month, first, last)
        yield [
            banner,
            township,
            village,
            team_name,
            cadre_name,
            roles.get(role, role),
            unit_name,
            *marks,
            served,
            int(required),
            str(_("Yes") if served >= required else _("No")),
            amount,
        ]
