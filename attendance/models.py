"""Attendance (R20, R23), leave and its approval chains (R21, R22), monthly sheets and
allowances (R34)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import HistoryEntry
from attendance import querysets
from core.validators import LATITUDE, LONGITUDE, validate_calendar_date
from teams.querysets import TeamScopedQuerySet


class ApproverBody(models.TextChoices):
    """Who may act at a step of a leave chain (R21); any person of the body may act."""

    LEADER = "leader", _("Team leader")
    SUPERVISION_GROUP = "supervision_group", _("Supervision group")
    OFFICE = "office", _("Office")


class RequesterRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    MEMBER = "member", _("Member")


def validate_steps(value: str) -> None:
    steps = [step.strip() for step in value.split(",") if step.strip()]
    if not steps:
        raise ValidationError(_("Name at least one approver."))
    unknown = [step for step in steps if step not in ApproverBody.values]
    if unknown:
        raise ValidationError(
            _("Unknown approver: %(names)s. Use %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(ApproverBody.values)}
        )


class LeaveChainRule(models.Model):
    """R21 as data: requester role x total leave days -> ordered approver bodies.

    The rule with the smallest ``max_days`` that covers the total applies; a rule without
    ``max_days`` covers everything longer. Rules of the latest ``effective_from`` on the
    leave's first day are used, so the office can change the chain from a date on.
    """

    requester_role = models.CharField(
        _("requester role"), max_length=10, choices=RequesterRole.choices
    )
    max_days = models.DecimalField(
        _("up to days"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Leave up to this many days (adjacent leave counted together); empty: any."),
    )
    steps = models.CharField(
        _("approvers in order"),
        max_length=120,
        validators=[validate_steps],
        help_text=_("Comma-separated: leader, supervision_group, office."),
    )
    effective_from = models.DateField(_("effective from"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("leave approval rule")
        verbose_name_plural = _("leave approval rules")
        ordering = ["requester_role", "-effective_from", models.F("max_days").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["requester_role", "max_days", "effective_from"],
                name="leave_chain_rule_unique_tier",
            ),
            models.CheckConstraint(
                condition=Q(max_days__isnull=True) | Q(max_days__gt=0),
                name="leave_chain_rule_positive_days",
            ),
        ]

    def __str__(self) -> str:
        limit = self.max_days if self.max_days is not None else "∞"
        return f"{self.get_requester_role_display()} ≤ {limit}: {self.steps}"

    @property
    def step_list(self) -> list[str]:
        return [step.strip() for step in self.steps.split(",") if step.strip()]


class LeaveKind(models.TextChoices):
    PERSONAL = "personal", _("Personal leave")
    SICK = "sick", _("Sick leave")


class LeaveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", pgettext_lazy("leave", "Approved")
    REJECTED = "rejected", pgettext_lazy("leave", "Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RETURNED = "returned", _("Returned (销假)")


class LeaveRequest(models.Model):
    """请假: one request, its chain (fixed when submitted) and where it stands."""

    cadre = models.ForeignKey(
        "teams.Cadre",
        on_delete=models.PROTECT,
        related_name="leave_requests",
        verbose_name=_("cadre"),
    )
    team = models.ForeignKey(
        "teams.Team",
        on_delete=models.PROTECT,
        related_name="leave_requests",
        verbose_name=_("team"),
    )
    requester_role = models.CharField(
        _("requester role"), max_length=10, choices=RequesterRole.choices
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LeaveKind.choices)
    start_date = models.DateField(_("first day"), validators=[validate_calendar_date])
    start_half = models.BooleanField(
        _("starts at noon"), default=False, help_text=_("The first day is a half day.")
    )
    end_date = models.DateField(_("last day"), validators=[validate_calendar_date])
    end_half = models.BooleanField(
        _("ends at noon"), default=False, help_text=_("The last day is a half day.")
    )
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("reason"))
    village_informed = models.BooleanField(
        _("village informed"), default=False, help_text=_("The village was told.")
    )
    extends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extensions",
        verbose_name=_("extends leave"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.DRAFT
    )
    tier_days = models.DecimalField(
        _("days counted for the tier"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("This leave plus adjacent or overlapping leave of the same cadre."),
    )
    chain = models.CharField(_("approval chain"), max_length=120, blank=True)
    current_step = models.PositiveSmallIntegerField(_("current step"), default=0)
    pending_with = models.CharField(
        _("waiting for"), max_length=20, choices=ApproverBody.choices, blank=True
    )
    step_started_at = models.DateTimeField(_("waiting since"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    actual_end_date = models.DateField(
        _("actual last day"), null=True, blank=True, validators=[validate_calendar_date]
    )
    returned_at = models.DateTimeField(_("return reported at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = querysets.LeaveRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="leave_end_after_start"
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="leave_positive_days"),
        ]
        indexes = [
            models.Index(fields=["cadre", "start_date"], name="leave_cadre_start_idx"),
            # Approval inboxes read only the pending few of years of leave (issue 12).
            models.Index(
                fields=["pending_with", "step_started_at"],
                name="leave_pending_idx",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.start_date}–{self.end_date} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("attendance:leave_detail", args=[self.pk])

    def clean(self) -> None:
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValidationError({"end_date": _("Leave cannot end before it starts.")})
            if self.count_days() <= 0:
                raise ValidationError({"end_half": _("The leave must last at least half a day.")})

    def count_days(self) -> Decimal:
        """Calendar days, less half a day for each half day at either end (R21)."""
        days = Decimal((self.end_date - self.start_date).days + 1)
        if self.start_half:
            days -= Decimal("0.5")
        if self.end_half:
            days -= Decimal("0.5")
        return days

    @property
    def chain_steps(self) -> list[str]:
        return [step for step in self.chain.split(",") if step]

    @property
    def chain_labels(self) -> list[str]:
        return [str(ApproverBody(step).label) for step in self.chain_steps]

    def full_days(self) -> list[date]:
        """Days wholly on leave: half days stay with the leader's grid."""
        end = self.actual_end_date or self.end_date
        days = []
        day = self.start_date
        while day <= end:
            half = (day == self.start_date and self.start_half) or (
                day == self.end_date and self.end_half and end == self.end_date
            )
            if not half:
                days.append(day)
            day += timedelta(days=1)
        return days


class LeaveAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", pgettext_lazy("leave", "Approved")
    REJECT = "reject", pgettext_lazy("leave", "Rejected")
    WITHDRAW = "withdraw", _("Withdrawn")
    RETURN = "return", _("Return reported")


class LeaveStep(HistoryEntry):
    """One entry of a leave's history: who did what at which step, when, and why."""

    leave = models.ForeignKey(
        LeaveRequest, on_delete=models.PROTECT, related_name="steps", verbose_name=_("leave")
    )
    step = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    body = models.CharField(
        _("approving body"), max_length=20, choices=ApproverBody.choices, blank=True
    )
    action = models.CharField(_("action"), max_length=10, choices=LeaveAction.choices)

    class Meta:
        verbose_name = _("leave step")
        verbose_name_plural = _("leave steps")
        ordering = ["leave", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.leave_id} {self.get_action_display()}"


class CheckInFlag(models.TextChoices):
    NONE = "", _("In range")
    OUTSIDE = "outside", _("Outside the village radius")
    NO_LOCATION = "no_location", _("No location given")


class CheckIn(models.Model):
    """Optional evidence of presence (DESIGN.md, Workflows): at most one per cadre a day."""

    cadre = models.ForeignKey(
        "teams.Cadre", on_delete=models.PROTECT, related_name="checkins", verbose_name=_("cadre")
    )
    team = models.ForeignKey(
        "teams.Team", on_delete=models.PROTECT, related_name="checkins", verbose_name=_("team")
    )
    date = models.DateField(_("date"))
    at = models.DateTimeField(_("checked in at"))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE
    )
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("distance from village (m)"), null=True, blank=True)
    flag = models.CharField(
        _("flag"), max_length=12, choices=CheckInFlag.choices, blank=True, default=""
    )
    # Issue 14: records made on the phone app carry the phone's key (stored once, so a
    # retried sync stores one record) and, when sent late, the time they were made.
    client_key = models.UUIDField(
        _("phone record key"), unique=True, null=True, blank=True, editable=False
    )
    captured_at = models.DateTimeField(
        _("made on the phone at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the record was made offline on the phone and sent later."),
    )

    objects = querysets.PersonalScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-date", "cadre"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "date"], name="checkin_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.date}"


class DayStatus(models.TextChoices):
    IN_VILLAGE = "in_village", _("In village")
    OFFICIAL = "official", _("Official business")
    LEAVE_PERSONAL = "leave_personal", _("Personal leave")
    LEAVE_SICK = "leave_sick", _("Sick leave")
    REST = "rest", _("Rest")
    ABSENT = "absent", _("Absent")


# One-character marks for the grid and the printed sheet.
DAY_MARKS = {
    DayStatus.IN_VILLAGE: "√",
    DayStatus.OFFICIAL: "公",
    DayStatus.LEAVE_PERSONAL: "事",
    DayStatus.LEAVE_SICK: "病",
    DayStatus.REST: "休",
    DayStatus.ABSENT: "×",
}

LEAVE_DAY_STATUS = {
    LeaveKind.PERSONAL: DayStatus.LEAVE_PERSONAL,
    LeaveKind.SICK: DayStatus.LEAVE_SICK,
}


class DaySource(models.TextChoices):
    CHECKIN = "checkin", _("Check-in")
    LEAVE = "leave", _("Approved leave")
    LEADER = "leader", _("Leader")
    REOPEN = "reopen", _("Correction after reopening")


class AttendanceDay(models.Model):
    """One status per cadre per day (R20, R23): the record allowances are paid from."""

    cadre = models.ForeignKey(
        "teams.Cadre",
        on_delete=models.PROTECT,
        related_name="attendance_days",
        verbose_name=_("cadre"),
    )
    team = models.ForeignKey(
        "teams.Team",
        on_delete=models.PROTECT,
        related_name="attendance_days",
        verbose_name=_("team"),
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=16, choices=DayStatus.choices)
    source = models.CharField(_("source"), max_length=10, choices=DaySource.choices)
    leave = models.ForeignKey(
        LeaveRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendance_days",
        verbose_name=_("leave"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = querysets.AttendanceDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance day")
        verbose_name_plural = _("attendance days")
        ordering = ["team", "cadre", "date"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "date"], name="attendance_day_unique")
        ]
        indexes = [
            models.Index(fields=["team", "date"], name="attendance_team_date_idx"),
            # City-wide month reads (compliance, allowance, the city sheet): one month of
            # two years without a sequential scan (issue 12).
            models.Index(fields=["date"], name="attendance_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.date} {self.get_status_display()}"

    @property
    def mark(self) -> str:
        return DAY_MARKS.get(self.status, "")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted by the leader")
    CONFIRMED = "confirmed", _("Confirmed by village and township")
    ISSUED = "issued", _("Issued by the supervision group")
    LOCKED = "locked", _("Locked")
    REOPENED = "reopened", _("Reopened")


EDITABLE_SHEET_STATUSES = (SheetStatus.DRAFT, SheetStatus.REOPENED)
PAYABLE_SHEET_STATUSES = (SheetStatus.ISSUED, SheetStatus.LOCKED)


def sheet_scan_path(instance, filename: str) -> str:
    return f"attendance/sheets/{instance.team_id}/{instance.month:%Y-%m}/{filename}"


class AttendanceSheet(models.Model):
    """考勤表: a team's month, signed off by village, township and leader (R34)."""

    team = models.ForeignKey(
        "teams.Team",
        on_delete=models.PROTECT,
        related_name="attendance_sheets",
        verbose_name=_("team"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    village_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed for the village by"),
    )
    village_confirmed_at = models.DateTimeField(_("village confirmed at"), null=True, blank=True)
    township_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed for the township by"),
    )
    township_confirmed_at = models.DateTimeField(_("township confirmed at"), null=True, blank=True)
    signed_scan = models.FileField(
        _("scan of the signed sheet"), upload_to=sheet_scan_path, blank=True
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly attendance sheet")
        verbose_name_plural = _("monthly attendance sheets")
        ordering = ["-month", "team"]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="sheet_one_per_team_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="sheet_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse(
            "attendance:team_month", args=[self.team_id, self.month.year, self.month.month]
        )

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_SHEET_STATUSES


class SheetAction(models.TextChoices):
    CREATE = "create", _("Created")
    SUBMIT = "submit", _("Submitted")
    CONFIRM_VILLAGE = "confirm_village", _("Confirmed for the village")
    CONFIRM_TOWNSHIP = "confirm_township", _("Confirmed for the township")
    UPLOAD_SCAN = "upload_scan", _("Signed scan uploaded")
    ISSUE = "issue", _("Issued")
    LOCK = "lock", _("Locked")
    REOPEN = "reopen", _("Reopened")
    PAY = "paid", _("Allowance paid")


class SheetEvent(HistoryEntry):
    """R23: the sheet's history, kept so records are tamper-evident."""

    sheet = models.ForeignKey(
        AttendanceSheet, on_delete=models.PROTECT, related_name="events", verbose_name=_("sheet")
    )
    action = models.CharField(_("action"), max_length=20, choices=SheetAction.choices)

    class Meta:
        verbose_name = _("sheet event")
        verbose_name_plural = _("sheet events")
        ordering = ["sheet", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.sheet} {self.get_action_display()}"


class DayChange(models.Model):
    """R23: every change of an attendance day: who, when, before and after."""

    team = models.ForeignKey(
        "teams.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    cadre = models.ForeignKey(
        "teams.Cadre", on_delete=models.PROTECT, related_name="+", verbose_name=_("cadre")
    )
    date = models.DateField(_("date"))
    before = models.CharField(_("before"), max_length=16, choices=DayStatus.choices, blank=True)
    after = models.CharField(_("after"), max_length=16, choices=DayStatus.choices, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=DaySource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    objects = querysets.PersonalScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["team", "date"], name="daychange_team_date_idx")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.date}: {self.before or '-'} -> {self.after or '-'}"


class AllowancePaymentQuerySet(TeamScopedQuerySet):
    team_path = "sheet__team"


class AllowancePayment(models.Model):
    """R34: the dispatching unit's record that it paid a sheet's allowances, once."""

    sheet = models.OneToOneField(
        AttendanceSheet,
        on_delete=models.PROTECT,
        related_name="payment",
        verbose_name=_("attendance sheet"),
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AllowancePaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("allowance payment")
        verbose_name_plural = _("allowance payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.sheet} {self.amount} ({self.paid_on})"
