"""Each role's workbench (工作台): what waits for this person today, as counts with links.

Every figure comes from a middle app's selector or scoped queryset, so the count on the
workbench and the length of the list it links to are the same query. The number of
queries does not grow with rows: each item is one COUNT (or one small read), and each
section is built once per role the user holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Roles, get_roles
from attendance import selectors as attendance_selectors
from attendance.models import AttendanceSheet, CheckIn, LeaveRequest, LeaveStatus, SheetStatus
from attendance.services import overdue_cutoff
from households import selectors as household_selectors
from households.models import DiaryEntry, Household, Zone
from reports import selectors as report_selectors
from reports.models import OPEN_REPORT_STATUSES, CaseStatus, LedgerKind, LedgerRecord, Report
from teams import selectors as team_selectors
from teams.models import Team


@dataclass
class Item:
    """One line of the workbench: a count and the list it links to."""

    key: str
    label: str
    count: int
    url: str
    alert: bool = False  # shown in red when the count is not zero
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # e.g. who is away today
    names_title: str = ""


@dataclass
class Workbench:
    today: date
    roles: Roles
    checkin: CheckIn | None = None
    can_checkin: bool = False
    sections: list[Section] = field(default_factory=list)
    cockpit: bool = False

    def item(self, key: str) -> Item | None:
        """The item named ``key`` in any section (tests and templates read counts by key)."""
        for section in self.sections:
            for item in section.items:
                if item.key == key:
                    return item
        return None


def _week(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def away_on(*, team_ids, on: date):
    """Approved leave covering ``on`` in these teams (R21/R22): who is not in the village."""
    return (
        LeaveRequest.objects.filter(
            team_id__in=team_ids,
            status__in=(LeaveStatus.APPROVED, LeaveStatus.RETURNED),
            start_date__lte=on,
        )
        .filter(Q(actual_end_date__gte=on) | Q(actual_end_date__isnull=True, end_date__gte=on))
        .select_related("cadre", "team")
        .order_by("team__name", "cadre__name")
    )


def _cadre_section(user, roles: Roles, today: date, bench: Workbench) -> Section:
    section = Section(key="cadre", title=_("My day"))
    bench.checkin = CheckIn.objects.filter(cadre_id=roles.cadre_id, date=today).first()
    bench.can_checkin = bool(roles.team_ids)
    monday, sunday = _week(today)
    due = (
        household_selectors.to_visit(user=user, on=today)
        .filter(due_sort__lte=sunday)
        .aggregate(due=Count("pk"), overdue=Count("pk", filter=Q(due_sort__lt=today)))
    )
    section.items.append(
        Item(
            "visits_due",
            _("Visits due this week"),
            due["due"],
            reverse("households:to_visit"),
            alert=bool(due["overdue"]),
            note=_("%(n)d overdue") % {"n": due["overdue"]} if due["overdue"] else "",
        )
    )
    written = set(
        DiaryEntry.objects.filter(author=user, date__gte=monday, date__lte=today).values_list(
            "date", flat=True
        )
    )
    missing = sum(
        1
        for offset in range((today - monday).days + 1)
        if monday + timedelta(days=offset) not in written
    )
    section.items.append(
        Item(
            "diary_missing",
            _("Days this week without a diary entry"),
            missing,
            reverse("households:diary"),
            alert=missing > 1,
        )
    )
    leave = attendance_selectors.my_leave(user=user).aggregate(
        pending=Count("pk", filter=Q(status=LeaveStatus.PENDING)),
        upcoming=Count(
            "pk",
            filter=Q(status=LeaveStatus.APPROVED, end_date__gte=today),
        ),
        to_return=Count(
            "pk",
            filter=Q(status=LeaveStatus.APPROVED, end_date__lt=today, returned_at__isnull=True),
        ),
    )
    url = reverse("attendance:leave_list")
    section.items.append(
        Item("leave_pending", _("My leave waiting for approval"), leave["pending"], url)
    )
    section.items.append(
        Item("leave_approved", _("My approved leave ahead"), leave["upcoming"], url)
    )
    section.items.append(
        Item(
            "leave_to_return",
            _("My leave to report back from"),
            leave["to_return"],
            url,
            alert=bool(leave["to_return"]),
        )
    )
    return section


def _leader_section(user, roles: Roles, today: date) -> Section:
    section = Section(key="leader", title=_("My team"))
    team_ids = sorted(roles.led_team_ids)
    inbox = attendance_selectors.leave_inbox(user=user).filter(team_id__in=team_ids)
    section.items.append(
        Item(
            "approvals",
            _("Leave waiting for my approval"),
            inbox.count(),
            reverse("attendance:inbox"),
            alert=True,
        )
    )
    month = today.replace(day=1)
    team_month = attendance_selectors.team_month(user=user, team_id=team_ids[0], month=month)
    sheet = team_month.sheet
    section.items.append(
        Item(
            "blank_days",
            _("Blank days in this month's grid (so far)"),
            sum(
                1
                for row in team_month.rows
                for cell in row.cells
                if cell.in_term and not cell.status and cell.day <= today
            ),
            reverse("attendance:my_team_month"),
            note=_("Sheet: %(state)s") % {"state": sheet.get_status_display()}
            if sheet
            else _("Sheet: not started"),
        )
    )
    reports = Report.objects.visible_to(user).filter(
        team_id__in=team_ids, status__in=OPEN_REPORT_STATUSES
    )
    due = reports.aggregate(
        n=Count("pk"),
        late=Count("pk", filter=Q(deadline__lt=today)),
        next=Min("deadline", filter=Q(deadline__gte=today)),
    )
    note = ""
    if due["next"]:
        note = _("next due in %(days)d days") % {"days": (due["next"] - today).days}
    section.items.append(
        Item(
            "reports_due",
            _("Reports to write"),
            due["n"],
            reverse("reports:report_list"),
            alert=bool(due["late"]),
            note=note,
        )
    )
    errands = report_selectors.errand_list(user=user, open_only=True).filter(team_id__in=team_ids)
    section.items.append(
        Item(
            "errands",
            _("Errands not yet done"),
            errands.count(),
            reverse("reports:errand_list") + "?open=1",
        )
    )
    # R41: the same rows the handover checklist counts as open disputes.
    disputes = (
        LedgerRecord.objects.visible_to(user)
        .filter(team_id__in=team_ids, kind=LedgerKind.DISPUTE)
        .exclude(case_status=CaseStatus.RESOLVED)
    )
    section.items.append(
        Item(
            "disputes",
            _("Disputes not yet resolved"),
            disputes.count(),
            reverse("reports:ledger_list") + "?kind=dispute",
        )
    )
    away = list(away_on(team_ids=team_ids, on=today))
    section.names_title = _("Away today")
    section.names = [row.cadre.name for row in away]
    section.items.append(
        Item("away", _("Away today"), len(away), reverse("attendance:leave_calendar"))
    )
    return section


def _supervisor_section(user, roles: Roles, today: date) -> Section:
    section = Section(key="supervisor", title=_("My supervision group"))
    inbox = attendance_selectors.leave_inbox(user=user).filter(
        team__supervision_group_id__in=roles.supervision_group_ids
    )
    counts = inbox.aggregate(
        n=Count("pk"), overdue=Count("pk", filter=Q(step_started_at__lt=overdue_cutoff()))
    )
    url = reverse("attendance:inbox")
    section.items.append(Item("approvals", _("Leave waiting for approval"), counts["n"], url))
    section.items.append(
        Item("approvals_overdue", _("Leave approvals overdue"), counts["overdue"], url, alert=True)
    )
    to_issue = attendance_selectors.sheets_to_act(user=user)["issue"].count()
    section.items.append(
        Item(
            "sheets_to_issue",
            _("Attendance sheets to issue"),
            to_issue,
            reverse("attendance:sheet_list") + "?status=" + SheetStatus.CONFIRMED,
        )
    )
    section.items.append(_alerts_item(user, today))
    section.items.append(_late_reports_item(user, today))
    return section


def _alerts_item(user, today: date) -> Item:
    """Teams below strength or with a leader missing (R1/R2): the monitor page's alerts."""
    below = team_selectors.teams_below_strength(user=user, on=today).values("pk")
    leaderless = team_selectors.teams_missing_leader_reason(user=user, on=today).values("pk")
    count = Team.objects.filter(Q(pk__in=below) | Q(pk__in=leaderless)).count()
    return Item(
        "teams_alerts", _("Teams with alerts"), count, reverse("teams:monitor"), alert=True
    )


def _late_reports_item(user, today: date) -> Item:
    late = report_selectors.report_list(user=user, late_only=True, on=today).count()
    return Item(
        "reports_late",
        _("Reports past their deadline"),
        late,
        reverse("reports:report_list") + "?late=1",
        alert=True,
    )


def _unit_section(user, roles: Roles, today: date) -> Section:
    section = Section(key="unit", title=_("My unit's cadres"))
    insurance = team_selectors.insurance_ending_soon(user=user, on=today).count()
    section.items.append(
        Item(
            "insurance",
            _("Cadres whose insurance ends soon"),
            insurance,
            reverse("teams:monitor"),
            alert=True,
        )
    )
    last = attendance_selectors.last_month()
    rows = attendance_selectors.compliance_list(user=user, month=last)
    below = sum(1 for row in rows if row.sheet_status and not row.met)
    section.items.append(
        Item(
            "cadres_below_minimum",
            _("Cadres below the monthly minimum last month"),
            below,
            reverse("attendance:compliance") + f"?month={last:%Y-%m}",
            alert=True,
        )
    )
    issued = (
        AttendanceSheet.objects.visible_to(user)
        .filter(month=last, status__in=(SheetStatus.ISSUED, SheetStatus.LOCKED))
        .count()
    )
    section.items.append(
        Item(
            "sheets_issued",
            _("Sheets issued for last month (allowances to pay)"),
            issued,
            reverse("attendance:allowance") + f"?month={last:%Y-%m}",
        )
    )
    reports = report_selectors.report_list(user=user, on=today).filter(
        period_end__gte=today - timedelta(days=92)
    )
    section.items.append(
        Item(
            "reports",
            _("Reports of the last quarter"),
            reports.count(),
            reverse("reports:report_list"),
        )
    )
    section.items.append(_late_reports_item(user, today))
    return section


def _area_section(user, roles: Roles, today: date) -> Section:
    section = Section(key="area", title=_("My area"))
    acts = attendance_selectors.sheets_to_act(user=user)
    to_confirm = (acts["confirm_village"] | acts["confirm_township"]).distinct().count()
    section.items.append(
        Item(
            "sheets_to_confirm",
            _("Attendance sheets to confirm"),
            to_confirm,
            reverse("attendance:sheet_list") + "?status=" + SheetStatus.SUBMITTED,
            alert=True,
        )
    )
    teams = Team.objects.visible_to(user).stationed().count()
    section.items.append(Item("teams", _("Teams stationed"), teams, reverse("teams:team_list")))
    households = Household.objects.visible_to(user).aggregate(
        n=Count("pk"), red=Count("pk", filter=Q(zone=Zone.RED))
    )
    section.items.append(
        Item("households", _("Households"), households["n"], reverse("households:household_list"))
    )
    section.items.append(
        Item(
            "red_zone",
            _("Households in the red zone"),
            households["red"],
            reverse("households:household_list") + "?zone=red",
            alert=True,
        )
    )
    unpaired = household_selectors.unpaired_poor_households(user=user).count()
    section.items.append(
        Item(
            "unpaired",
            _("Poor households without a paired cadre"),
            unpaired,
            reverse("households:unpaired"),
            alert=True,
        )
    )
    section.items.append(_late_reports_item(user, today))
    return section


def workbench(*, user, today: date | None = None) -> Workbench:
    """The workbench of ``user``: one section per role held, a fixed number of queries."""
    today = today or timezone.localdate()
    roles = get_roles(user)
    bench = Workbench(today=today, roles=roles, cockpit=roles.is_office)
    if roles.is_cadre:
        bench.sections.append(_cadre_section(user, roles, today, bench))
    if roles.is_leader:
        bench.sections.append(_leader_section(user, roles, today))
    if roles.is_supervisor:
        bench.sections.append(_supervisor_section(user, roles, today))
    if roles.is_unit_contact:
        bench.sections.append(_unit_section(user, roles, today))
    if roles.is_area_staff:
        bench.sections.append(_area_section(user, roles, today))
    if roles.is_supervisor or roles.is_unit_contact or roles.is_area_staff:
        bench.cockpit = True
    return bench
