"""Scoping of the households app: every read goes through ``visible_to(user)``.

A household belongs to a village, so what a user sees follows
``Village.objects.visible_to(user)`` (DESIGN.md, Access).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accounts.roles import Roles, get_roles
from teams.querysets import VillageScopedQuerySet


def stationed_village_ids(user) -> models.QuerySet:
    """Villages where ``user`` is a current cadre of the stationed team: they may write."""
    from teams.models import Team

    roles = get_roles(user)
    return (
        Team.objects.stationed().filter(pk__in=roles.team_ids).values_list("village_id", flat=True)
    )


class HouseholdQuerySet(VillageScopedQuerySet):
    def editable_by(self, user) -> HouseholdQuerySet:
        """The office, and the cadres of the team stationed in the village."""
        roles = get_roles(user)
        if roles.is_office:
            return self.all()
        return self.filter(village_id__in=stationed_village_ids(user))

    def key(self) -> HouseholdQuerySet:
        return self.filter(key_q())


def key_q(prefix: str = "") -> Q:
    """R15: key households: disputes, unstable moods, special hardship, poor."""
    from households.models import POOR_STATUSES

    return (
        Q(**{f"{prefix}is_dispute": True})
        | Q(**{f"{prefix}is_unstable_mood": True})
        | Q(**{f"{prefix}is_special_hardship": True})
        | Q(**{f"{prefix}poverty_status__in": POOR_STATUSES})
    )


class VisitQuerySet(VillageScopedQuerySet):
    village_path = "household__village"


class DiaryEntryQuerySet(VillageScopedQuerySet):
    pass


class PairingQuerySet(VillageScopedQuerySet):
    """A pairing is seen with its household's village, and by the paired cadre (R33)."""

    village_path = "household__village"

    def scope(self, user, roles: Roles) -> Q:
        return super().scope(user, roles) | Q(cadre_id=roles.cadre_id)

    def open(self) -> PairingQuerySet:
        return self.filter(end_date__isnull=True)


class IncomeCheckQuerySet(VillageScopedQuerySet):
    village_path = "household__village"
