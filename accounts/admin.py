from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "phone", "is_staff", "is_active", "last_login")
    search_fields = ("username", "full_name", "phone", "email")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Program"), {"fields": ("full_name", "phone")}),)

    def has_module_permission(self, request):
        from accounts.roles import get_roles

        return get_roles(request.user).is_office and super().has_module_permission(request)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "key", "created_at", "read_at")
    list_filter = ("read_at",)
    search_fields = ("title", "key", "user__username")
    list_select_related = ("user",)

    def get_queryset(self, request):
        from accounts.roles import get_roles

        queryset = super().get_queryset(request)
        return queryset if get_roles(request.user).is_office else queryset.none()
