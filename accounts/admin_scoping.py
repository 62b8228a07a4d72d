"""Admin changelists read through the same scoping as every view (DESIGN.md, Access)."""

from django.contrib import admin, messages

from accounts.errors import DomainError, NotAllowed
from accounts.roles import get_roles


class ScopedAdmin(admin.ModelAdmin):
    """Rows come from ``Model.objects.visible_to(user)``; models without it are office-only."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        return queryset if get_roles(request.user).is_office else queryset.none()

    def run_service(self, request, service, **kwargs) -> bool:
        """Call a service for an admin action; show its refusal as a message, not a 500."""
        try:
            service(**kwargs)
        except (DomainError, NotAllowed) as error:
            self.message_user(request, error.message, level=messages.ERROR)
            return False
        return True
