"""The work ledger (R10-R12, R16, R24-R26, R29, R30, R36, R40, R41), confidential feedback
(R18), periodic reports (R5, R19) and the export log (DESIGN.md, Access)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import HistoryEntry
from accounts.scoping import ScopedQuerySet
from core.validators import validate_calendar_date
from teams.models import Cadre, Team
from teams.querysets import TeamScopedQuerySet


class LedgerKind(models.TextChoices):
    STUDY = "study", _("Study session")
    MEETING = "meeting", _("Joint or village meeting")
    SERVICE_DAY = "service_day", _("Service day")
    TRAINING = "training", _("Villager training")
    DIARY = "diary", _("Village diary")
    RESEARCH = "research", _("Research report")
    COORDINATION = "coordination", _("Coordination: projects and funds")
    COLLECTIVE = "collective", _("Collective-economy project")
    PRACTICAL = "practical", _("Practical project")
    DISPUTE = "dispute", _("Dispute mediation")
    PARTY = "party", _("Party-building activity")
    TALK = "talk", _("Talk with a cadre")
    DISCIPLINE = "discipline", _("Discipline record")


class MeetingKind(models.TextChoices):
    JOINT = "joint", _("Joint meeting with the village committees")
    TOWNSHIP = "township", _("Township or banner meeting")
    PARTY_MEMBERS = "party_members", _("Party members' meeting")
    REPRESENTATIVES = "representatives", _("Villager representatives' meeting")
    SUPERVISION = "supervision", _("Supervision group scheduling meeting")
    LEADERS = "leaders", _("Leading group meeting with team leaders")


class TrainingTopic(models.TextChoices):
    LAW = "law", _("Law and legal awareness")
    POLICY = "policy", _("Policies benefiting farmers and herders")
    SKILLS = "skills", _("Practical skills and technology")
    HEALTH = "health", _("Health and hygiene")
    CULTURE = "culture", _("Civic culture and customs")
    OTHER = "other", _("Other")


class PartyActivity(models.TextChoices):
    ELECTION = "election", _("Village committee election")
    THREE_ONE = "three_one", _("Three meetings, one lesson")
    REVIEW = "review", _("Democratic review of members")
    METHOD_532 = "method_532", _("The 532 decision method")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    """R41 disputes: reported -> mediating -> resolved."""

    REPORTED = "reported", _("Reported")
    MEDIATING = "mediating", _("Being mediated")
    RESOLVED = "resolved", _("Resolved")


class LedgerRecordQuerySet(TeamScopedQuerySet):
    def scope(self, user, roles) -> Q:
        """R25: a discipline record is read by the cadre's superiors (supervision group,
        unit) and the office, never by teammates or village staff."""
        from teams.querysets import cadre_superiors_q

        return (super().scope(user, roles) & ~Q(kind=LedgerKind.DISCIPLINE)) | (
            Q(kind=LedgerKind.DISCIPLINE) & cadre_superiors_q(roles, "cadre")
        )


class LedgerRecord(models.Model):
    """One entry of the team's work ledger; ``kind`` says which of the fields below apply."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="ledger_records", verbose_name=_("team")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LedgerKind.choices)
    date = models.DateField(_("date"), validators=[validate_calendar_date])
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("notes"), blank=True)
    participants = models.ManyToManyField(
        Cadre, blank=True, related_name="ledger_records", verbose_name=_("cadres taking part")
    )
    other_participants = models.CharField(_("other participants"), max_length=300, blank=True)
    participant_count = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True
    )
    # Meetings (R11), training (R26), party building (R40).
    meeting_kind = models.CharField(
        _("meeting kind"), max_length=20, choices=MeetingKind.choices, blank=True
    )
    training_topic = models.CharField(
        _("training topic"), max_length=20, choices=TrainingTopic.choices, blank=True
    )
    party_activity = models.CharField(
        _("party-building activity"), max_length=20, choices=PartyActivity.choices, blank=True
    )
    # Research report (R16), talk (R36) and discipline (R25) concern one cadre.
    cadre = models.ForeignKey(
        Cadre,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_records_about",
        verbose_name=_("cadre concerned"),
    )
    # Coordination (R24), collective economy (R29).
    project_name = models.CharField(_("project"), max_length=120, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    funding_source = models.CharField(_("source of funds"), max_length=120, blank=True)
    is_stable_income = models.BooleanField(_("stable collective income"), default=False)
    # Practical project (R30): the share of the village's households that benefit.
    households_benefiting = models.PositiveIntegerField(
        _("households benefiting"), null=True, blank=True
    )
    village_households = models.PositiveIntegerField(
        _("households in the village"), null=True, blank=True
    )
    # Dispute mediation (R41).
    case_status = models.CharField(
        _("case status"), max_length=12, choices=CaseStatus.choices, blank=True
    )
    resolved_on = models.DateField(
        _("resolved on"), null=True, blank=True, validators=[validate_calendar_date]
    )
    carried_from = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("carried over from"),
        help_text=_("The outgoing team that handed this over at rotation."),
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = LedgerRecordQuerySet.as_manager()

    # Who changed what, when, before and after (issue 11, finding 8).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ledger record")
        verbose_name_plural = _("ledger records")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["team", "kind", "date"], name="ledger_team_kind_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(households_benefiting__isnull=True)
                | Q(village_households__isnull=True)
                | Q(households_benefiting__lte=models.F("village_households")),
                name="ledger_benefiting_within_village",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("reports:ledger_detail", args=[self.pk])

    @property
    def benefit_share_pct(self):
        if not self.households_benefiting or not self.village_households:
            return None
        return round(100 * self.households_benefiting / self.village_households, 1)

    def clean(self) -> None:
        errors = {}
        if self.kind == LedgerKind.PRACTICAL and not (
            self.households_benefiting is not None and self.village_households
        ):
            errors["village_households"] = _(
                "A practical project needs the households benefiting and the village's total."
            )
        if self.kind == LedgerKind.TRAINING and not self.training_topic:
            errors["training_topic"] = _("Choose the training topic.")
        if self.kind == LedgerKind.RESEARCH and not self.cadre_id:
            errors["cadre"] = _("Name the cadre who wrote the research report.")
        if self.kind == LedgerKind.COORDINATION and self.amount is None:
            errors["amount"] = _("Give the amount secured (0 if none).")
        if self.kind == LedgerKind.DISPUTE and not self.case_status:
            self.case_status = CaseStatus.REPORTED
        if self.case_status == CaseStatus.RESOLVED and not self.resolved_on:
            errors["resolved_on"] = _("Give the date the dispute was resolved.")
        if (
            self.households_benefiting is not None
            and self.village_households
            and self.households_benefiting > self.village_households
        ):
            errors["households_benefiting"] = _("More households benefit than the village has.")
        if errors:
            raise ValidationError(errors)


def attachment_path(instance, filename: str) -> str:
    return f"ledger/{instance.record.team_id}/{instance.record_id}/{filename}"


class AttachmentQuerySet(TeamScopedQuerySet):
    team_path = "record__team"

    def scope(self, user, roles) -> Q:
        """Whoever reads the record reads its attachments (R25 included)."""
        return Q(record__in=LedgerRecord.objects.visible_to(user))


class Attachment(models.Model):
    """A photo or document archived with a ledger record (R17)."""

    record = models.ForeignKey(
        LedgerRecord,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("ledger record"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    is_image = models.BooleanField(_("photo"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reports:attachment", args=[self.pk])


class ErrandStatus(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("errand status", "Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Errand(models.Model):
    """R12: an errand a villager entrusted to the team (代办事务), tracked until done."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="errands", verbose_name=_("team")
    )
    service_day = models.ForeignKey(
        LedgerRecord,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="errands",
        verbose_name=_("service day"),
    )
    requester = models.CharField(_("requested by"), max_length=60)
    description = models.CharField(_("errand"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=ErrandStatus.choices, default=ErrandStatus.ACCEPTED
    )
    accepted_on = models.DateField(_("accepted on"), validators=[validate_calendar_date])
    done_on = models.DateField(
        _("done on"), null=True, blank=True, validators=[validate_calendar_date]
    )
    result = models.CharField(_("result"), max_length=200, blank=True)
    carried_from = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("carried over from"),
        help_text=_("The outgoing team that handed this over at rotation."),
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrusted errand")
        verbose_name_plural = _("entrusted errands")
        ordering = ["status", "-accepted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="errand_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class FeedbackCategory(models.TextChoices):
    """R18: what a team reports to the office."""

    UNFAIR_POLICY = "unfair_policy", _("Unfair policy or unfair application")
    MISCONDUCT = "misconduct", _("Misconduct lead on village cadres")
    GANGS = "gangs", _("Gangs or clans harming villagers")
    GOOD_PRACTICE = "good_practice", _("Good practice worth spreading")
    OTHER = "other", _("Other problem")


class ConfidentialCategory(models.Model):
    """R18: a feedback category that only the office reads, whoever else sees the team.

    Data, not code: seeded with misconduct leads and gang or clan leads (village staff may
    be the people implicated), and edited by the office."""

    category = models.CharField(
        _("category"), max_length=20, choices=FeedbackCategory.choices, unique=True
    )
    note = models.CharField(_("why"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("confidential feedback category")
        verbose_name_plural = _("confidential feedback categories")
        ordering = ["category"]

    def __str__(self) -> str:
        return self.get_category_display()


def confidential_categories():
    """R18: the categories only the office reads, as a subquery."""
    return ConfidentialCategory.objects.values("category")


class FeedbackStatus(models.TextChoices):
    """R18: handling moves forward only, in this order."""

    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received by the office")
    HANDLED = "handled", _("Handled")


FEEDBACK_ORDER = list(FeedbackStatus.values)


class FeedbackQuerySet(ScopedQuerySet):
    def scope(self, user, roles) -> Q:
        """R18: others read the non-confidential feedback of teams they see; a sender also
        lists their own confidential items (status only, see ``Feedback.body_readable_by``)."""
        return Q(team__in=Team.objects.visible_to(user)) & ~Q(
            category__in=confidential_categories()
        ) | Q(sender=user)

    def with_confidential(self):
        """Annotate ``confidential`` so that a list asks once, not per row."""
        return self.annotate(
            confidential=Exists(ConfidentialCategory.objects.filter(category=OuterRef("category")))
        )


class Feedback(models.Model):
    """R18: a report from a team to the office, a separate confidential channel."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("team")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sent_feedback",
        verbose_name=_("sender"),
    )
    category = models.CharField(_("category"), max_length=20, choices=FeedbackCategory.choices)
    subject = models.CharField(_("subject"), max_length=120)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.SENT
    )
    office_note = models.TextField(_("office note"), blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback to the office")
        verbose_name_plural = _("feedback to the office")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("reports:feedback_detail", args=[self.pk])

    @property
    def is_confidential(self) -> bool:
        if "confidential" in self.__dict__:
            return self.__dict__["confidential"]
        return ConfidentialCategory.objects.filter(category=self.category).exists()

    def body_readable_by(self, user) -> bool:
        """R18: the text of a confidential item is the office's alone, even for its sender."""
        from accounts.roles import get_roles

        roles = get_roles(user)
        if roles.is_office:
            return True
        if self.is_confidential:
            return False
        return Team.objects.visible_to(user).filter(pk=self.team_id).exists()


class ReportKind(models.TextChoices):
    WORK_PLAN = "work_plan", _("Annual work plan")
    QUARTERLY = "quarterly", _("Quarterly report")
    HALF_YEAR = "half_year", _("Half-year summary")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", pgettext_lazy("report status", "Accepted")


OPEN_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class Report(models.Model):
    """R5/R19: a team's work plan, quarterly report or half-year summary for one period."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="reports", verbose_name=_("team")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    narrative = models.TextField(_("narrative"), blank=True)
    appendix = models.JSONField(
        _("appendix (figures at submission)"), null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    carried_from = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("carried over from"),
        help_text=_("The outgoing team whose draft this was."),
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "team_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "kind", "period_start"], name="report_once_per_team_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.get_kind_display()} · {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        year = self.period_start.year
        if self.kind == ReportKind.QUARTERLY:
            return _("%(year)s Q%(q)s") % {"year": year, "q": (self.period_start.month + 2) // 3}
        if self.kind == ReportKind.HALF_YEAR:
            half = _("first half") if self.period_start.month <= 6 else _("second half")
            return f"{year} {half}"
        return str(year)

    def is_late_on(self, day) -> bool:
        """R19: late while open after the deadline, or submitted after it."""
        if self.submitted_at is not None:
            from django.utils import timezone

            return timezone.localdate(self.submitted_at) > self.deadline
        return day > self.deadline


class ReportEvent(HistoryEntry):
    """Who did what to a report, when, with what comment."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="events", verbose_name=_("report")
    )
    action = models.CharField(_("action"), max_length=10, choices=ReportStatus.choices)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"


class ExportKind(models.TextChoices):
    LEDGER = "ledger", _("Work ledger")
    REPORT_STATUS = "report_status", _("Report status per period")
    COMPLIANCE = "compliance", _("Compliance per team")


class FeedbackEvent(HistoryEntry):
    """R18: each handling step of a feedback item: status, who, when, note."""

    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="events", verbose_name=_("feedback")
    )
    status = models.CharField(_("status"), max_length=10, choices=FeedbackStatus.choices)

    class Meta:
        verbose_name = _("feedback handling step")
        verbose_name_plural = _("feedback handling steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.status}"
