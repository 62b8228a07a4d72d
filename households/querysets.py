"""Scoping of the households app: every read goes through ``visible_to(user)``.

A household belongs to a village, so what a user sees follows
``Village.objects.visible_to(user)`` (DESIGN.md, Access).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accounts.roles import get_roles


def _visible_villages(user):
    from teams.models import Village

    return Village.objects.visible_to(user)


def stationed_village_ids(user) -> models.QuerySet:
    """Villages where ``user`` is a current cadre of the stationed team: they may write."""
    from teams.models import Team

    roles = get_roles(user)
    return (
        Team.objects.stationed().filter(pk__in=roles.team_ids).values_list("village_id", flat=True)
    )


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user) -> HouseholdQuerySet:
        roles = get_roles(user)
        if not roles.is_authenticated:
            return self.none()
        if roles.is_office:
            return self.all()
        return self.filter(village__in=_visible_villages(user))

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


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> VisitQuerySet:
        roles = get_roles(user)
        if not roles.is_authenticated:
            return self.none()
        if roles.is_office:
            return self.all()
        return self.filter(household__village__in=_visible_villages(user))


class DiaryEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> DiaryEntryQuerySet:
        roles = get_roles(user)
        if not roles.is_authenticated:
            return self.none()
        if roles.is_office:
            return self.all()
        return self.filter(village__in=_visible_villages(user))


class PairingQuerySet(models.QuerySet):
    def visible_to(self, user) -> PairingQuerySet:
        roles = get_roles(user)
        if not roles.is_authenticated:
            return self.none()
        if roles.is_office:
            return self.all()
        return self.filter(
            Q(household__village__in=_visible_villages(user)) | Q(cadre_id=roles.cadre_id)
        )

    def open(self) -> PairingQuerySet:
        return self.filter(end_date__isnull=True)


class IncomeCheckQuerySet(models.QuerySet):
    def visible_to(self, user) -> IncomeCheckQuerySet:
        roles = get_roles(user)
        if not roles.is_authenticated:
            return self.none()
        if roles.is_office:
            return self.all()
        return self.filter(household__village__in=_visible_villages(user))
