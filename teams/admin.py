from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdmin
from accounts.errors import DomainError
from teams import services
from teams.models import (
    AreaAssignment,
    Banner,
    Cadre,
    DispatchingUnit,
    Handover,
    HandoverItem,
    Membership,
    MembershipRole,
    Policy,
    ProblemTag,
    SupervisionGroup,
    Team,
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


@admin.register(UnitPairing)
class UnitPairingAdmin(ScopedAdmin):
    list_display = ("unit", "township", "start_date", "end_date")
    list_filter = ("township__banner",)
    search_fields = ("unit__name", "township__name")
    list_select_related = ("unit", "township")
    filter_horizontal = ("villages",)


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


@admin.register(Cadre)
class CadreAdmin(ScopedAdmin):
    list_display = (
        "name",
        "unit",
        "rank",
        "expertise",
        "on_payroll",
        "selection_status",
        "insurance_end",
    )
    list_filter = ("selection_status", "rank", "expertise", "on_payroll", "unit")
    search_fields = ("name", "phone", "unit__name")
    list_select_related = ("unit",)
    readonly_fields = ("selection_status", "selection_reviewed_by", "selection_reviewed_at")
    autocomplete_fields = ("user",)
    actions = ("approve_selection",)

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


class MembershipInlineFormSet(forms.BaseInlineFormSet):
    """New memberships pass the same checks as the service (R1, R3, R4)."""

    def clean(self):
        super().clean()
        open_leaders = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == MembershipRole.LEADER
            and not form.cleaned_data.get("end_date")
        ]
        if len(open_leaders) > 1:
            raise forms.ValidationError(_("R1: a team needs exactly one leader."))
        for form in self.forms:
            if not form.has_changed() or form.instance.pk or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
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


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    autocomplete_fields = ("cadre",)
    fields = ("cadre", "role", "is_first_secretary", "start_date", "end_date")


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
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
    readonly_fields = ("status", "activated_at", "ended_on", "rule_checks")
    autocomplete_fields = ("village", "unit")
    inlines = (MembershipInline,)
    actions = ("activate", "end_term")

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


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ("cadre", "team", "role", "is_first_secretary", "start_date", "end_date")
    list_filter = ("role", "is_first_secretary", "team__status")
    search_fields = ("cadre__name", "team__name")
    list_select_related = ("cadre", "team")
    autocomplete_fields = ("cadre", "team")


class HandoverItemInline(admin.TabularInline):
    model = HandoverItem
    extra = 0


@admin.register(Handover)
class HandoverAdmin(ScopedAdmin):
    list_display = (
        "outgoing_team",
        "incoming_team",
        "outgoing_confirmed_at",
        "incoming_confirmed_at",
    )
    list_select_related = ("outgoing_team", "incoming_team")
    search_fields = ("outgoing_team__name", "incoming_team__name")
    inlines = (HandoverItemInline,)
