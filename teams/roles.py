"""What a user is in the teams' world, for ``accounts.roles.Roles``: supervision groups,
dispatching units, areas (and which they head), the cadre and their current teams."""

from __future__ import annotations

from django.utils import timezone

from teams.models import AreaAssignment, Cadre, Membership, MembershipRole


def team_role_facts(user) -> dict:
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
    return {
        "supervision_group_ids": group_ids,
        "unit_ids": unit_ids,
        "banner_ids": frozenset(banners),
        "township_ids": frozenset(townships),
        "village_ids": frozenset(villages),
        "headed_township_ids": frozenset(head_towns),
        "headed_village_ids": frozenset(head_villages),
        "cadre_id": cadre_id,
        "team_ids": frozenset(team_ids),
        "led_team_ids": frozenset(led),
    }
