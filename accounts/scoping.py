"""The one shape every ``visible_to(user)`` takes (DESIGN.md, Access)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accounts.roles import Roles, get_roles


class ScopedQuerySet(models.QuerySet):
    """Nothing for an anonymous visitor, everything for the office, and for anyone else the
    rows that ``scope(user, roles)`` selects. Subclasses say only the last part."""

    def visible_to(self, user):
        roles = get_roles(user)
        if not roles.is_authenticated:
            return self.none()
        if roles.is_office:
            return self.all()
        return self.filter(self.scope(user, roles))

    def scope(self, user, roles: Roles) -> Q:
        raise NotImplementedError(f"{type(self).__name__} must say which rows a user sees.")
