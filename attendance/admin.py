from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ReadOnlyAdmin, ScopedAdmin
from attendance import services
from attendance.models import (
    AllowancePayment,
    AttendanceDay,
    AttendanceSheet,
    CheckIn,
    DayChange,
    LeaveChainRule,
    LeaveRequest,
    LeaveStep,
    SheetEvent,
)


@admin.register(LeaveChainRule)
class LeaveChainRuleAdmin(ScopedAdmin):
    """R21: the office edits the approval chain; a new row applies from its date."""

    list_display = ("requester_role", "max_days", "steps", "effective_from", "description")
    list_filter = ("requester_role", "effective_from")
    search_fields = ("steps", "description")


class LeaveStepInline(admin.TabularInline):
    model = LeaveStep
    extra = 0
    can_delete = False
    readonly_fields = ("step", "body", "action", "actor", "at", "comment")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ScopedAdmin):
    list_display = (
        "cadre",
        "team",
        "kind",
        "start_date",
        "end_date",
        "days",
        "status",
        "pending_with",
    )
    list_filter = ("status", "kind", "requester_role", "pending_with")
    search_fields = ("cadre__name", "team__name", "reason")
    list_select_related = ("cadre", "team")
    date_hierarchy = "start_date"
    inlines = [LeaveStepInline]
    readonly_fields = [f.name for f in LeaveRequest._meta.fields if f.name not in ("id",)]

    def has_add_permission(self, request):
        return False


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    """R23: check-ins are evidence; tamper-evident, so nobody edits them here."""

    list_display = ("cadre", "team", "date", "at", "flag", "distance_m", "accuracy_m")
    list_filter = ("flag", "date")
    search_fields = ("cadre__name", "team__name")
    list_select_related = ("cadre", "team")
    date_hierarchy = "date"


@admin.register(AttendanceDay)
class AttendanceDayAdmin(ScopedAdmin):
    """Read-only here: days change through the grid so history is kept (R23)."""

    list_display = ("cadre", "team", "date", "status", "source", "updated_by", "updated_at")
    list_filter = ("status", "source", "date")
    search_fields = ("cadre__name", "team__name")
    list_select_related = ("cadre", "team", "updated_by")
    date_hierarchy = "date"

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SheetEventInline(admin.TabularInline):
    model = SheetEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "actor", "at", "comment")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AttendanceSheet)
class AttendanceSheetAdmin(ScopedAdmin):
    list_display = ("team", "month", "status", "submitted_at", "issued_at", "locked_at")
    list_filter = ("status", "month", "team__village__township__banner")
    search_fields = ("team__name", "team__village__name")
    list_select_related = ("team",)
    inlines = [SheetEventInline]
    readonly_fields = [f.name for f in AttendanceSheet._meta.fields if f.name != "id"]
    actions = ("lock_sheets",)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Lock the issued sheets"))
    def lock_sheets(self, request, queryset):
        done = sum(
            self.run_service(
                request, services.attendance_sheet_lock, sheet=sheet, user=request.user
            )
            for sheet in queryset
        )
        if done:
            self.message_user(request, _("%(n)d sheets locked.") % {"n": done}, messages.SUCCESS)


@admin.register(DayChange)
class DayChangeAdmin(ScopedAdmin):
    list_display = (
        "cadre",
        "team",
        "date",
        "before",
        "after",
        "source",
        "changed_by",
        "changed_at",
    )
    list_filter = ("source", "changed_at")
    search_fields = ("cadre__name", "team__name")
    list_select_related = ("cadre", "team", "changed_by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AllowancePayment)
class AllowancePaymentAdmin(ReadOnlyAdmin):
    """R34: recorded once per sheet by the unit on the sheets page."""

    list_display = ("sheet", "paid_on", "amount", "paid_by", "recorded_at")
    list_select_related = ("sheet__team", "paid_by")
