"""Who sees which assessment rows (DESIGN.md, Access; R37 publication)."""

from __future__ import annotations

from django.db.models import Q

from accounts.roles import Roles
from accounts.scoping import ScopedQuerySet
from teams.querysets import TeamScopedQuerySet


def _cadre_record_scope(roles: Roles, cadre_path: str, team_path: str) -> Q:
    """A cadre's own record: the cadre, the unit's contacts, the team's supervisors and
    the team's area staff; teammates do not see each other's records."""
    return (
        Q(**{f"{cadre_path}_id": roles.cadre_id})
        | Q(**{f"{cadre_path}__unit_id__in": roles.unit_ids})
        | Q(**{f"{team_path}__supervision_group_id__in": roles.supervision_group_ids})
        | Q(**{f"{team_path}__village__township__banner_id__in": roles.banner_ids})
        | Q(**{f"{team_path}__village__township_id__in": roles.township_ids})
        | Q(**{f"{team_path}__village_id__in": roles.village_ids})
    )


class AssessmentQuerySet(ScopedQuerySet):
    """Before publication: the office, the cadre, the unit, the supervisors and the area.
    After publication every user reads the results through ``published()``."""

    def scope(self, user, roles: Roles) -> Q:
        return _cadre_record_scope(roles, "cadre", "team")

    def published(self) -> AssessmentQuerySet:
        return self.filter(status="published")


class TeamRowQuerySet(TeamScopedQuerySet):
    pass


class AdjustmentQuerySet(ScopedQuerySet):
    def scope(self, user, roles: Roles) -> Q:
        return _cadre_record_scope(roles, "cadre", "team")


class CadreRowQuerySet(ScopedQuerySet):
    """Recommendations and cases: the cadre, the unit, and the supervisors of a team the
    cadre served in."""

    cadre_path = "cadre"

    def scope(self, user, roles: Roles) -> Q:
        from teams.models import Membership

        supervised = Membership.objects.filter(
            team__supervision_group_id__in=roles.supervision_group_ids
        ).values("cadre_id")
        path = self.cadre_path
        return (
            Q(**{f"{path}_id": roles.cadre_id})
            | Q(**{f"{path}__unit_id__in": roles.unit_ids})
            | Q(**{f"{path}_id__in": supervised})
        )


class RecommendationQuerySet(CadreRowQuerySet):
    cadre_path = "assessment__cadre"
