"""The program's org structure: areas, units, supervision groups, cadres and teams."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import LATITUDE, LONGITUDE
from teams import querysets
from teams.statuses import STATIONED_STATUSES, TeamStatus


class Policy(models.Model):
    """A number from the regulation (20 days, 100 yuan ...) with the date it applies from.

    Every app reads its numbers through ``teams.policies``; the rows are seeded by data
    migrations from the regulation and edited by the office.
    """

    key = models.CharField(_("key"), max_length=60, db_index=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    effective_from = models.DateField(_("effective from"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    # Who changed what, when, before and after (issue 11, finding 8).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy value")
        verbose_name_plural = _("policy values")
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "effective_from"], name="policy_key_date_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} ({self.effective_from})"


class Banner(models.Model):
    """旗区: a banner or district."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.CharField(_("code"), max_length=20, unique=True)

    objects = querysets.BannerQuerySet.as_manager()

    class Meta:
        verbose_name = _("banner")
        verbose_name_plural = _("banners")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Township(models.Model):
    """苏木乡镇."""

    banner = models.ForeignKey(
        Banner, on_delete=models.PROTECT, related_name="townships", verbose_name=_("banner")
    )
    name = models.CharField(_("name"), max_length=50)

    objects = querysets.TownshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["banner__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["banner", "name"], name="township_unique_in_banner")
        ]

    def __str__(self) -> str:
        return self.name


class Expertise(models.TextChoices):
    PARTY_AFFAIRS = "party", _("Party affairs")
    ECONOMIC = "economic", _("Economic work")
    SOCIAL_WORK = "social", _("Social work")
    OTHER = "other", _("Other")


class ProblemTag(models.Model):
    """A village problem named in Art. 6; it says which expertise the team needs (R39)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    needed_expertise = models.CharField(
        _("needed expertise"), max_length=10, choices=Expertise.choices
    )

    class Meta:
        verbose_name = _("village problem")
        verbose_name_plural = _("village problems")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DevelopmentCategory(models.TextChoices):
    """R28: each village's development category."""

    OPTIMIZE = "optimize", _("Optimize and upgrade")
    MODERATE = "moderate", _("Moderate development")
    PROTECT = "protect", _("Protect")


class Village(models.Model):
    """嘎查村."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="villages", verbose_name=_("township")
    )
    name = models.CharField(_("name"), max_length=50)
    development_category = models.CharField(
        _("development category"),
        max_length=10,
        choices=DevelopmentCategory.choices,
        default=DevelopmentCategory.MODERATE,
    )
    leading_industries = models.CharField(_("leading industries"), max_length=100, blank=True)
    problem_tags = models.ManyToManyField(
        ProblemTag, blank=True, related_name="villages", verbose_name=_("problems")
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE
    )
    checkin_radius_m = models.PositiveIntegerField(
        _("check-in radius (m)"),
        default=2000,
        help_text=_("Check-ins farther than this from the village location are flagged."),
    )

    objects = querysets.VillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["township__banner__code", "township__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="village_unique_in_township")
        ]

    def __str__(self) -> str:
        """Same-named villages of two townships are told apart wherever the township was
        read with the village (dropdowns select it); never a query of its own."""
        if Village.township.is_cached(self):
            return f"{self.township.name} {self.name}"
        return self.name


class UnitType(models.TextChoices):
    STATE_ORGAN = "organ", _("State organ")
    SOCIAL_GROUP = "social", _("Social organization")
    UNIVERSITY = "university", _("University")
    STATE_ENTERPRISE = "soe", _("State-owned enterprise")
    PUBLIC_INSTITUTION = "institution", _("Public institution")
    PARTNER_REGION = "partner", _("Paired province or city")
    DESIGNATED = "designated", _("Designated assistance body")


class DispatchingUnit(models.Model):
    """派出单位: a city department or enterprise that sends cadres."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    unit_type = models.CharField(
        _("unit type"), max_length=12, choices=UnitType.choices, default=UnitType.STATE_ORGAN
    )
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="contact_for_units",
        verbose_name=_("contacts"),
    )

    objects = querysets.DispatchingUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispatching unit")
        verbose_name_plural = _("dispatching units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitPairing(models.Model):
    """R7: a unit is paired with a township and its villages for a 3-year term."""

    unit = models.ForeignKey(
        DispatchingUnit, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("unit")
    )
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("township")
    )
    villages = models.ManyToManyField(
        Village, blank=True, related_name="pairings", verbose_name=_("villages")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("unit pairing")
        verbose_name_plural = _("unit pairings")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="pairing_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} - {self.township}"


class SupervisionGroup(models.Model):
    """督查推进组: approves leave, issues attendance sheets, watches its teams."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="supervision_groups",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("supervision group")
        verbose_name_plural = _("supervision groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AreaAssignment(models.Model):
    """Banner, township or village staff: read-only view of the teams in their area.

    A head (township head, village head) also confirms monthly attendance sheets (R34).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="area_assignments",
        verbose_name=_("user"),
    )
    banner = models.ForeignKey(
        Banner, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("banner")
    )
    township = models.ForeignKey(
        Township, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("township")
    )
    village = models.ForeignKey(
        Village, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("village")
    )
    is_head = models.BooleanField(_("is head"), default=False)

    class Meta:
        verbose_name = _("area assignment")
        verbose_name_plural = _("area assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(banner__isnull=False, township__isnull=True, village__isnull=True)
                    | Q(banner__isnull=True, township__isnull=False, village__isnull=True)
                    | Q(banner__isnull=True, township__isnull=True, village__isnull=False)
                ),
                name="area_assignment_exactly_one_area",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.area}"

    @property
    def area(self):
        return self.banner or self.township or self.village


class Rank(models.TextChoices):
    DIVISION = "division", _("Division level (处级)")
    SECTION = "section", _("Section level (科级)")
    OTHER = "other", _("Other")


class SelectionStatus(models.TextChoices):
    """R4: the organization department reviews every selected cadre."""

    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class Cadre(models.Model):
    """驻村干部: a person a unit dispatches; may have a login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cadre",
        verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    unit = models.ForeignKey(
        DispatchingUnit, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("unit")
    )
    unit_position = models.CharField(_("position in unit"), max_length=60, blank=True)
    rank = models.CharField(_("rank"), max_length=10, choices=Rank.choices, default=Rank.SECTION)
    on_payroll = models.BooleanField(
        _("formal on-payroll staff"),
        default=True,
        help_text=_("Only formal, on-payroll staff may be dispatched."),
    )
    expertise = models.CharField(
        _("expertise"), max_length=10, choices=Expertise.choices, default=Expertise.OTHER
    )
    education = models.CharField(_("education"), max_length=30, blank=True)
    political_status = models.CharField(_("political status"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    health_check_date = models.DateField(_("last health check"), null=True, blank=True)
    insurance_start = models.DateField(_("accident insurance from"), null=True, blank=True)
    insurance_end = models.DateField(_("accident insurance until"), null=True, blank=True)
    party_membership_transferred_on = models.DateField(
        _("party membership transferred on"),
        null=True,
        blank=True,
        help_text=_("Party membership moves to the village branch for the term."),
    )
    selection_status = models.CharField(
        _("selection review"),
        max_length=10,
        choices=SelectionStatus.choices,
        default=SelectionStatus.PENDING,
    )
    selection_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    selection_reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    selection_note = models.CharField(_("review note"), max_length=200, blank=True)
    is_outstanding = models.BooleanField(
        _("outstanding (for section level)"),
        default=False,
        help_text=_("A section-level cadre is dispatched when outstanding."),
    )
    fitness_for_duty = models.CharField(
        _("fitness for duty"),
        max_length=10,
        choices=[
            ("unknown", _("Not yet assessed")),
            ("fit", _("Fit for village work")),
            ("unfit", _("Not fit for village work")),
        ],
        default="unknown",
        help_text=_("Health and ability to work in the village."),
    )
    fitness_note = models.CharField(_("fitness note"), max_length=200, blank=True)

    objects = querysets.CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.selection_status == SelectionStatus.APPROVED and not self.on_payroll:
            raise ValidationError(
                {"selection_status": _("Only formal, on-payroll staff can be approved.")}
            )
        if (
            self.insurance_start
            and self.insurance_end
            and self.insurance_end < self.insurance_start
        ):
            raise ValidationError({"insurance_end": _("Insurance must end after it starts.")})


class Team(models.Model):
    """驻村工作队: stationed in one village for a 2-year term (R7)."""

    name = models.CharField(_("name"), max_length=80)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="teams", verbose_name=_("village")
    )
    unit = models.ForeignKey(
        DispatchingUnit,
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("dispatching unit"),
    )
    supervision_group = models.ForeignKey(
        SupervisionGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
        verbose_name=_("supervision group"),
    )
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    status = models.CharField(
        _("status"), max_length=10, choices=TeamStatus.choices, default=TeamStatus.FORMING
    )
    leader_exception_reason = models.CharField(
        _("why the leader is not the first secretary"),
        max_length=200,
        blank=True,
        help_text=_("Required when the leader is not the village first secretary."),
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = querysets.TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["village__township__banner__code", "village__name", "-term_start"]
        constraints = [
            # R3: one active team per village; the outgoing team of a rotation is
            # "handing over", not active, so the two can overlap (R8).
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(status=TeamStatus.ACTIVE),
                name="team_one_active_per_village",
            ),
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="team_term_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("teams:team_detail", args=[self.pk])

    @property
    def is_stationed(self) -> bool:
        return self.status in STATIONED_STATUSES


class MembershipRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    DEPUTY = "deputy", _("Deputy leader")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """A cadre's place in a team between two dates."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cadre")
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    is_first_secretary = models.BooleanField(_("village first secretary"), default=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = querysets.MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team", "role", "cadre__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(role="leader", end_date__isnull=True),
                name="membership_one_open_leader_per_team",
            ),
            models.UniqueConstraint(
                fields=["team", "cadre"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open_per_cadre_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} @ {self.team} ({self.get_role_display()})"

    def clean(self) -> None:
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A membership cannot end before it starts.")})

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class HandoverItemKind(models.TextChoices):
    MATERIALS = "materials", _("Work materials")
    ARCHIVES = "archives", _("Archives (visits, study, meetings, attendance)")
    ERRANDS = "errands", _("Open entrusted errands")
    DISPUTES = "disputes", _("Open disputes")
    HOUSEHOLDS = "households", _("Household list and pairings")


class Handover(models.Model):
    """R8: at rotation, the outgoing team hands everything to the incoming one."""

    outgoing_team = models.OneToOneField(
        Team,
        on_delete=models.CASCADE,
        related_name="handover_out",
        verbose_name=_("outgoing team"),
    )
    incoming_team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        related_name="handovers_in",
        verbose_name=_("incoming team"),
    )
    outgoing_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by outgoing leader"),
    )
    outgoing_confirmed_at = models.DateTimeField(_("outgoing confirmed at"), null=True, blank=True)
    incoming_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by incoming leader"),
    )
    incoming_confirmed_at = models.DateTimeField(_("incoming confirmed at"), null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmations waived by"),
    )
    waived_at = models.DateTimeField(_("confirmations waived at"), null=True, blank=True)
    waiver_reason = models.CharField(
        _("why the confirmations were waived"), max_length=300, blank=True
    )
    carried_over_at = models.DateTimeField(_("open work carried over at"), null=True, blank=True)
    carry_over_note = models.TextField(_("what passed to the incoming team"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"{self.outgoing_team} -> {self.incoming_team}"

    @property
    def is_complete(self) -> bool:
        """R8: both leaders confirmed, or the office waived it with a recorded reason."""
        return bool((self.outgoing_confirmed_at and self.incoming_confirmed_at) or self.waived_at)


class HandoverItem(models.Model):
    handover = models.ForeignKey(
        Handover, on_delete=models.CASCADE, related_name="items", verbose_name=_("handover")
    )
    kind = models.CharField(_("item"), max_length=12, choices=HandoverItemKind.choices)
    note = models.TextField(_("what was handed over"), blank=True)
    done = models.BooleanField(_("handed over"), default=False)

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        ordering = ["handover", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "kind"], name="handover_item_unique_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class SelectionReview(models.Model):
    """R4: every review of a cadre's selection, kept; the cadre's row shows the latest."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, related_name="selection_reviews", verbose_name=_("cadre")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=SelectionStatus.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    rank = models.CharField(_("rank at review"), max_length=10, choices=Rank.choices)
    is_outstanding = models.BooleanField(_("outstanding at review"), default=False)
    fitness_for_duty = models.CharField(_("fitness at review"), max_length=10)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("selection review")
        verbose_name_plural = _("selection reviews")
        ordering = ["cadre", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_decision_display()} ({self.at:%Y-%m-%d})"


class TermChange(models.Model):
    """R7: a team's or a pairing's term differs from the policy length only with a reason."""

    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="term_changes",
        verbose_name=_("team"),
    )
    pairing = models.ForeignKey(
        UnitPairing,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="term_changes",
        verbose_name=_("unit pairing"),
    )
    old_end = models.DateField(_("old end"))
    new_end = models.DateField(_("new end"))
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("term change")
        verbose_name_plural = _("term changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.team or self.pairing}: {self.old_end} -> {self.new_end}"


class RotationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class IndividualRotationQuerySet(querysets.TeamScopedQuerySet):
    pass


class IndividualRotation(models.Model):
    """R9 (Art 10): one cadre replaced mid-term, by request, approval and record."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="rotations", verbose_name=_("team")
    )
    outgoing = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="rotations_out",
        verbose_name=_("outgoing cadre's membership"),
    )
    replacement = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="rotations_in", verbose_name=_("replacement")
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RotationStatus.choices,
        default=RotationStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    arrival_date = models.DateField(_("replacement arrives on"), null=True, blank=True)
    incoming = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rotations_in",
        verbose_name=_("replacement's membership"),
    )
    handover_note = models.TextField(_("personal handover"), blank=True)

    objects = IndividualRotationQuerySet.as_manager()

    class Meta:
        verbose_name = _("individual rotation")
        verbose_name_plural = _("individual rotations")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["outgoing"],
                condition=Q(status="requested"),
                name="rotation_one_open_request_per_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.outgoing.cadre} -> {self.replacement} ({self.team})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("teams:rotation_detail", args=[self.pk])


class TalkQuerySet(querysets.ScopedQuerySet):
    """R36: talks are read by the office, the cadre's supervision group and unit, the cadre."""

    def scope(self, user, roles) -> Q:
        return querysets.cadre_superiors_q(roles, "cadre")


class Talk(models.Model):
    """R36: a superior's talk with a stationed cadre."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="talks", verbose_name=_("cadre")
    )
    date = models.DateField(_("date"))
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("held by"),
    )
    topic = models.CharField(_("topic"), max_length=120)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = TalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk with a cadre")
        verbose_name_plural = _("talks with cadres")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.cadre} {self.date}: {self.topic}"


class LeadersMeeting(models.Model):
    """R32: the leading group's quarterly meeting with the team leaders."""

    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=120)
    notes = models.TextField(_("notes"), blank=True)
    attendees = models.ManyToManyField(
        Cadre, blank=True, related_name="leader_meetings", verbose_name=_("leaders present")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("leaders' meeting")
        verbose_name_plural = _("leaders' meetings")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class DisciplineRecordQuerySet(querysets.ScopedQuerySet):
    """R25: office, the cadre's supervision group and unit; never teammates or village staff."""

    def scope(self, user, roles) -> Q:
        return querysets.cadre_superiors_q(roles, "cadre")


class DisciplineRecord(models.Model):
    """R25: a breach of the ten prohibitions (十不准), recorded against the cadre."""

    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="discipline_records", verbose_name=_("cadre")
    )
    date = models.DateField(_("date"))
    prohibition = models.CharField(_("prohibition breached"), max_length=120)
    facts = models.TextField(_("facts"))
    handling = models.TextField(_("handling"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = DisciplineRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("discipline record")
        verbose_name_plural = _("discipline records")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.cadre} {self.date}"
