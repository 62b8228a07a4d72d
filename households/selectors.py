"""Reads of households and visits, scoped to the user and shaped to avoid N+1 queries.

Other apps read households' figures through ``core.figures`` (``households.figures``).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import get_roles
from households import compliance
from households.models import (
    POOR_STATUSES,
    DiaryEntry,
    Household,
    Pairing,
    Visit,
    ZoneChange,
)
from households.querysets import key_q, stationed_village_ids
from teams import policies
from teams.models import Team, Village
from teams.policies import policy_int
from teams.statuses import STATIONED_STATUSES


def household_list(
    *,
    user,
    search: str = "",
    poverty_status: str = "",
    zone: str = "",
    key_only: bool = False,
    village_id: int | None = None,
) -> QuerySet[Household]:
    households = (
        Household.objects.visible_to(user)
        .select_related("village__township__banner")
        .order_by("village__township__banner__code", "village__name", "group_name", "head_name")
    )
    if search:
        households = households.filter(
            Q(head_name__icontains=search)
            | Q(village__name__icontains=search)
            | Q(group_name__icontains=search)
            | Q(members__name__icontains=search)
        ).distinct()
    if poverty_status:
        households = households.filter(poverty_status=poverty_status)
    if zone:
        households = households.filter(zone=zone)
    if key_only:
        households = households.filter(key_q())
    if village_id:
        households = households.filter(village_id=village_id)
    return households


def household_detail(*, user, pk: int) -> Household:
    households = (
        Household.objects.visible_to(user)
        .select_related("village__township__banner")
        .prefetch_related(
            "members",
            Prefetch(
                "visits",
                queryset=Visit.objects.select_related("logged_by")
                .prefetch_related("visitors", "photos")
                .order_by("-date", "-pk"),
            ),
            Prefetch(
                "pairings", queryset=Pairing.objects.select_related("cadre__unit").order_by("-pk")
            ),
            "income_checks",
            Prefetch(
                "zone_changes",
                queryset=ZoneChange.objects.select_related("changed_by").order_by("-pk"),
            ),
        )
    )
    return get_object_or_404(households, pk=pk)


def household_compliance(*, household: Household, on: date | None = None) -> Household:
    """R13-R15 status of one household (the annotated row, one query)."""
    on = on or timezone.localdate()
    return compliance.with_compliance(Household.objects.filter(pk=household.pk), on=on).get()


def visit_detail(*, user, pk: int) -> Visit:
    visits = Visit.objects.visible_to(user).select_related("household__village", "team")
    return get_object_or_404(visits.prefetch_related("visitors", "photos"), pk=pk)


def to_visit(
    *,
    user,
    on: date | None = None,
    overdue_only: bool = False,
    period: compliance.Period | None = None,
) -> QuerySet[Household]:
    """A cadre's "to visit" list: households of their stationed village with something due,
    most urgent first (earliest due date, key households first, longest unvisited)."""
    on = on or timezone.localdate()
    # The few village ids as literals: the planner then starts from those villages'
    # households instead of computing every household's due date first.
    village_ids = list(stationed_village_ids(user))
    households = Household.objects.visible_to(user).filter(village_id__in=village_ids)
    rows = compliance.with_compliance(households, on=on, period=period).filter(
        due_sort__lt=compliance.FAR_FUTURE
    )
    if overdue_only:
        rows = rows.filter(due_sort__lt=on)
    return rows.select_related("village").order_by(
        "due_sort", F("is_key_household").desc(), F("last_visit").asc(nulls_first=True), "pk"
    )


def team_visit_coverage(
    team: Team, on: date | None = None, *, period: compliance.Period | None = None
) -> dict:
    """R13-R15 coverage of ``team``'s village on ``on`` (one query).

    Returns total, initial, yearly, key_total, key_quarter, overdue (counts) and
    initial_pct, yearly_pct, key_quarter_pct (floats, None when there is nothing to count).
    Not scoped: callers pass a team the user may already see.
    """
    on = on or timezone.localdate()
    return compliance.coverage(
        Household.objects.filter(village_id=team.village_id), on=on, period=period
    )


def visible_team(*, user, pk: int) -> Team:
    teams = Team.objects.visible_to(user).select_related("village__township__banner")
    return get_object_or_404(teams, pk=pk)


def team_overdue_households(
    *, team: Team, on: date, period: compliance.Period | None = None
) -> QuerySet[Household]:
    households = Household.objects.filter(village_id=team.village_id)
    return (
        compliance.with_compliance(households, on=on, period=period)
        .filter(due_sort__lt=on)
        .order_by("due_sort", "pk")
    )


def city_coverage(*, user, on: date | None = None, banner_id: int | None = None) -> dict:
    """Office view: coverage by village (one GROUP BY query), summed up to banners."""
    on = on or timezone.localdate()
    # Households follow their village's visibility, so a village's kept coverage row
    # (compliance.village_coverage) serves every user who may see that village.
    villages = Village.objects.visible_to(user).filter(
        Exists(Household.objects.filter(village=OuterRef("pk")))
    )
    if banner_id:
        villages = villages.filter(township__banner_id=banner_id)
    names = list(
        villages.order_by(
            "township__banner__code", "township__banner__name", "township__name", "name", "pk"
        ).values(
            "township__banner__code",
            "township__banner__name",
            "township__name",
            "name",
            "pk",
        )
    )
    counts = compliance.village_coverage([row["pk"] for row in names], on=on)
    by_village = [
        compliance.with_percentages(
            {
                "village__township__banner__code": row["township__banner__code"],
                "village__township__banner__name": row["township__banner__name"],
                "village__township__name": row["township__name"],
                "village__name": row["name"],
                "village_id": row["pk"],
            }
            | counts[row["pk"]]
        )
        for row in names
    ]
    banners: dict[str, dict] = {}
    counts = ("total", "initial", "yearly", "key_total", "key_quarter", "overdue")
    for row in by_village:  # at most one row per village, never per household
        banner = banners.setdefault(
            row["village__township__banner__code"],
            {"village__township__banner__name": row["village__township__banner__name"]}
            | dict.fromkeys(counts, 0),
        )
        for name in counts:
            banner[name] += row[name]
    by_banner = [compliance.with_percentages(row) for row in banners.values()]
    return {"by_banner": by_banner, "by_village": by_village}


def open_pairing_exists() -> Exists:
    return Exists(Pairing.objects.filter(household=OuterRef("pk"), end_date__isnull=True))


def unpaired_poor_households(*, user) -> QuerySet[Household]:
    """R33: registered poor and monitored households without an open pairing."""
    return (
        Household.objects.visible_to(user)
        .filter(poverty_status__in=POOR_STATUSES)
        .filter(~open_pairing_exists())
        .select_related("village__township__banner")
        .order_by(F("poor_since").desc(nulls_last=True), "village__name", "head_name", "pk")
    )


def diary_entries(*, user) -> QuerySet[DiaryEntry]:
    return (
        DiaryEntry.objects.visible_to(user)
        .select_related("village", "author", "team")
        .order_by("-date", "-pk")
    )


def personal_first_visits(*, user, on: date | None = None) -> list[Household]:
    """R9/R13: a cadre who arrived mid-term (an individual rotation) has their own R13
    clock: each household paired with them must be visited by them within the policy days
    of their arrival. Returns those households with ``arrived``, ``due`` and ``visited``."""
    from teams.models import Membership

    on = on or timezone.localdate()
    roles = get_roles(user)
    if not roles.cadre_id:
        return []
    arrivals = list(
        Membership.objects.current(on)
        .filter(
            cadre_id=roles.cadre_id,
            team__status__in=STATIONED_STATUSES,
            start_date__gt=F("team__term_start"),
        )
        .values_list("team__village_id", "start_date")
    )
    if not arrivals:
        return []
    rows = []
    for village_id, arrived in arrivals:  # one or two memberships at most (R3)
        days = policy_int(policies.VISIT_INITIAL_DAYS, arrived)
        visited = Visit.objects.filter(
            household=OuterRef("pk"), date__gte=arrived, visitors=roles.cadre_id
        )
        households = (
            Household.objects.visible_to(user)
            .filter(
                village_id=village_id,
                pairings__cadre_id=roles.cadre_id,
                pairings__end_date__isnull=True,
            )
            .annotate(visited_since_arrival=Exists(visited))
            .order_by("visited_since_arrival", "head_name", "pk")
        )
        for household in households:
            household.arrived = arrived
            household.due = arrived + timedelta(days=days - 1)
            household.late = not household.visited_since_arrival and household.due < on
            rows.append(household)
    return rows
