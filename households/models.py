"""Households and members, visits and diary, cadre pairing, income checks and zones."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.validators import NOT_NEGATIVE, validate_calendar_date, validate_calendar_year
from households.idnumbers import validate_id_number
from households.querysets import (
    DiaryEntryQuerySet,
    HouseholdQuerySet,
    IncomeCheckQuerySet,
    PairingQuerySet,
    VisitQuerySet,
)


class PovertyStatus(models.TextChoices):
    GENERAL = "general", _("General household")
    REGISTERED = "registered", _("Registered poor (建档立卡)")
    LIFTED = "lifted", _("Lifted out of poverty (已脱贫)")
    MONITORED = "monitored", _("Monitored household (防返贫监测)")


# R15/R33: the statuses that make a household "poor" (a key household, needs a pairing).
POOR_STATUSES = (PovertyStatus.REGISTERED, PovertyStatus.MONITORED)


class MonitoringCategory(models.TextChoices):
    UNSTABLE = "unstable", _("Unstable after lifting (脱贫不稳定户)")
    MARGINAL = "marginal", _("Marginal, prone to poverty (边缘易致贫户)")
    SUDDEN = "sudden", _("Sudden severe hardship (突发严重困难户)")


class Zone(models.TextChoices):
    """R27: green safe, yellow warning (potentially poor), red alert (poor)."""

    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


class Household(models.Model):
    """农牧户: one household of a village, identified by its head's ID number."""

    village = models.ForeignKey(
        "teams.Village",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("village"),
    )
    head_name = models.CharField(_("head of household"), max_length=40)
    head_id_number = models.CharField(
        _("head's ID number"), max_length=18, unique=True, validators=[validate_id_number]
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    group_name = models.CharField(_("group (社/组)"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=120, blank=True)
    poverty_status = models.CharField(
        _("poverty status"),
        max_length=12,
        choices=PovertyStatus.choices,
        default=PovertyStatus.GENERAL,
    )
    monitoring_category = models.CharField(
        _("monitoring category"), max_length=10, choices=MonitoringCategory.choices, blank=True
    )
    # R15: key households (重点户).
    is_dispute = models.BooleanField(_("dispute"), default=False)
    is_unstable_mood = models.BooleanField(_("unstable mood"), default=False)
    is_special_hardship = models.BooleanField(_("special hardship"), default=False)
    key_since = models.DateField(
        _("key household since"),
        null=True,
        blank=True,
        help_text=_("Set when the household first became a key household."),
    )
    # R31: households the regulation asks cadres to care for.
    is_five_guarantee = models.BooleanField(_("five-guarantee household"), default=False)
    is_disabled = models.BooleanField(_("disabled member"), default=False)
    is_empty_nest = models.BooleanField(_("empty-nest elderly"), default=False)
    has_left_behind_children = models.BooleanField(_("left-behind children"), default=False)
    zone = models.CharField(_("warning zone"), max_length=6, choices=Zone.choices, blank=True)
    zone_overridden = models.BooleanField(_("zone set by hand"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    poor_since = models.DateField(_("poor or monitored since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    # Who changed what, when, before and after (issue 11, finding 8).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village", "group_name", "head_name", "pk"]
        indexes = [
            models.Index(fields=["village", "poverty_status"], name="household_village_poverty"),
            # R33 unpaired list: only the poor and monitored households (one in five),
            # without scanning the whole roster (issue 12).
            models.Index(
                fields=["poor_since", "id"],
                name="household_poor_since",
                condition=Q(poverty_status__in=["registered", "monitored"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(poverty_status="monitored") | Q(monitoring_category=""),
                name="household_category_only_when_monitored",
            ),
        ]

    def __str__(self) -> str:
        return self.head_name

    def get_absolute_url(self) -> str:
        return reverse("households:household_detail", args=[self.pk])

    def clean(self) -> None:
        if self.poverty_status == PovertyStatus.MONITORED and not self.monitoring_category:
            raise ValidationError(
                {"monitoring_category": _("A monitored household needs its category.")}
            )
        if self.poverty_status != PovertyStatus.MONITORED and self.monitoring_category:
            raise ValidationError(
                {"monitoring_category": _("Only a monitored household has a category.")}
            )

    @property
    def is_poor(self) -> bool:
        return self.poverty_status in POOR_STATUSES

    @property
    def is_key(self) -> bool:
        """R15: disputes, unstable moods, special hardship, or poor."""
        return self.is_dispute or self.is_unstable_mood or self.is_special_hardship or self.is_poor


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    CHRONIC = "chronic", _("Long-term chronic illness")
    SERIOUS = "serious", _("Serious illness")
    DISABLED = "disabled", _("Disabled")


class Member(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    relation = models.CharField(
        _("relation to head"), max_length=12, choices=Relation.choices, default=Relation.OTHER
    )
    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, validators=[validate_id_number]
    )
    birth_date = models.DateField(
        _("birth date"), null=True, blank=True, validators=[validate_calendar_date]
    )
    health = models.CharField(
        _("health"), max_length=10, choices=Health.choices, default=Health.HEALTHY
    )
    disability = models.CharField(_("disability"), max_length=60, blank=True)
    schooling = models.CharField(_("schooling"), max_length=60, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    # Who changed what, when, before and after (issue 11, finding 8).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "relation", "pk"]

    def __str__(self) -> str:
        return self.name


class VisitKind(models.TextChoices):
    INITIAL = "initial", _("Initial visit")
    ROUTINE = "routine", _("Routine visit")
    KEY_FOLLOW_UP = "key", _("Key household follow-up")
    HOME_SERVICE = "service", _("Home service")


class Visit(models.Model):
    """入户走访 (R13-R15): a cadre's visit to one household."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="visits", verbose_name=_("household")
    )
    team = models.ForeignKey(
        "teams.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="household_visits",
        verbose_name=_("team"),
    )
    date = models.DateField(_("date"), validators=[validate_calendar_date])
    kind = models.CharField(
        _("kind"), max_length=10, choices=VisitKind.choices, default=VisitKind.ROUTINE
    )
    visitors = models.ManyToManyField(
        "teams.Cadre", related_name="household_visits", verbose_name=_("who went")
    )
    findings = models.TextField(_("what was found"), blank=True)
    help_given = models.TextField(_("help given"), blank=True)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up = models.CharField(_("follow-up"), max_length=200, blank=True)
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
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    # Who changed what, when, before and after (issue 11, finding 8).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["household", "date"], name="visit_household_date")]

    def __str__(self) -> str:
        return f"{self.household} {self.date}"


def visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    return f"visits/{instance.visit.date:%Y/%m}/{instance.visit_id}-{filename}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit")
    )
    image = models.ImageField(_("photo"), upload_to=visit_photo_path)
    taken_at = models.DateTimeField(
        _("taken at"), null=True, blank=True, help_text=_("From the photo's EXIF data.")
    )
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["visit", "pk"]

    def __str__(self) -> str:
        return self.image.name


class DiaryEntry(models.Model):
    """民情日记 (R16): a dated note on the village, not tied to one household."""

    village = models.ForeignKey(
        "teams.Village",
        on_delete=models.CASCADE,
        related_name="diary_entries",
        verbose_name=_("village"),
    )
    team = models.ForeignKey(
        "teams.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="diary_entries",
        verbose_name=_("team"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    date = models.DateField(_("date"), validators=[validate_calendar_date])
    text = models.TextField(_("text"))
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DiaryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("village diary entry")
        verbose_name_plural = _("village diary entries")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.village} {self.date}"


class Pairing(models.Model):
    """包联 (R33): a cadre paired with a poor or monitored household."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("household")
    )
    cadre = models.ForeignKey(
        "teams.Cadre",
        on_delete=models.PROTECT,
        related_name="household_pairings",
        verbose_name=_("cadre"),
    )
    start_date = models.DateField(_("start date"), validators=[validate_calendar_date])
    end_date = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_calendar_date]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("paired by"),
    )

    objects = PairingQuerySet.as_manager()

    # Who changed what, when, before and after (issue 11, finding 8).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household pairing")
        verbose_name_plural = _("household pairings")
        ordering = ["household", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(end_date__isnull=True),
                name="pairing_one_open_per_household",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} - {self.household}"


class IncomeCheck(models.Model):
    """R27: a year's per-capita income and risk events of one household."""

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="income_checks",
        verbose_name=_("household"),
    )
    year = models.PositiveIntegerField(_("year"), validators=[validate_calendar_year])
    per_capita_income = models.DecimalField(
        _("per-capita net income (yuan)"),
        max_digits=10,
        decimal_places=2,
        validators=NOT_NEGATIVE,
    )
    risk_illness = models.BooleanField(_("illness"), default=False)
    risk_disability = models.BooleanField(_("disability"), default=False)
    risk_disaster = models.BooleanField(_("natural disaster"), default=False)
    risk_unemployment = models.BooleanField(_("unemployment"), default=False)
    risk_education = models.BooleanField(_("education cost"), default=False)
    computed_zone = models.CharField(_("computed zone"), max_length=6, choices=Zone.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)

    objects = IncomeCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("income check")
        verbose_name_plural = _("income checks")
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="income_check_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}"

    @property
    def has_risk(self) -> bool:
        return any(
            (
                self.risk_illness,
                self.risk_disability,
                self.risk_disaster,
                self.risk_unemployment,
                self.risk_education,
            )
        )


class ZoneChange(models.Model):
    """R27: every change of a household's zone, with who and why."""

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="zone_changes",
        verbose_name=_("household"),
    )
    from_zone = models.CharField(_("from"), max_length=6, choices=Zone.choices, blank=True)
    to_zone = models.CharField(_("to"), max_length=6, choices=Zone.choices)
    is_override = models.BooleanField(_("set by hand"), default=False)
    reason = models.CharField(_("reason"), max_length=200)
    income_check = models.ForeignKey(
        IncomeCheck,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("income check"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("zone change")
        verbose_name_plural = _("zone changes")
        ordering = ["household", "-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_override=False) | ~Q(reason=""), name="zone_override_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household}: {self.from_zone or '-'} -> {self.to_zone}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    FAILED = "failed", _("Refused")
    DONE = "done", _("Imported")


class RosterImport(models.Model):
    """One uploaded roster file and its outcome (row errors, counts, progress)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file = models.FileField(_("file"), upload_to="roster-imports/%Y/%m")
    status = models.CharField(
        _("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    created_households = models.PositiveIntegerField(_("households created"), default=0)
    updated_households = models.PositiveIntegerField(_("households updated"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file.name} ({self.get_status_display()})"


class VillageCoverage(models.Model):
    """A village's R13-R15 visit coverage on one day, kept so that the city-wide page
    reads 800 rows instead of every visit (issue 12).

    Correct after every write: saving or deleting a visit or a household deletes its
    village's row (``households.signals``), and a row computed for another day, another
    term start or other policy numbers (``key``) is recomputed when read
    (``compliance.village_coverage``). Never edited by hand."""

    village = models.OneToOneField(
        "teams.Village",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="visit_coverage",
        verbose_name=_("village"),
    )
    on = models.DateField(_("day"))
    key = models.CharField(_("computed with"), max_length=120)
    total = models.PositiveIntegerField(default=0)
    initial = models.PositiveIntegerField(default=0)
    yearly = models.PositiveIntegerField(default=0)
    key_total = models.PositiveIntegerField(default=0)
    key_quarter = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("village visit coverage")
        verbose_name_plural = _("village visit coverage")

    def __str__(self) -> str:
        return f"{self.village_id} {self.on}"
