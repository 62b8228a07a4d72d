"""Admin changelists read through the same scoping as every view (DESIGN.md, Access)."""

from django.contrib import admin, messages
from django.db import transaction

from accounts.errors import DomainError, NotAllowed
from accounts.roles import get_roles

# Reference rows that carry no history and no money may be deleted in the admin. Every
# other record (sheets, leave, households, visits, ledger, policies ...) is kept: it is
# corrected through its service, reopened with a reason, or ended (issue 11, finding 7).
DELETABLE_IN_ADMIN = frozenset(
    {"accounts.Notification", "teams.ProblemTag", "teams.AreaAssignment", "teams.HandoverItem"}
)


def admin_may_delete(model) -> bool:
    return model._meta.label in DELETABLE_IN_ADMIN


class ScopedAdmin(admin.ModelAdmin):
    """Rows come from ``Model.objects.visible_to(user)``; models without it are office-only."""

    def has_delete_permission(self, request, obj=None):
        return admin_may_delete(self.model) and super().has_delete_permission(request, obj)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if not admin_may_delete(inline.model):
                inline.can_delete = False
        return inlines

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


class _DryRun(Exception):
    pass


def service_dry_run(service, **kwargs) -> None:
    """Run a service inside a savepoint that is always rolled back, so that an admin form's
    ``clean()`` shows the service's refusal as a form error before anything is saved; the
    admin's ``save_model`` then calls the same service for real."""
    try:
        with transaction.atomic():
            service(**kwargs)
            raise _DryRun
    except _DryRun:
        pass


class ReadOnlyAdmin(ScopedAdmin):
    """Rows that only a workflow writes: the admin lists and shows them, never edits."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
