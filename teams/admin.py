from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ReadOnlyAdmin, ScopedAdmin, service_dry_run
from accounts.errors import DomainError, NotAllowed
from teams import services
from teams.models import (
    AreaAssignment,
    Banner,
    Cadre,
    DisciplineRecord,
    DispatchingUnit,
    Handover,
    HandoverItem,
    IndividualRotation,
    LeadersMeeting,
    Membership,
    MembershipRole,
    Policy,
    ProblemTag,
    SelectionReview,
    SupervisionGroup,
    Talk,
    Team,
    TermChange,
    Township,
    UnitPairing,
    Village,
)


@admin.register(Policy)
class PolicyAdmin(ScopedAdmin):
    list_display = ("key", "value", "effective_from", "description")
    list_filter = ("key",)
    search_fields = ("key", "description")


@admin.register(Banner)
class BannerAdmin(ScopedAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Township)
class TownshipAdmin(ScopedAdmin):
    list_display = ("name", "banner")
    list_filter = ("banner",)
    search_fields = ("name", "banner__name")
    list_select_related = ("banner",)


@admin.register(ProblemTag)
class ProblemTagAdmin(ScopedAdmin):
    list_display = ("name", "code", "needed_expertise")


@admin.register(Village)
class VillageAdmin(ScopedAdmin):
    list_display = ("name", "township", "banner_name", "development_category", "checkin_radius_m")
    list_filter = ("development_category", "township__banner", "problem_tags")
    search_fields = ("name", "township__name", "township__banner__name")
    list_select_related = ("township__banner",)
    filter_horizontal = ("problem_tags",)

    @admin.display(description=_("banner"), ordering="township__banner__code")
    def banner_name(self, obj):
        return obj.township.banner.name


@admin.register(DispatchingUnit)
class DispatchingUnitAdmin(ScopedAdmin):
    list_display = ("name", "unit_type")
    list_filter = ("unit_type",)
    search_fields = ("name",)
    filter_horizontal = ("contacts",)


def _refusal(error) -> str:
    return str(error.message)


class TermForm(forms.ModelForm):
    """R7: the end of a term comes from the policy; changing it needs a reason."""

    end_field = "term_end"
    term_change_reason = forms.CharField(
        label=_("Reason for changing the term"),
        required=False,
        max_length=300,
        help_text=_("R7: the term set by the policy changes only with a recorded reason."),
    )

    def clean(self):
        data = super().clean()
        if not self.instance.pk or self.end_field not in self.changed_data or self.errors:
            return data
        service, target = (
            (services.team_term_change, "team")
            if self.end_field == "term_end"
            else (services.unit_pairing_term_change, "pairing")
        )
        try:
            service_dry_run(
                service,
                **{target: self.instance, self.end_field: data.get(self.end_field)},
                reason=data.get("term_change_reason") or "",
                by=self.user,
            )
        except (DomainError, NotAllowed) as error:
            self.add_error("term_change_reason", _refusal(error))
        return data


class PairingForm(TermForm):
    end_field = "end_date"

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                service_dry_run(
                    services.unit_pairing_create,
                    unit=data.get("unit"),
                    township=data.get("township"),
                    villages=list(data.get("villages") or []),
                    start_date=data.get("start_date"),
                )
            except (DomainError, NotAllowed) as error:
                raise forms.ValidationError(_refusal(error)) from error
        return data


@admin.register(UnitPairing)
class UnitPairingAdmin(ScopedAdmin):
    """R7: new pairings run the policy length (``unit_pairing_create``); a later change of
    the end date goes through ``unit_pairing_term_change`` with a reason."""

    list_display = ("unit", "township", "start_date", "end_date")
    list_filter = ("township__banner",)
    search_fields = ("unit__name", "township__name")
    list_select_related = ("unit", "township")
    filter_horizontal = ("villages",)
    service_fields = ("end_date",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = PairingForm
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("unit", "township", "villages", "start_date")
        return ("unit", "township", "villages", "start_date", "end_date", "term_change_reason")

    def get_readonly_fields(self, request, obj=None):
        return ("unit", "township", "start_date") if obj else ()

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.unit_pairing_create(
                unit=obj.unit,
                township=obj.township,
                villages=list(form.cleaned_data.get("villages") or []),
                start_date=obj.start_date,
            )
            obj.pk, obj.end_date = created.pk, created.end_date
            obj._state.adding = False
            return
        end = obj.end_date
        obj.end_date = UnitPairing.objects.get(pk=obj.pk).end_date
        obj.save()
        services.unit_pairing_term_change(
            pairing=obj,
            end_date=end,
            reason=form.cleaned_data.get("term_change_reason") or "",
            by=request.user,
        )
        obj.end_date = end


@admin.register(SupervisionGroup)
class SupervisionGroupAdmin(ScopedAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    filter_horizontal = ("members",)


@admin.register(AreaAssignment)
class AreaAssignmentAdmin(ScopedAdmin):
    list_display = ("user", "banner", "township", "village", "is_head")
    list_filter = ("is_head", "banner")
    search_fields = ("user__username", "user__full_name")
    list_select_related = ("user", "banner", "township", "village")
    autocomplete_fields = ("user",)


class SelectionReviewInline(admin.TabularInline):
    """R4: every review, newest first, with the rank and fitness the reviewer saw."""

    model = SelectionReview
    extra = 0
    can_delete = False
    fields = ("at", "decision", "reason", "rank", "is_outstanding", "fitness_for_duty", "reviewer")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class CadreForm(forms.ModelForm):
    """R4: approve or reject in the change form, through ``cadre_selection_review``."""

    review = forms.ChoiceField(
        label=_("Selection review (R4)"),
        required=False,
        choices=[("", "---"), ("approve", _("Approve")), ("reject", _("Reject"))],
    )
    review_reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject; kept in the review history."),
    )

    def clean(self):
        data = super().clean()
        if data.get("review") and self.instance.pk and not self.errors:
            try:
                service_dry_run(
                    services.cadre_selection_review,
                    cadre=self.instance,
                    reviewer=self.reviewer,
                    approve=data["review"] == "approve",
                    note=data.get("review_reason") or "",
                )
            except (DomainError, NotAllowed) as error:
                self.add_error("review", _refusal(error))
        return data


@admin.register(Cadre)
class CadreAdmin(ScopedAdmin):
    """R4: the selection status changes only by review (action or form), with history."""

    form = CadreForm
    list_display = (
        "name",
        "unit",
        "rank",
        "is_outstanding",
        "fitness_for_duty",
        "on_payroll",
        "selection_status",
        "insurance_end",
    )
    list_filter = ("selection_status", "rank", "expertise", "on_payroll", "unit")
    search_fields = ("name", "phone", "unit__name")
    list_select_related = ("unit",)
    readonly_fields = (
        "selection_status",
        "selection_reviewed_by",
        "selection_reviewed_at",
        "selection_note",
    )
    autocomplete_fields = ("user",)
    actions = ("approve_selection",)
    inlines = (SelectionReviewInline,)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.reviewer = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return [
                (name, {**opts, "fields": [f for f in opts["fields"] if "review" not in f]})
                for name, opts in fieldsets
            ]
        return fieldsets

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        decision = form.cleaned_data.get("review")
        if change and decision:
            services.cadre_selection_review(
                cadre=obj,
                reviewer=request.user,
                approve=decision == "approve",
                note=form.cleaned_data.get("review_reason") or "",
            )
            obj.refresh_from_db()

    @admin.action(description=_("Approve the selection (R4)"))
    def approve_selection(self, request, queryset):
        done = sum(
            self.run_service(
                request,
                services.cadre_selection_review,
                cadre=cadre,
                reviewer=request.user,
                approve=True,
            )
            for cadre in queryset
        )
        if done:
            self.message_user(request, _("%(n)d cadres approved.") % {"n": done}, messages.SUCCESS)


class NewMembershipFormSet(forms.BaseInlineFormSet):
    """New memberships are validated and saved by ``membership_add`` (R1, R3, R4)."""

    def clean(self):
        super().clean()
        open_leaders = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == MembershipRole.LEADER
        ]
        if len(open_leaders) > 1:
            raise forms.ValidationError(_("R1: a team needs exactly one leader."))
        for form in self.forms:
            if not form.has_changed() or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            try:
                services.membership_validate(
                    team=self.instance,
                    cadre=form.cleaned_data["cadre"],
                    role=form.cleaned_data["role"],
                    start_date=form.cleaned_data["start_date"],
                )
            except DomainError as error:
                form.add_error(None, error.message)

    def save_new(self, form, commit=True):
        data = form.cleaned_data
        return services.membership_add(
            team=self.instance,
            cadre=data["cadre"],
            role=data["role"],
            is_first_secretary=data.get("is_first_secretary", False),
            start_date=data["start_date"],
        )


class NewMembershipInline(admin.TabularInline):
    """Adding a cadre to a team: the same checks and service as the team pages."""

    model = Membership
    formset = NewMembershipFormSet
    extra = 0
    autocomplete_fields = ("cadre",)
    fields = ("cadre", "role", "is_first_secretary", "start_date")
    verbose_name_plural = _("add cadres")
    service_fields = ("cadre", "team", "role", "start_date")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return True


class MembershipFormSet(forms.BaseInlineFormSet):
    def save_existing(self, form, obj, commit=True):
        return services.membership_end(membership=obj, end_date=form.cleaned_data["end_date"])


class MembershipInline(admin.TabularInline):
    """Current and past memberships: only the end date changes, through ``membership_end``."""

    model = Membership
    formset = MembershipFormSet
    extra = 0
    can_delete = False
    fields = ("cadre", "role", "is_first_secretary", "start_date", "end_date")
    readonly_fields = ("cadre", "role", "is_first_secretary", "start_date")
    service_fields = ("end_date",)

    def has_add_permission(self, request, obj=None):
        return False


class TeamForm(TermForm):
    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("term_start"):
            try:
                service_dry_run(
                    services.team_create,
                    name=data.get("name") or "-",
                    village=data.get("village"),
                    unit=data.get("unit"),
                    term_start=data["term_start"],
                )
            except (DomainError, NotAllowed) as error:
                raise forms.ValidationError(_refusal(error)) from error
        return data


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    """R7: a new team's term comes from ``team_create``; changing it needs a reason. The
    status moves only by the actions (R1-R4, R8)."""

    form = TeamForm
    list_display = (
        "name",
        "village",
        "unit",
        "supervision_group",
        "status",
        "term_start",
        "term_end",
    )
    list_filter = ("status", "supervision_group", "village__township__banner", "unit")
    search_fields = ("name", "village__name", "unit__name")
    list_select_related = ("village", "unit", "supervision_group")
    autocomplete_fields = ("village", "unit")
    inlines = (NewMembershipInline, MembershipInline)
    actions = ("activate", "end_term")
    service_fields = ("term_end",)

    def get_inlines(self, request, obj):
        return self.inlines if obj else (NewMembershipInline,)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        base = ["name", "village", "unit", "supervision_group", "term_start"]
        if obj is None:
            return base + ["leader_exception_reason"]
        return base + [
            "term_end",
            "term_change_reason",
            "leader_exception_reason",
            "status",
            "activated_at",
            "ended_on",
            "rule_checks",
        ]

    def get_readonly_fields(self, request, obj=None):
        fixed = ("status", "activated_at", "ended_on", "rule_checks")
        return (*fixed, "village", "term_start") if obj else fixed

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.team_create(
                name=obj.name,
                village=obj.village,
                unit=obj.unit,
                term_start=obj.term_start,
                supervision_group=obj.supervision_group,
            )
            if obj.leader_exception_reason:
                created.leader_exception_reason = obj.leader_exception_reason
                created.save(update_fields=["leader_exception_reason"])
            obj.pk, obj.term_end, obj.status = created.pk, created.term_end, created.status
            obj._state.adding = False
            return
        term_end = obj.term_end
        obj.term_end = Team.objects.get(pk=obj.pk).term_end
        obj.save()
        services.team_term_change(
            team=obj,
            term_end=term_end,
            reason=form.cleaned_data.get("term_change_reason") or "",
            by=request.user,
        )
        obj.term_end = term_end

    @admin.display(description=_("Checks (R1, R2, R39)"))
    def rule_checks(self, obj):
        if not obj.pk:
            return "-"
        notes = services.team_strength_problems(obj) + services.team_expertise_advice(obj)
        return format_html_join(mark_safe("<br>"), "{}", ((note,) for note in notes)) or _("OK")

    @admin.action(description=_("Activate (station in the village)"))
    def activate(self, request, queryset):
        for team in queryset:
            if self.run_service(request, services.team_activate, team=team, by=request.user):
                self.message_user(
                    request, _("%(team)s is active.") % {"team": team}, messages.SUCCESS
                )

    @admin.action(description=_("End the term"))
    def end_term(self, request, queryset):
        for team in queryset:
            if self.run_service(request, services.team_end, team=team, by=request.user):
                self.message_user(
                    request, _("%(team)s has ended.") % {"team": team}, messages.SUCCESS
                )


class MembershipForm(forms.ModelForm):
    """R3/R4: a new membership passes ``membership_validate`` before it is saved."""

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                services.membership_validate(
                    team=data["team"],
                    cadre=data["cadre"],
                    role=data["role"],
                    start_date=data["start_date"],
                )
            except DomainError as error:
                raise forms.ValidationError(_refusal(error)) from error
        return data


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    """New memberships through ``membership_add``; existing ones only end (R3, R4)."""

    form = MembershipForm
    list_display = ("cadre", "team", "role", "is_first_secretary", "start_date", "end_date")
    list_filter = ("role", "is_first_secretary", "team__status")
    search_fields = ("cadre__name", "team__name")
    list_select_related = ("cadre", "team")
    autocomplete_fields = ("cadre", "team")
    service_fields = ("cadre", "team", "role", "start_date", "end_date")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("cadre", "team", "role", "is_first_secretary", "start_date")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            services.membership_end(membership=obj, end_date=obj.end_date)
            return
        created = services.membership_add(
            team=obj.team,
            cadre=obj.cadre,
            role=obj.role,
            is_first_secretary=obj.is_first_secretary,
            start_date=obj.start_date,
        )
        obj.pk = created.pk
        obj._state.adding = False


class HandoverItemInline(admin.TabularInline):
    """R8: the outgoing leader records the items on the handover page, not here."""

    model = HandoverItem
    extra = 0
    can_delete = False
    fields = ("kind", "done", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class HandoverForm(forms.ModelForm):
    """R8: the office may waive the leaders' confirmations, with a recorded reason."""

    waive_reason = forms.CharField(
        label=_("Waive the leaders' confirmations, because"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("R8: only the two leaders confirm; fill this only to waive, with the reason."),
    )

    class Meta:
        model = Handover
        fields = ()

    def clean(self):
        data = super().clean()
        reason = (data.get("waive_reason") or "").strip()
        if reason:
            try:
                service_dry_run(
                    services.handover_waive, handover=self.instance, by=self.user, reason=reason
                )
            except (DomainError, NotAllowed) as error:
                self.add_error("waive_reason", _refusal(error))
        return data


@admin.register(Handover)
class HandoverAdmin(ScopedAdmin):
    form = HandoverForm
    list_display = (
        "outgoing_team",
        "incoming_team",
        "outgoing_confirmed_at",
        "incoming_confirmed_at",
        "waived_at",
    )
    list_select_related = ("outgoing_team", "incoming_team")
    search_fields = ("outgoing_team__name", "incoming_team__name")
    inlines = (HandoverItemInline,)
    readonly_fields = (
        "outgoing_team",
        "incoming_team",
        "outgoing_confirmed_by",
        "outgoing_confirmed_at",
        "incoming_confirmed_by",
        "incoming_confirmed_at",
        "waived_by",
        "waived_at",
        "waiver_reason",
        "carried_over_at",
        "carry_over_note",
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        reason = (form.cleaned_data.get("waive_reason") or "").strip()
        if reason:
            services.handover_waive(handover=obj, by=request.user, reason=reason)


@admin.register(SelectionReview)
class SelectionReviewAdmin(ReadOnlyAdmin):
    list_display = ("cadre", "decision", "rank", "fitness_for_duty", "reviewer", "at")
    list_filter = ("decision", "rank")
    search_fields = ("cadre__name", "reason")
    list_select_related = ("cadre", "reviewer")

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(cadre__in=Cadre.objects.visible_to(request.user))
        )


@admin.register(TermChange)
class TermChangeAdmin(ReadOnlyAdmin):
    list_display = ("team", "pairing", "old_end", "new_end", "reason", "changed_by", "changed_at")
    list_select_related = ("team", "pairing", "changed_by")


@admin.register(IndividualRotation)
class IndividualRotationAdmin(ReadOnlyAdmin):
    """R9: requested and approved on the rotation pages; the admin shows the record."""

    list_display = ("team", "outgoing", "replacement", "status", "requested_at", "arrival_date")
    list_filter = ("status",)
    list_select_related = ("team", "outgoing__cadre", "replacement")


@admin.register(Talk)
class TalkAdmin(ReadOnlyAdmin):
    list_display = ("cadre", "date", "topic", "held_by")
    search_fields = ("cadre__name", "topic")
    list_select_related = ("cadre", "held_by")


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(ReadOnlyAdmin):
    list_display = ("cadre", "date", "prohibition", "recorded_by")
    search_fields = ("cadre__name", "prohibition")
    list_select_related = ("cadre", "recorded_by")


@admin.register(LeadersMeeting)
class LeadersMeetingAdmin(ReadOnlyAdmin):
    list_display = ("date", "title", "recorded_by")
