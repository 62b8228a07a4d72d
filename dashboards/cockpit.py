"""The cockpit (驾驶舱): the city, or a person's own scope, in one screen.

One node of the area tree at a time (the city, a banner, a township or a village); its
children (banners, townships, villages or teams) are the rows of the table and the
categories of the charts, so a chart and its table are the same numbers. Each figure
comes from a middle app's selector over the user's scope; the number of queries does not
grow with the number of teams or households.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance import selectors as attendance_selectors
from attendance.models import LeaveRequest, LeaveStatus
from core.periods import QUARTER, period_containing
from households import compliance as household_compliance
from households import selectors as household_selectors
from households.models import Household, Zone, ZoneChange
from reports.models import OPEN_REPORT_STATUSES, Report
from teams.models import Banner, Team, TeamStatus, Township, Village

CITY, BANNER, TOWNSHIP, VILLAGE, TEAM = "city", "banner", "township", "village", "team"
CHILD_LEVEL = {CITY: BANNER, BANNER: TOWNSHIP, TOWNSHIP: VILLAGE, VILLAGE: TEAM}
MONTHS = 12

# The table's number columns, in order; the total row sums each (percentages are
# recomputed from their parts, never summed).
COUNT_COLUMNS = (
    "teams",
    "cadres",
    "met",
    "below",
    "no_sheet",
    "households",
    "visited_yearly",
    "overdue",
    "red",
    "yellow",
    "zone_changes",
    "reports_on_time",
    "reports_late",
    "reports_open",
    "away_today",
    "unpaired",
)


def table_columns() -> list[str]:
    """The table's columns after the name, percentages next to their parts."""
    columns = list(COUNT_COLUMNS)
    columns.insert(columns.index("no_sheet") + 1, "compliance_pct")
    columns.insert(columns.index("visited_yearly") + 1, "coverage_pct")
    return columns


def column_labels() -> dict[str, str]:
    """Headers that say what each column counts."""
    return {
        "name": _("Name"),
        "teams": _("Teams stationed"),
        "cadres": _("Cadres counted last month"),
        "met": _("Cadres at the monthly minimum"),
        "below": _("Cadres below the monthly minimum"),
        "no_sheet": _("Cadres whose team has no sheet"),
        "compliance_pct": _("Cadres at the minimum, of those with a sheet (%)"),
        "households": _("Households"),
        "visited_yearly": _("Households visited enough this year"),
        "coverage_pct": _("Visit coverage this year (%)"),
        "overdue": _("Households with a visit overdue"),
        "red": _("Red-zone households"),
        "yellow": _("Yellow-zone households"),
        "zone_changes": _("Zone changes this month"),
        "reports_on_time": _("Reports on time this quarter"),
        "reports_late": _("Reports late this quarter"),
        "reports_open": _("Reports not yet due this quarter"),
        "away_today": _("Cadres away today"),
        "unpaired": _("Poor households without a paired cadre"),
    }


@dataclass
class Node:
    level: str
    pk: int | None
    name: str
    parents: list[tuple[str, int | None, str]] = field(default_factory=list)


@dataclass
class Row:
    key: int
    name: str
    level: str
    figures: dict = field(default_factory=lambda: dict.fromkeys(COUNT_COLUMNS, 0))
    trend: list[float | None] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None

    def pct(self, part: str, whole: int) -> float | None:
        return round(100.0 * self.figures[part] / whole, 1) if whole else None

    @property
    def compliance_pct(self) -> float | None:
        return self.pct("met", self.figures["met"] + self.figures["below"])

    @property
    def coverage_pct(self) -> float | None:
        return self.pct("visited_yearly", self.figures["households"])


@dataclass
class Cockpit:
    node: Node
    child_level: str
    today: date
    months: list[date]
    rows: list[Row]
    total: Row
    villages: list[dict]
    away: list[LeaveRequest]
    quarter_label: str

    def chart_data(self) -> dict:
        """What the charts draw: the same rows as the table, by child."""
        names = [row.name for row in self.rows]
        return {
            "level": self.child_level,
            "drillable": self.child_level != TEAM,
            "keys": [row.key for row in self.rows],
            "names": names,
            "months": [f"{month:%Y-%m}" for month in self.months],
            "trend": [{"name": row.name, "data": row.trend} for row in self.rows],
            "total_trend": self.total.trend,
            "coverage": [row.coverage_pct for row in self.rows],
            "zones": {
                "red": [row.figures["red"] for row in self.rows],
                "yellow": [row.figures["yellow"] for row in self.rows],
                "changes": [row.figures["zone_changes"] for row in self.rows],
            },
            "reports": {
                "on_time": [row.figures["reports_on_time"] for row in self.rows],
                "late": [row.figures["reports_late"] for row in self.rows],
                "open": [row.figures["reports_open"] for row in self.rows],
            },
            "away": [row.figures["away_today"] for row in self.rows],
            "unpaired": [row.figures["unpaired"] for row in self.rows],
            "villages": self.villages,
            "labels": {
                "compliance": _("Cadres at the monthly minimum (%)"),
                "coverage": _("Visit coverage this year (%)"),
                "red": _("Red zone"),
                "yellow": _("Yellow zone"),
                "changes": _("Zone changes this month"),
                "on_time": _("On time"),
                "late": _("Late"),
                "open": _("Not yet due"),
                "away": _("Cadres away today"),
                "unpaired": _("Poor households without a paired cadre"),
                "city": _("Whole scope"),
                "status": dict(TeamStatus.choices) | {"": _("No team")},
            },
        }


def _node(*, user, level: str, pk: int | None) -> Node:
    """The node asked for, if the user may see it (404 otherwise)."""
    if level == BANNER:
        banner = get_object_or_404(Banner.objects.visible_to(user), pk=pk)
        return Node(BANNER, banner.pk, banner.name, [(CITY, None, _("City"))])
    if level == TOWNSHIP:
        township = get_object_or_404(
            Township.objects.visible_to(user).select_related("banner"), pk=pk
        )
        banner = township.banner
        return Node(
            TOWNSHIP,
            township.pk,
            township.name,
            [(CITY, None, _("City")), (BANNER, banner.pk, banner.name)],
        )
    if level == VILLAGE:
        village = get_object_or_404(
            Village.objects.visible_to(user).select_related("township__banner"), pk=pk
        )
        township = village.township
        return Node(
            VILLAGE,
            village.pk,
            village.name,
            [
                (CITY, None, _("City")),
                (BANNER, township.banner_id, township.banner.name),
                (TOWNSHIP, township.pk, township.name),
            ],
        )
    return Node(CITY, None, _("City"))


def _village_filter(node: Node) -> Q:
    if node.level == BANNER:
        return Q(township__banner_id=node.pk)
    if node.level == TOWNSHIP:
        return Q(township_id=node.pk)
    if node.level == VILLAGE:
        return Q(pk=node.pk)
    return Q()


def _months(today: date) -> list[date]:
    """The twelve complete months before this one, oldest first."""
    month = today.replace(day=1)
    result = []
    for _i in range(MONTHS):
        month = (month - timedelta(days=1)).replace(day=1)
        result.append(month)
    return result[::-1]


def cockpit(*, user, level: str = CITY, pk: int | None = None, today: date | None = None):
    today = today or timezone.localdate()
    node = _node(user=user, level=level if level in CHILD_LEVEL else CITY, pk=pk)
    child_level = CHILD_LEVEL[node.level]

    villages = list(
        Village.objects.visible_to(user)
        .filter(_village_filter(node))
        .select_related("township__banner")
        .order_by("township__banner__code", "township__name", "name", "pk")
    )
    village_by_id = {village.pk: village for village in villages}
    teams = list(
        Team.objects.visible_to(user)
        .filter(village_id__in=list(village_by_id))
        .order_by("village_id", "-term_start", "pk")
    )
    # The team a village's household figures belong to at the team level: the newest.
    village_team: dict[int, Team] = {}
    for team in teams:
        village_team.setdefault(team.village_id, team)

    rows: dict[int, Row] = {}

    def child_of_village(village_id: int) -> Row | None:
        village = village_by_id.get(village_id)
        if village is None:
            return None
        if child_level == BANNER:
            key, name = village.township.banner_id, village.township.banner.name
        elif child_level == TOWNSHIP:
            key, name = village.township_id, village.township.name
        elif child_level == VILLAGE:
            key, name = village.pk, village.name
        else:
            team = village_team.get(village_id)
            if team is None:
                return None
            key, name = team.pk, team.name
        if key not in rows:
            rows[key] = Row(key=key, name=name, level=child_level, trend=[None] * MONTHS)
        return rows[key]

    def child_of_team(team: Team) -> Row | None:
        if child_level != TEAM:
            return child_of_village(team.village_id)
        if team.village_id not in village_by_id:
            return None
        if team.pk not in rows:
            rows[team.pk] = Row(key=team.pk, name=team.name, level=TEAM, trend=[None] * MONTHS)
        return rows[team.pk]

    for village in villages:
        child_of_village(village.pk)
    stationed = {TeamStatus.ACTIVE, TeamStatus.HANDING_OVER}
    for team in teams:
        row = child_of_team(team)
        if row is not None and team.status in stationed:
            row.figures["teams"] += 1

    # R20: attendance against the monthly minimum, twelve months; "no sheet" apart.
    months = _months(today)
    banner_id = node.pk if node.level == BANNER else None
    team_ids = {team.pk for team in teams}
    trend_parts: dict[int, list[list[int]]] = defaultdict(lambda: [[0, 0] for _m in months])
    total_parts = [[0, 0] for _m in months]
    by_month = attendance_selectors.compliance_by_month(
        user=user, months=months, banner_id=banner_id
    )
    for index, month in enumerate(months):
        for entry in by_month[month]:
            if entry.team.pk not in team_ids:
                continue
            row = child_of_team(entry.team)
            if row is None:
                continue
            last = index == len(months) - 1
            if not entry.sheet_status:
                if last:
                    row.figures["no_sheet"] += 1
                    row.figures["cadres"] += 1
                continue
            parts = trend_parts[row.key][index]
            parts[1] += 1
            total_parts[index][1] += 1
            if entry.met:
                parts[0] += 1
                total_parts[index][0] += 1
            if last:
                row.figures["cadres"] += 1
                row.figures["met" if entry.met else "below"] += 1
    for key, parts in trend_parts.items():
        rows[key].trend = [round(100.0 * a / b, 1) if b else None for a, b in parts]

    # R13-R15: visit coverage this year, from the households app's one GROUP BY.
    households = Household.objects.visible_to(user).filter(village_id__in=list(village_by_id))
    period = household_compliance.Period.for_day(today)
    for entry in household_compliance.coverage_by(
        households, on=today, fields=["village_id"], period=period
    ):
        row = child_of_village(entry["village_id"])
        if row is not None:
            row.figures["households"] += entry["total"]
            row.figures["visited_yearly"] += entry["yearly"]
            row.figures["overdue"] += entry["overdue"]

    # R27: warning zones, and the changes since the first of this month.
    for village_id, zone, count in (
        households.filter(zone__in=(Zone.RED, Zone.YELLOW))
        .order_by()
        .values_list("village_id", "zone")
        .annotate(n=Count("pk"))
    ):
        row = child_of_village(village_id)
        if row is not None:
            row.figures["red" if zone == Zone.RED else "yellow"] += count
    month_start = today.replace(day=1)
    for village_id, count in (
        ZoneChange.objects.filter(household__in=households, changed_at__date__gte=month_start)
        .order_by()
        .values_list("household__village_id")
        .annotate(n=Count("pk"))
    ):
        row = child_of_village(village_id)
        if row is not None:
            row.figures["zone_changes"] += count

    # R19: this quarter's reports (deadline in the quarter), on time against late.
    quarter = period_containing(QUARTER, today)
    team_by_id = {team.pk: team for team in teams}
    for team_id, status, deadline, submitted_at in (
        Report.objects.visible_to(user)
        .filter(team_id__in=team_ids, deadline__gte=quarter.start, deadline__lte=quarter.end)
        .values_list("team_id", "status", "deadline", "submitted_at")
    ):
        row = child_of_team(team_by_id[team_id])
        if row is None:
            continue
        if status in OPEN_REPORT_STATUSES:
            row.figures["reports_late" if deadline < today else "reports_open"] += 1
        elif submitted_at and timezone.localdate(submitted_at) > deadline:
            row.figures["reports_late"] += 1
        else:
            row.figures["reports_on_time"] += 1

    # R21/R22: who is not in the village today.
    away = list(
        LeaveRequest.objects.filter(
            team_id__in=team_ids,
            status__in=(LeaveStatus.APPROVED, LeaveStatus.RETURNED),
            start_date__lte=today,
        )
        .filter(
            Q(actual_end_date__gte=today) | Q(actual_end_date__isnull=True, end_date__gte=today)
        )
        .select_related("cadre", "team__village__township")
        .order_by("team__village__township__name", "team__name", "cadre__name")
    )
    for leave in away:
        row = child_of_team(team_by_id[leave.team_id])
        if row is not None:
            row.figures["away_today"] += 1

    # R33: poor households without a paired cadre.
    for village_id, count in (
        household_selectors.unpaired_poor_households(user=user)
        .filter(village_id__in=list(village_by_id))
        .order_by()
        .values_list("village_id")
        .annotate(n=Count("pk"))
    ):
        row = child_of_village(village_id)
        if row is not None:
            row.figures["unpaired"] += count

    ordered = sorted(rows.values(), key=lambda row: row.name)
    total = Row(key=0, name=_("Total"), level=node.level, trend=[])
    for name in COUNT_COLUMNS:
        total.figures[name] = sum(row.figures[name] for row in ordered)
    total.trend = [round(100.0 * a / b, 1) if b else None for a, b in total_parts]

    status_of = {}
    for team in teams:
        status_of.setdefault(team.village_id, team.status)
    points = [
        {
            "name": f"{village.township.name} {village.name}",
            "value": [float(village.longitude), float(village.latitude)],
            "status": status_of.get(village.pk, ""),
            "village": village.pk,
        }
        for village in villages
        if village.latitude is not None and village.longitude is not None
    ]
    return Cockpit(
        node=node,
        child_level=child_level,
        today=today,
        months=months,
        rows=ordered,
        total=total,
        villages=points,
        away=away,
        quarter_label=quarter.key,
    )
