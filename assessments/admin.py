from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdmin
from assessments import services
from assessments.models import (
    AccountabilityCase,
    AdjustmentProposal,
    Assessment,
    AssessmentHistory,
    AssessmentVeto,
    CaseEvidence,
    GradeBand,
    Indicator,
    Plan,
    RatingRound,
    Recommendation,
    RoutineScore,
    VetoItem,
    VillageReview,
    WorkSummary,
)


class FrozenPlanInline(admin.TabularInline):
    """Plan rows; read-only once the plan is frozen (R37)."""

    extra = 0

    def _frozen(self, obj) -> bool:
        return bool(obj and obj.is_frozen)

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class IndicatorInline(FrozenPlanInline):
    model = Indicator
    fields = (
        "order",
        "code",
        "name",
        "weight",
        "source",
        "figure_key",
        "denominator_keys",
        "of_team",
        "scoring",
        "target",
    )


class GradeInline(FrozenPlanInline):
    model = GradeBand
    fields = ("rank", "name", "min_score", "is_excellent", "is_unfit")


class VetoInline(FrozenPlanInline):
    model = VetoItem
    fields = ("name", "cap")


@admin.register(Plan)
class PlanAdmin(ScopedAdmin):
    list_display = ("year", "title", "frozen_at", "decided_at", "filed_at", "published_at")
    readonly_fields = (
        "copied_from",
        "frozen_at",
        "decided_at",
        "decided_by",
        "decision_meeting",
        "filed_at",
        "filing_reference",
        "published_at",
    )
    inlines = [GradeInline, IndicatorInline, VetoInline]
    actions = ["copy_to_next_year", "begin_assessment"]

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.is_frozen:
            return ("year", "title", "notes", *self.readonly_fields)
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        """A new plan starts from the latest earlier plan, or the default one (R37)."""
        if change:
            services.plan_require_editable(Plan.objects.get(pk=obj.pk))
            return super().save_model(request, obj, form, change)
        plan = services.plan_create(year=obj.year, title=obj.title, by=request.user)
        plan.notes = obj.notes
        plan.save(update_fields=["notes"])
        obj.pk, obj.copied_from_id = plan.pk, plan.copied_from_id
        obj.frozen_at = plan.frozen_at

    @admin.action(description=_("Start next year's plan from a copy"))
    def copy_to_next_year(self, request, queryset):
        for plan in queryset:
            if self.run_service(
                request, services.plan_copy, plan=plan, year=plan.year + 1, by=request.user
            ):
                self.message_user(
                    request,
                    _("Plan %(year)d created.") % {"year": plan.year + 1},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Begin the annual assessment (freezes the plan)"))
    def begin_assessment(self, request, queryset):
        for plan in queryset:
            self.run_service(request, services.assessment_begin, plan=plan, by=request.user)


class HistoryInline(admin.TabularInline):
    model = AssessmentHistory
    extra = 0
    fields = ("at", "actor", "action", "status", "grade_name", "comment")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class VetoFindingInline(admin.TabularInline):
    model = AssessmentVeto
    extra = 0
    fields = ("item", "note", "evidence_url", "recorded_by", "recorded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    """Read-only: every step goes through the assessment pages, which keep the history."""

    list_display = ("cadre", "team", "plan", "kind", "status", "score", "grade")
    list_filter = ("plan", "kind", "status")
    search_fields = ("cadre__name", "team__name")
    list_select_related = ("cadre", "team", "plan", "grade")
    inlines = [VetoFindingInline, HistoryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoutineScore)
class RoutineScoreAdmin(ScopedAdmin):
    list_display = ("team", "plan", "quarter", "score", "scored_by")
    list_filter = ("plan", "quarter")
    list_select_related = ("team", "plan", "scored_by")
    readonly_fields = ("scored_by",)


@admin.register(WorkSummary)
class WorkSummaryAdmin(ScopedAdmin):
    list_display = ("cadre", "plan", "submitted_at", "score")
    list_filter = ("plan",)
    list_select_related = ("cadre", "plan")
    readonly_fields = ("cadre", "plan", "text", "scored_by")


@admin.register(RatingRound)
class RatingRoundAdmin(ScopedAdmin):
    list_display = ("team", "plan", "opened_at", "closed_at")
    list_filter = ("plan",)
    list_select_related = ("team", "plan")
    readonly_fields = ("plan", "team", "opened_by", "closed_at")

    def has_add_permission(self, request):
        return False


@admin.register(VillageReview)
class VillageReviewAdmin(ScopedAdmin):
    list_display = ("team", "plan", "stars", "at")
    list_select_related = ("team", "plan")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Recommendation)
class RecommendationAdmin(ScopedAdmin):
    list_display = ("assessment", "kind", "reason", "sent_at")
    list_filter = ("kind", "assessment__plan")
    list_select_related = ("assessment__cadre", "assessment__plan")
    readonly_fields = ("sent_at", "created_by")
    raw_id_fields = ("assessment",)


@admin.register(AdjustmentProposal)
class AdjustmentProposalAdmin(ScopedAdmin):
    list_display = ("cadre", "team", "deadline", "status", "replacement")
    list_filter = ("status",)
    list_select_related = ("cadre", "team", "replacement")
    readonly_fields = (
        "cadre",
        "team",
        "assessment",
        "reason",
        "deadline",
        "status",
        "created_by",
        "replacement",
        "replacement_note",
        "named_by",
        "named_at",
    )

    def has_add_permission(self, request):
        return False


class EvidenceInline(admin.TabularInline):
    model = CaseEvidence
    extra = 1
    fields = ("description", "url")


@admin.register(AccountabilityCase)
class AccountabilityCaseAdmin(ScopedAdmin):
    list_display = ("cadre", "kind", "decided_on", "unit")
    list_filter = ("kind",)
    search_fields = ("cadre__name", "summary")
    list_select_related = ("cadre", "unit")
    raw_id_fields = ("cadre",)
    readonly_fields = ("created_by",)
    inlines = [EvidenceInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
