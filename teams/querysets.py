"""Scoping: the one place that says which rows a user may see (DESIGN.md, Access).

Every view, admin changelist and export reads through ``visible_to(user)``. Rows that
belong to a team or a village elsewhere subclass ``TeamScopedQuerySet`` or
``VillageScopedQuerySet`` and name the path to it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from accounts.roles import Roles
from accounts.scoping import ScopedQuerySet
from teams.statuses import CURRENT_STATUSES, STATIONED_STATUSES


class TeamQuerySet(ScopedQuerySet):
    def scope(self, user, roles: Roles) -> Q:
        return (
            Q(pk__in=roles.team_ids)
            | Q(supervision_group_id__in=roles.supervision_group_ids)
            | Q(unit_id__in=roles.unit_ids)
            | Q(village__township__banner_id__in=roles.banner_ids)
            | Q(village__township_id__in=roles.township_ids)
            | Q(village_id__in=roles.village_ids)
        )

    def stationed(self) -> TeamQuerySet:
        """Teams present in their village: active, or handing over at rotation (R8)."""
        return self.filter(status__in=STATIONED_STATUSES)


class TeamScopedQuerySet(ScopedQuerySet):
    """Rows of a team: whoever sees the team sees them."""

    team_path = "team"

    def scope(self, user, roles: Roles) -> Q:
        from teams.models import Team

        return Q(**{f"{self.team_path}__in": Team.objects.visible_to(user)})


class VillageQuerySet(ScopedQuerySet):
    def scope(self, user, roles: Roles) -> Q:
        from teams.models import Team

        return (
            Q(pk__in=Team.objects.visible_to(user).values("village_id"))
            | Q(township__banner_id__in=roles.banner_ids)
            | Q(township_id__in=roles.township_ids)
            | Q(pk__in=roles.village_ids)
        )


class VillageScopedQuerySet(ScopedQuerySet):
    """Rows of a village (households, visits): whoever sees the village sees them."""

    village_path = "village"

    def scope(self, user, roles: Roles) -> Q:
        from teams.models import Village

        return Q(**{f"{self.village_path}__in": Village.objects.visible_to(user)})


class TownshipQuerySet(ScopedQuerySet):
    def scope(self, user, roles: Roles) -> Q:
        from teams.models import Village

        return Q(pk__in=Village.objects.visible_to(user).values("township_id"))


class BannerQuerySet(ScopedQuerySet):
    def scope(self, user, roles: Roles) -> Q:
        from teams.models import Village

        return Q(pk__in=Village.objects.visible_to(user).values("township__banner_id"))


class DispatchingUnitQuerySet(ScopedQuerySet):
    def scope(self, user, roles: Roles) -> Q:
        from teams.models import Team

        return Q(pk__in=roles.unit_ids) | Q(pk__in=Team.objects.visible_to(user).values("unit_id"))


class CadreQuerySet(ScopedQuerySet):
    """Office: all; unit contact: the unit's cadres; others: cadres of visible teams."""

    def scope(self, user, roles: Roles) -> Q:
        from teams.models import Membership, Team

        in_visible_teams = Membership.objects.filter(
            team__in=Team.objects.visible_to(user)
        ).values("cadre_id")
        return Q(pk=roles.cadre_id) | Q(unit_id__in=roles.unit_ids) | Q(pk__in=in_visible_teams)


class MembershipQuerySet(TeamScopedQuerySet):
    def current(self, on: date) -> MembershipQuerySet:
        """Memberships open on ``on`` in a team that is forming or stationed."""
        return self.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on),
            start_date__lte=on,
            team__status__in=CURRENT_STATUSES,
        )
