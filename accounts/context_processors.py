from accounts.roles import get_roles


def roles(request):
    """Expose the user's program roles to every template (navigation, home links)."""
    return {"roles": get_roles(getattr(request, "user", None))}
