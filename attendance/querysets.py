"""Scoping for attendance rows (DESIGN.md, Access): one ``visible_to`` per model."""

from __future__ import annotations

from django.db.models import Q

from accounts.roles import Roles
from accounts.scoping import ScopedQuerySet


class PersonalScopedQuerySet(ScopedQuerySet):
    """Rows about one cadre (leave, days, check-ins): the cadre, the team's leader and the
    people above the team; a plain member does not see teammates' rows."""

    def scope(self, user, roles: Roles) -> Q:
        from teams.models import Team

        member_only = roles.team_ids - roles.led_team_ids
        teams = Team.objects.visible_to(user).exclude(pk__in=member_only)
        own = Q(cadre_id=roles.cadre_id) if roles.cadre_id else Q(pk__in=[])
        return own | Q(team__in=teams)


class LeaveRequestQuerySet(PersonalScopedQuerySet):
    def open(self):
        from attendance.models import LeaveStatus

        return self.filter(status__in=(LeaveStatus.PENDING, LeaveStatus.APPROVED))


class AttendanceDayQuerySet(PersonalScopedQuerySet):
    pass
