"""What the phone keeps for offline use: the cadre's own village only (issue 14)."""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.utils import timezone

from accounts.roles import get_roles
from attendance.models import CheckIn
from households import compliance
from households.idnumbers import shown_id_number
from households.models import Household, Member
from households.querysets import stationed_village_ids
from teams.models import Cadre, Membership


def _day(value) -> str:
    return "" if value is None or value == compliance.FAR_FUTURE else value.isoformat()


def offline_bundle(*, user, session_expires) -> dict:
    """The to-visit list and household cards of the user's stationed village, with ID
    numbers shown as this user may see them; nothing confidential (no R18 feedback, no
    other team's data). A fixed number of queries, whatever the village's size."""
    today = timezone.localdate()
    roles = get_roles(user)
    village_ids = list(stationed_village_ids(user))
    households = (
        compliance.with_compliance(
            Household.objects.visible_to(user).filter(village_id__in=village_ids), on=today
        )
        .select_related("village__township")
        .prefetch_related(Prefetch("members", queryset=Member.objects.order_by("relation", "pk")))
    )
    households = households.order_by(
        "due_sort", F("is_key_household").desc(), F("last_visit").asc(nulls_first=True), "pk"
    )
    cards = [
        {
            "id": household.pk,
            "head_name": household.head_name,
            "id_number": shown_id_number(
                user, village_id=household.village_id, value=household.head_id_number
            ),
            "village": f"{household.village.township.name} {household.village.name}",
            "group": household.group_name,
            "address": household.address,
            "phone": household.phone,
            "poverty_status": household.get_poverty_status_display(),
            "zone": household.get_zone_display() if household.zone else "",
            "is_key": bool(household.is_key_household),
            "due": _day(household.due_sort),
            "overdue": bool(household.overdue),
            "last_visit": _day(household.last_visit),
            "members": [
                {"name": member.name, "relation": member.get_relation_display()}
                for member in household.members.all()
            ],
        }
        for household in households
    ]
    teammates = Cadre.objects.filter(
        pk__in=Membership.objects.current(today).filter(team__in=roles.team_ids).values("cadre_id")
    ).order_by("name")
    return {
        "user": user.pk,
        "made_at": timezone.now().isoformat(),
        "expires": session_expires.isoformat(),
        "today": today.isoformat(),
        "checked_in_today": CheckIn.objects.filter(cadre_id=roles.cadre_id, date=today).exists(),
        "households": cards,
        "to_visit": [card["id"] for card in cards if card["due"]],
        "teammates": [{"id": cadre.pk, "name": cadre.name} for cadre in teammates],
        "me": roles.cadre_id,
    }
