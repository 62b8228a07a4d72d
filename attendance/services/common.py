"""People helpers shared by the attendance workflows (the calendar is core.periods)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, NotAllowed
from accounts.models import User
from teams.models import Cadre, Membership, MembershipRole, Team
from teams.statuses import STATIONED_STATUSES

# ---------------------------------------------------------------------------- people


def cadre_of(user) -> Cadre:
    cadre = Cadre.objects.filter(user=user).first() if user.is_authenticated else None
    if cadre is None:
        raise NotAllowed(_("Only a stationed cadre can do this."))
    return cadre


def current_membership(cadre: Cadre, on: date) -> Membership:
    membership = (
        Membership.objects.current(on)
        .filter(cadre=cadre, team__status__in=STATIONED_STATUSES)
        .select_related("team__village", "team__supervision_group")
        .order_by("-start_date")
        .first()
    )
    if membership is None:
        raise DomainError(_("You are not a member of a stationed team on %(day)s.") % {"day": on})
    return membership


def team_leader_user(team: Team, on: date | None = None) -> User | None:
    on = on or timezone.localdate()
    membership = (
        Membership.objects.current(on)
        .filter(team=team, role=MembershipRole.LEADER)
        .select_related("cadre__user")
        .first()
    )
    return membership.cadre.user if membership and membership.cadre.user_id else None
