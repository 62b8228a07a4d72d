from django.contrib import admin

from accounts.admin_scoping import ScopedAdmin
from core.models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(ScopedAdmin):
    list_display = ("created_at", "user", "app", "kind", "row_count", "status")
    list_filter = ("app", "kind", "status")
    search_fields = ("user__username", "kind", "description")
    list_select_related = ("user",)
    readonly_fields = [f.name for f in ExportLog._meta.fields]
