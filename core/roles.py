"""Role predicates, written once each: who leads, supervises or belongs to a team, and who
the office is. Views, templates, services and querysets ask these (or ``get_roles``) and
never re-derive them. A team is anything with ``pk`` and ``supervision_group_id``.
"""

from __future__ import annotations

from accounts.roles import get_roles


def is_office(user) -> bool:
    return get_roles(user).is_office


def is_leader_of(user, team) -> bool:
    """The user leads ``team`` today (a current leader membership, R1)."""
    return team.pk in get_roles(user).led_team_ids


def is_member_of(user, team) -> bool:
    """The user is a current cadre of ``team``, leader or member."""
    return team.pk in get_roles(user).team_ids


def is_supervisor_of(user, team) -> bool:
    """The user sits on the supervision group that oversees ``team``."""
    return team.supervision_group_id in get_roles(user).supervision_group_ids
