"""Scoping for attendance rows (DESIGN.md, Access): one ``visible_to`` per model."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accounts.roles import get_roles


class TeamScopedQuerySet(models.QuerySet):
    """Rows of a team: whoever sees the team sees them (sheets)."""

    def visible_to(self, user):
        from teams.models import Team

        roles = get_roles(user)
        if not roles.is_authenticated:
            return self.none()
        if roles.is_office:
            return self.all()
        return self.filter(team__in=Team.objects.visible_to(user))


class PersonalScopedQuerySet(models.QuerySet):
    """Rows about one cadre (leave, days, check-ins): the cadre, the team's leader and the
    people above the team; a plain member does not see teammates' rows."""

    def visible_to(self, user):
        from teams.models import Team

        roles = get_roles(user)
        if not roles.is_authenticated:
            return self.none()
        if roles.is_office:
            return self.all()
        member_only = roles.team_ids - roles.led_team_ids
        teams = Team.objects.visible_to(user).exclude(pk__in=member_only)
        own = Q(cadre_id=roles.cadre_id) if roles.cadre_id else Q(pk__in=[])
        return self.filter(own | Q(team__in=teams))


class LeaveRequestQuerySet(PersonalScopedQuerySet):
    def open(self):
        from attendance.models import LeaveStatus

        return self.filter(status__in=(LeaveStatus.PENDING, LeaveStatus.APPROVED))


class AttendanceDayQuerySet(PersonalScopedQuerySet):
    pass
