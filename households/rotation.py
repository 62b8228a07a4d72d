"""R8/R9: what the households app hands over when a team or one cadre rotates."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from households.models import POOR_STATUSES, Household, Pairing
from households.selectors import open_pairing_exists


@transaction.atomic
def personal_work_carry_over(*, membership, replacement, on: date) -> str:
    """R9: the leaving cadre's households in the team's village pass to the replacement,
    whose R13 first-visit clock for them starts on arrival (``on``)."""
    pairings = list(
        Pairing.objects.open()
        .filter(cadre_id=membership.cadre_id, household__village_id=membership.team.village_id)
        .select_for_update()
    )
    if not pairings:
        return ""
    end = max(on - timedelta(days=1), min(p.start_date for p in pairings))
    Pairing.objects.filter(pk__in=[p.pk for p in pairings]).update(end_date=end)
    Pairing.objects.bulk_create(
        Pairing(household_id=p.household_id, cadre=replacement, start_date=on) for p in pairings
    )
    return _("%(n)d paired households passed from %(old)s to %(new)s.") % {
        "n": len(pairings),
        "old": membership.cadre.name,
        "new": replacement.name,
    }


def team_households_carry_over(*, outgoing, incoming, on: date) -> str:
    """R8/R33: the village's unpaired poor households are now the incoming team's to pair
    (households belong to the village, so they need no move; the count is recorded)."""
    unpaired = (
        Household.objects.filter(village_id=incoming.village_id, poverty_status__in=POOR_STATUSES)
        .filter(~open_pairing_exists())
        .count()
    )
    if not unpaired:
        return ""
    return _("%(n)d unpaired poor households are for %(team)s to pair.") % {
        "n": unpaired,
        "team": incoming,
    }


def roster_household_counts(village_ids) -> dict[int, int]:
    """R30: households on each village's roster, for the reach of practical projects."""
    from django.db.models import Count

    return dict(
        Household.objects.filter(village_id__in=list(village_ids))
        .order_by()
        .values("village_id")
        .annotate(n=Count("pk"))
        .values_list("village_id", "n")
    )
