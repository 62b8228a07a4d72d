"""Who a user is in the program, derived from data rather than stored flags.

A person can hold several roles at once (a supervisor who is also a unit contact); every
scoping function unions what each role allows. The result is computed once per user
object and cached on it, so a request pays for it once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from accounts.models import OFFICE_GROUP
from accounts.roles_cache import cached_roles

_CACHE_ATTR = "_program_roles"


@dataclass(frozen=True)
class Roles:
    is_authenticated: bool = False
    is_office: bool = False
    supervision_group_ids: frozenset[int] = field(default_factory=frozenset)
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    banner_ids: frozenset[int] = field(default_factory=frozenset)
    township_ids: frozenset[int] = field(default_factory=frozenset)
    village_ids: frozenset[int] = field(default_factory=frozenset)
    headed_township_ids: frozenset[int] = field(default_factory=frozenset)
    headed_village_ids: frozenset[int] = field(default_factory=frozenset)
    cadre_id: int | None = None
    team_ids: frozenset[int] = field(default_factory=frozenset)
    led_team_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_supervisor(self) -> bool:
        return bool(self.supervision_group_ids)

    @property
    def is_unit_contact(self) -> bool:
        return bool(self.unit_ids)

    @property
    def is_area_staff(self) -> bool:
        return bool(self.banner_ids or self.township_ids or self.village_ids)

    @property
    def is_leader(self) -> bool:
        return bool(self.led_team_ids)

    @property
    def is_cadre(self) -> bool:
        return self.cadre_id is not None

    @property
    def is_member(self) -> bool:
        return bool(self.team_ids - self.led_team_ids)

    def labels(self) -> list[str]:
        names = [
            (self.is_office, _("Office")),
            (self.is_supervisor, _("Supervision group")),
            (self.is_unit_contact, _("Unit contact")),
            # Which head, and of what: the village and the township head sign different
            # lines of the attendance sheet (R23).
            (bool(self.banner_ids), _("Banner staff")),
            (bool(self.headed_township_ids), _("Township head")),
            (bool(self.township_ids - self.headed_township_ids), _("Township staff")),
            (bool(self.headed_village_ids), _("Village head")),
            (bool(self.village_ids - self.headed_village_ids), _("Village staff")),
            (self.is_leader, _("Team leader")),
            (self.is_member, _("Team member")),
        ]
        return [str(label) for held, label in names if held]


def get_roles(user) -> Roles:
    """The roles of ``user``, cached on the user object."""
    if user is None or not user.is_authenticated:
        return Roles()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles = cached_roles(user, _compute_roles)  # across requests, see roles_cache
    setattr(user, _CACHE_ATTR, roles)
    return roles


# Facts about a user that live in apps above accounts (teams: areas, cadres, memberships)
# reach ``Roles`` through this registry, so accounts imports none of them.
RoleFacts = Callable[[object], dict]
_facts: list[RoleFacts] = []


def register_facts(source: RoleFacts) -> RoleFacts:
    """Add a source of ``Roles`` fields (a dict by field name), in ``AppConfig.ready``."""
    if source not in _facts:
        _facts.append(source)
    return source


def _compute_roles(user) -> Roles:
    facts: dict = {
        "is_authenticated": True,
        "is_office": user.is_superuser or user.groups.filter(name=OFFICE_GROUP).exists(),
    }
    for source in _facts:
        facts.update(source(user))
    return Roles(**facts)
