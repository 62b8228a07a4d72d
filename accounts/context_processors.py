from django.utils.functional import SimpleLazyObject

from accounts.notifications import unread_count
from accounts.roles import get_roles


def roles(request):
    """Expose the user's program roles and unread-notification count to every template."""
    user = getattr(request, "user", None)
    return {
        "roles": get_roles(user),
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user) if user else 0),
    }
