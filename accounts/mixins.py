"""View helpers shared by every app: role checks that answer 403 with a reason."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.roles import get_roles


class RoleRequiredMixin(LoginRequiredMixin):
    """Allow the view when ``allows(roles)`` is true; otherwise 403."""

    def allows(self, roles) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.allows(get_roles(request.user)):
            raise PermissionDenied(_("Your role does not give access to this page."))
        return super().dispatch(request, *args, **kwargs)
