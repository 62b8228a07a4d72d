"""Scoping: the one place that says which rows a user may see (DESIGN.md, Access).

Every view, admin changelist and export reads through ``visible_to(user)``. Other apps
scope their own rows by team or village with ``Team.objects.visible_to(user)`` or
``Village.objects.visible_to(user)`` as a subquery.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from accounts.roles import get_roles

STATIONED = ("forming", "active", "handover")


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user) -> TeamQuerySet:
        roles = get_roles(user)
        if not roles.is_authenticated:
            return self.none()
        if roles.is_office:
            return self.all()
        return self.filter(
            Q(pk__in=roles.team_ids)
            | Q(supervision_group_id__in=roles.supervision_group_ids)
            | Q(unit_id__in=roles.unit_ids)
            | Q(village__township__banner_id__in=roles.banner_ids)
            | Q(village__township_id__in=roles.township_ids)
            | Q(village_id__in=roles.village_ids)
        )

    def stationed(self) -> TeamQuerySet:
        """Teams present in their village: active, or handing over at rotation (R8)."""
        return self.filter(status__in=("active", "handover"))


class VillageQuerySet(models.QuerySet):
    def visible_to(self, user) -> VillageQuerySet:
        roles = get_roles(user)
        if not roles.is_authenticated:
            return self.none()
        if roles.is_office:
            return self.all()
        from teams.models import Team

        team_villages = Team.objects.visible_to(user).values("village_id")
        return self.filter(
            Q(pk__in=team_villages)
            | Q(township__banner_id__in=roles.banner_ids)
            | Q(township_id__in=roles.township_ids)
            | Q(pk__in=roles.village_ids)
        )


class TownshipQuerySet(models.QuerySet):
    def visible_to(self, user) -> TownshipQuerySet:
        roles = get_roles(user)
        if roles.is_office:
            return self.all()
        from teams.models import Village

        return self.filter(pk__in=Village.objects.visible_to(user).values("township_id"))


class BannerQuerySet(models.QuerySet):
    def visible_to(self, user) -> BannerQuerySet:
        roles = get_roles(user)
        if roles.is_office:
            return self.all()
        from teams.models import Village

        return self.filter(pk__in=Village.objects.visible_to(user).values("township__banner_id"))


class DispatchingUnitQuerySet(models.QuerySet):
    def visible_to(self, user) -> DispatchingUnitQuerySet:
        roles = get_roles(user)
        if not roles.is_authenticated:
            return self.none()
        if roles.is_office:
            return self.all()
        from teams.models import Team

        return self.filter(
            Q(pk__in=roles.unit_ids) | Q(pk__in=Team.objects.visible_to(user).values("unit_id"))
        )


class CadreQuerySet(models.QuerySet):
    def visible_to(self, user) -> CadreQuerySet:
        """Office: all; unit contact: the unit's cadres; others: cadres of visible teams."""
        roles = get_roles(user)
        if not roles.is_authenticated:
            return self.none()
        if roles.is_office:
            return self.all()
        from teams.models import Membership, Team

        in_visible_teams = Membership.objects.filter(
            team__in=Team.objects.visible_to(user)
        ).values("cadre_id")
        return self.filter(
            Q(pk=roles.cadre_id) | Q(unit_id__in=roles.unit_ids) | Q(pk__in=in_visible_teams)
        )


class MembershipQuerySet(models.QuerySet):
    def current(self, on: date) -> MembershipQuerySet:
        """Memberships open on ``on`` in a team that is forming or stationed."""
        return self.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on),
            start_date__lte=on,
            team__status__in=STATIONED,
        )

    def visible_to(self, user) -> MembershipQuerySet:
        from teams.models import Team

        return self.filter(team__in=Team.objects.visible_to(user))
