from django.contrib import admin

from accounts.admin_scoping import ScopedAdmin
from accounts.roles import get_roles
from reports.models import (
    Attachment,
    Errand,
    Feedback,
    LedgerRecord,
    Report,
    ReportEvent,
)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("file", "name", "is_image", "uploaded_by", "uploaded_at")
    readonly_fields = ("uploaded_by", "uploaded_at")


@admin.register(LedgerRecord)
class LedgerRecordAdmin(ScopedAdmin):
    list_display = ("date", "kind", "title", "team", "case_status")
    list_filter = ("kind", "case_status", "team__village__township__banner")
    search_fields = ("title", "text", "team__name", "project_name")
    list_select_related = ("team",)
    date_hierarchy = "date"
    autocomplete_fields = ()
    raw_id_fields = ("team", "cadre", "created_by")
    filter_horizontal = ("participants",)
    inlines = [AttachmentInline]


@admin.register(Attachment)
class AttachmentAdmin(ScopedAdmin):
    list_display = ("name", "record", "is_image", "uploaded_at")
    list_filter = ("is_image",)
    search_fields = ("name", "record__title")
    list_select_related = ("record",)
    raw_id_fields = ("record", "uploaded_by")


@admin.register(Errand)
class ErrandAdmin(ScopedAdmin):
    list_display = ("description", "requester", "team", "status", "accepted_on", "done_on")
    list_filter = ("status",)
    search_fields = ("description", "requester", "team__name")
    list_select_related = ("team",)
    raw_id_fields = ("team", "service_day")


@admin.register(Feedback)
class FeedbackAdmin(ScopedAdmin):
    """R18: the admin reads through Feedback.visible_to, and only the office edits."""

    list_display = ("subject", "category", "team", "status", "created_at")
    list_filter = ("category", "status")
    search_fields = ("subject", "team__name")
    list_select_related = ("team",)
    raw_id_fields = ("team", "sender")

    def has_module_permission(self, request):
        return get_roles(request.user).is_office and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return get_roles(request.user).is_office and super().has_view_permission(request, obj)


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    readonly_fields = ("action", "actor", "comment", "at")
    can_delete = False


@admin.register(Report)
class ReportAdmin(ScopedAdmin):
    list_display = ("team", "kind", "period_start", "deadline", "status", "submitted_at")
    list_filter = ("kind", "status", "period_start")
    search_fields = ("team__name", "narrative")
    list_select_related = ("team",)
    raw_id_fields = ("team", "submitted_by", "reviewed_by")
    readonly_fields = ("appendix",)
    inlines = [ReportEventInline]
