"""The yearly assessment (R37, Art 22), its results in use (R38, R48, Art 23-24).

The plan (考核方案) is data the office writes: indicators with weights, grades with score
bands and veto items. Numbers from the regulation (the 优秀 share, the rating sample) are
``teams.Policy`` rows, never fields here.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import HistoryEntry
from assessments import querysets
from teams.models import Cadre, DispatchingUnit, Team


class Plan(models.Model):
    """考核方案: one a year, written by the office; frozen once assessment has begun."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=120)
    notes = models.TextField(_("notes"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("copied from"),
    )
    frozen_at = models.DateTimeField(
        _("assessment began at"),
        null=True,
        blank=True,
        help_text=_("Once assessment has begun the plan can no longer be edited."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decision recorded by"),
    )
    decision_meeting = models.CharField(_("leading group meeting"), max_length=120, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    filing_reference = models.CharField(_("filing reference"), max_length=80, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment plan")
        verbose_name_plural = _("assessment plans")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title or str(self.year)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class PlanPart(models.Model):
    """A row of a plan; it refuses edits once the plan is frozen (R37)."""

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.plan_id and Plan.objects.filter(pk=self.plan_id, frozen_at__isnull=False).exists():
            raise ValidationError(_("Assessment has begun; this plan can no longer be edited."))


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from the records")
    ROUTINE = "routine", _("Routine quarterly scores (supervision group)")
    SUMMARY = "summary", _("Work summary (scored by the supervision group)")
    VILLAGERS = "villagers", _("Villagers' rating")
    VILLAGE_CADRES = "village", _("Village cadres' review")


class Scoring(models.TextChoices):
    """How a computed figure becomes a score out of 100."""

    RATIO = "ratio", _("Figure divided by the target, capped at 100")
    PERCENT = "percent", _("The figure is already a percentage")
    PENALTY = "penalty", _("100 minus the target's points for each unit of the figure")


class Indicator(PlanPart):
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    source = models.CharField(_("source"), max_length=10, choices=IndicatorSource.choices)
    figure_key = models.CharField(
        _("figure"),
        max_length=60,
        blank=True,
        help_text=_(
            "For a computed indicator: the figure it reads, e.g. attendance.service_days."
        ),
    )
    denominator_keys = models.CharField(
        _("divided by"),
        max_length=200,
        blank=True,
        help_text=_(
            "Optional figures, separated by commas, whose sum divides the figure "
            "(e.g. attendance.required_days)."
        ),
    )
    of_team = models.BooleanField(
        _("team figure"),
        default=False,
        help_text=_("Read the figure of the cadre's team rather than of the cadre."),
    )
    scoring = models.CharField(
        _("scoring"), max_length=10, choices=Scoring.choices, default=Scoring.RATIO
    )
    target = models.DecimalField(
        _("target"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan")
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique_in_plan")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.source == IndicatorSource.COMPUTED and not self.figure_key:
            raise ValidationError({"figure_key": _("A computed indicator names its figure.")})
        needs_target = self.source == IndicatorSource.COMPUTED and self.scoring != Scoring.PERCENT
        if needs_target and (self.target is None or self.target <= 0):
            raise ValidationError({"target": _("Give a target above zero.")})


class GradeBand(PlanPart):
    """A grade (优秀, 称职 ...) and the lowest score that earns it."""

    name = models.CharField(_("name"), max_length=20)
    min_score = models.DecimalField(
        _("lowest score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    rank = models.PositiveSmallIntegerField(_("grade order"), help_text=_("1 is the best grade."))
    is_excellent = models.BooleanField(_("counts against the excellent quota"), default=False)
    is_unfit = models.BooleanField(
        _("unfit for the post"),
        default=False,
        help_text=_("The office considers an adjustment proposal for this grade."),
    )

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="grades", verbose_name=_("plan")
    )

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["plan", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "rank"], name="grade_rank_unique_in_plan"),
            models.UniqueConstraint(fields=["plan", "name"], name="grade_name_unique_in_plan"),
        ]

    def __str__(self) -> str:
        return self.name


class VetoItem(PlanPart):
    """一票否决: a finding that caps the grade whatever the score."""

    name = models.CharField(_("name"), max_length=80)
    cap = models.ForeignKey(
        GradeBand,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("highest grade allowed"),
    )

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="veto_items", verbose_name=_("plan")
    )

    class Meta:
        verbose_name = _("veto item")
        verbose_name_plural = _("veto items")
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.cap_id and self.plan_id and self.cap.plan_id != self.plan_id:
            raise ValidationError({"cap": _("Pick a grade of the same plan.")})


class Kind(models.TextChoices):
    ANNUAL = "annual", _("Annual")
    END_OF_TERM = "term", _("End of term")


class Status(models.TextChoices):
    OPEN = "open", pgettext_lazy("assessment status", "Open")
    PROPOSED = "proposed", _("Grade proposed")
    CALIBRATED = "calibrated", _("Calibrated by the office")
    DECIDED = "decided", _("Decided by the leading group")
    PUBLISHED = "published", _("Published")


DECIDED_STATUSES = (Status.DECIDED, Status.PUBLISHED)


class Assessment(models.Model):
    """One cadre's annual or end-of-term assessment under a plan."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("plan")
    )
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("cadre")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("team")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.ANNUAL)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    indicator_scores = models.JSONField(_("indicator scores"), default=dict, blank=True)
    suggested_grade = models.ForeignKey(
        GradeBand,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("grade by score"),
    )
    proposed_grade = models.ForeignKey(
        GradeBand,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed grade"),
    )
    proposal_comment = models.TextField(_("supervision group's comment"), blank=True)
    grade = models.ForeignKey(
        GradeBand,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("grade"),
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    objects = querysets.AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["plan", "team__village__township__banner__code", "team__name", "cadre__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "cadre", "kind", "team"], name="assessment_once_per_cadre"
            )
        ]
        indexes = [models.Index(fields=["plan", "kind", "status"], name="assessment_plan_status")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.plan.year} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessments:assessment_detail", args=[self.pk])

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES


class AssessmentHistory(HistoryEntry):
    """Every step of an assessment: who, when, what, with which grade (R37)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="history", verbose_name=_("assessment")
    )
    action = models.CharField(_("step"), max_length=20)
    status = models.CharField(_("status after"), max_length=10, choices=Status.choices)
    grade_name = models.CharField(_("grade"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("assessment step")
        verbose_name_plural = _("assessment history")
        ordering = ["assessment", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.action}"


class AssessmentVeto(models.Model):
    """A veto item found against one assessment, with its evidence."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="vetoes", verbose_name=_("assessment")
    )
    item = models.ForeignKey(
        VetoItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("veto item")
    )
    note = models.CharField(_("finding"), max_length=200)
    evidence_url = models.CharField(_("evidence link"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("veto finding")
        verbose_name_plural = _("veto findings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="veto_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.item}"


class RoutineScore(models.Model):
    """平时考核: the supervision group's quarterly score of a team (R37)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="routine_scores", verbose_name=_("plan")
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="routine_scores", verbose_name=_("team")
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    comment = models.TextField(_("comment"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("scored by"),
    )
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)

    objects = querysets.TeamRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("routine score")
        verbose_name_plural = _("routine scores")
        ordering = ["plan", "team", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "team", "quarter"], name="routine_score_once_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} Q{self.quarter}: {self.score}"


class WorkSummary(models.Model):
    """述职: the cadre's own account of the year, scored by the supervision group."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="summaries", verbose_name=_("plan")
    )
    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, related_name="work_summaries", verbose_name=_("cadre")
    )
    text = models.TextField(_("work summary"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("scored by"),
    )

    class Meta:
        verbose_name = _("work summary")
        verbose_name_plural = _("work summaries")
        constraints = [
            models.UniqueConstraint(fields=["plan", "cadre"], name="summary_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.plan.year}"


class RatingRound(models.Model):
    """农牧民测评: numbered slips for a sample of the village's households."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="rating_rounds", verbose_name=_("plan")
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="rating_rounds", verbose_name=_("team")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = querysets.TeamRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("villagers' rating round")
        verbose_name_plural = _("villagers' rating rounds")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "team"], name="rating_round_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.plan.year}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def new_slip_code() -> str:
    return secrets.token_urlsafe(9)


class Stars(models.IntegerChoices):
    VERY_POOR = 1, _("Very dissatisfied")
    POOR = 2, _("Dissatisfied")
    FAIR = 3, _("Fair")
    GOOD = 4, _("Satisfied")
    VERY_GOOD = 5, _("Very satisfied")


class RatingSlip(models.Model):
    """One numbered slip with a one-time code. It stores no name, user or address."""

    round = models.ForeignKey(
        RatingRound, on_delete=models.CASCADE, related_name="slips", verbose_name=_("round")
    )
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("code"), max_length=20, unique=True, default=new_slip_code)
    stars = models.PositiveSmallIntegerField(
        _("rating"), choices=Stars.choices, null=True, blank=True
    )
    used_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    on_paper = models.BooleanField(_("typed in from paper"), default=False)

    class Meta:
        verbose_name = _("rating slip")
        verbose_name_plural = _("rating slips")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="slip_number_unique"),
            models.CheckConstraint(
                condition=Q(stars__isnull=True) | Q(used_at__isnull=False),
                name="slip_rated_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.number}"


class VillageReview(models.Model):
    """嘎查村干部评议: a village cadre rates the team online."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="village_reviews", verbose_name=_("plan")
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="village_reviews", verbose_name=_("team")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    stars = models.PositiveSmallIntegerField(_("rating"), choices=Stars.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now=True)

    objects = querysets.TeamRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("village cadres' review")
        verbose_name_plural = _("village cadres' reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "team", "reviewer"], name="village_review_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.stars}"


class RecommendationKind(models.TextChoices):
    COMMENDATION = "commend", _("Commendation")
    PROMOTION = "promote", _("Priority promotion")


class Recommendation(models.Model):
    """R38: a cadre recommended for commendation or priority promotion, sent to the unit."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("assessment"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=RecommendationKind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent to the unit at"), null=True, blank=True)

    objects = querysets.RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind"], name="recommendation_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.assessment.cadre}"


class AdjustmentStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the unit")
    NAMED = "named", _("Replacement named")
    DONE = "done", _("Replaced")


class AdjustmentProposal(models.Model):
    """R48: the leading group proposes replacing an unfit cadre; the unit names who."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("cadre")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("team")
    )
    assessment = models.ForeignKey(
        Assessment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adjustments",
        verbose_name=_("assessment"),
    )
    reason = models.TextField(_("reason"))
    deadline = models.DateField(_("replace by"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=AdjustmentStatus.choices,
        default=AdjustmentStatus.OPEN,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    replacement = models.ForeignKey(
        Cadre,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("replacement"),
    )
    replacement_note = models.CharField(_("unit's note"), max_length=200, blank=True)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("named by"),
    )
    named_at = models.DateTimeField(_("named at"), null=True, blank=True)
    rotation_ref = models.CharField(
        _("rotation record"),
        max_length=80,
        blank=True,
        help_text=_("The individual rotation that carries out the replacement."),
    )

    objects = querysets.AdjustmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("adjustment proposal")
        verbose_name_plural = _("adjustment proposals")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.cadre} ({self.team})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessments:adjustment_detail", args=[self.pk])


class CaseKind(models.TextChoices):
    CRITICISM = "criticism", _("Criticism and education (批评教育)")
    SERIOUS = "serious", _("Serious handling (严肃处理)")
    UNIT = "unit", _("Accountability of the unit's responsible people (问责)")


class AccountabilityCase(models.Model):
    """R48: weak performance, falsification or dereliction and what was done about it."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="cases", verbose_name=_("cadre")
    )
    unit = models.ForeignKey(
        DispatchingUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit held to account"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CaseKind.choices)
    summary = models.TextField(_("what happened"))
    outcome = models.TextField(_("outcome"), blank=True)
    responsible_people = models.CharField(
        _("responsible people held to account"), max_length=200, blank=True
    )
    decided_on = models.DateField(_("decided on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = querysets.CadreRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("accountability case")
        verbose_name_plural = _("accountability cases")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.cadre}: {self.get_kind_display()}"

    def clean(self) -> None:
        if self.kind == CaseKind.UNIT and not (self.unit_id and self.responsible_people.strip()):
            raise ValidationError(_("Name the unit and its responsible people held to account."))


class CaseEvidence(models.Model):
    """A record behind a case, e.g. the sheet whose days were changed."""

    case = models.ForeignKey(
        AccountabilityCase,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("case"),
    )
    description = models.CharField(_("description"), max_length=200)
    url = models.CharField(_("link to the record"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.description
