"""Who a user is in the program, derived from data rather than stored flags.

A person can hold several roles at once (a supervisor who is also a unit contact); every
scoping function unions what each role allows. The result is computed once per user
object and cached on it, so a request pays for it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
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
            (self.is_area_staff, _("Banner / township staff")),
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


def forget_roles(user) -> None:
    """Drop the cached roles, e.g. after a membership changed within one request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute_roles(user) -> Roles:
    from teams.models import AreaAssignment, Cadre, Membership, MembershipRole

    is_office = user.is_superuser or user.groups.filter(name=OFFICE_GROUP).exists()
    group_ids = frozenset(user.supervision_groups.values_list("pk", flat=True))
    unit_ids = frozenset(user.contact_for_units.values_list("pk", flat=True))
    banners, townships, villages, head_towns, head_villages = set(), set(), set(), set(), set()
    for banner_id, township_id, village_id, is_head in AreaAssignment.objects.filter(
        user=user
    ).values_list("banner_id", "township_id", "village_id", "is_head"):
        if banner_id:
            banners.add(banner_id)
        if township_id:
            townships.add(township_id)
            if is_head:
                head_towns.add(township_id)
        if village_id:
            villages.add(village_id)
            if is_head:
                head_villages.add(village_id)
    cadre_id = Cadre.objects.filter(user=user).values_list("pk", flat=True).first()
    team_ids: set[int] = set()
    led: set[int] = set()
    if cadre_id:
        rows = Membership.objects.current(timezone.localdate()).filter(cadre_id=cadre_id)
        for team_id, role in rows.values_list("team_id", "role"):
            team_ids.add(team_id)
            if role == MembershipRole.LEADER:
                led.add(team_id)
    return Roles(
        is_authenticated=True,
        is_office=is_office,
        supervision_group_ids=group_ids,
        unit_ids=unit_ids,
        banner_ids=frozenset(banners),
        township_ids=frozenset(townships),
        village_ids=frozenset(villages),
        headed_township_ids=frozenset(head_towns),
        headed_village_ids=frozenset(head_villages),
        cadre_id=cadre_id,
        team_ids=frozenset(team_ids),
        led_team_ids=frozenset(led),
    )
