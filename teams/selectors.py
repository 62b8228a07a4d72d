"""Reads of the org structure, scoped to the user and shaped to avoid N+1 queries."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from teams import policies
from teams.models import Cadre, Membership, MembershipRole, Team, Village
from teams.policies import policy_int
from teams.statuses import CURRENT_STATUSES, STATIONED_STATUSES


def _current_membership_q(on: date, prefix: str = "memberships__") -> Q:
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def team_list(*, user, search: str = "", status: str = "", banner_id: int | None = None):
    today = timezone.localdate()
    leader_name = Membership.objects.filter(
        _current_membership_q(today, prefix=""), team=OuterRef("pk"), role=MembershipRole.LEADER
    ).values("cadre__name")[:1]
    teams = (
        Team.objects.visible_to(user)
        .select_related("village__township__banner", "unit", "supervision_group")
        .annotate(
            member_count=Count("memberships", filter=_current_membership_q(today)),
            leader_name=Subquery(leader_name),
        )
        .order_by("village__township__banner__code", "village__name", "-term_start", "pk")
    )
    if search:
        teams = teams.filter(
            Q(name__icontains=search)
            | Q(village__name__icontains=search)
            | Q(unit__name__icontains=search)
        )
    if status:
        teams = teams.filter(status=status)
    if banner_id:
        teams = teams.filter(village__township__banner_id=banner_id)
    return teams


def team_detail(*, user, pk: int) -> Team:
    """One visible team with its members; 404 for a team outside the user's scope."""
    teams = (
        Team.objects.visible_to(user)
        .select_related("village__township__banner", "unit", "supervision_group")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("cadre__unit").order_by(
                    "role", "cadre__name"
                ),
            ),
            "village__problem_tags",
        )
    )
    return get_object_or_404(teams, pk=pk)


def cadre_list(*, user, search: str = "", selection_status: str = "") -> QuerySet[Cadre]:
    today = timezone.localdate()
    current_team = Membership.objects.filter(
        _current_membership_q(today, prefix=""),
        cadre=OuterRef("pk"),
        team__status__in=CURRENT_STATUSES,
    ).order_by("-start_date")
    cadres = (
        Cadre.objects.visible_to(user)
        .select_related("unit")
        .annotate(
            team_name=Subquery(current_team.values("team__name")[:1]),
            team_role=Subquery(current_team.values("role")[:1]),
        )
        .order_by("name", "pk")
    )
    if search:
        cadres = cadres.filter(Q(name__icontains=search) | Q(unit__name__icontains=search))
    if selection_status:
        cadres = cadres.filter(selection_status=selection_status)
    return cadres


def cadre_detail(*, user, pk: int) -> Cadre:
    cadres = (
        Cadre.objects.visible_to(user)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("team__village").order_by(
                    "-start_date"
                ),
            )
        )
    )
    return get_object_or_404(cadres, pk=pk)


def village_list(*, user, search: str = "") -> QuerySet[Village]:
    villages = (
        Village.objects.visible_to(user)
        .select_related("township__banner")
        .prefetch_related("problem_tags")
        .annotate(stationed_teams=Count("teams", filter=Q(teams__status__in=STATIONED_STATUSES)))
        .order_by("township__banner__code", "township__name", "name")
    )
    if search:
        villages = villages.filter(
            Q(name__icontains=search)
            | Q(township__name__icontains=search)
            | Q(township__banner__name__icontains=search)
        )
    return villages


def terms_ending_soon(*, user, on: date | None = None) -> QuerySet[Team]:
    """R7: stationed teams whose term ends within the warning window."""
    on = on or timezone.localdate()
    days = policy_int(policies.TERM_ENDING_WARNING_DAYS, on)
    return (
        Team.objects.visible_to(user)
        .stationed()
        .filter(term_end__lte=on + timedelta(days=days))
        .select_related("village")
        .order_by("term_end")
    )


def insurance_ending_soon(*, user, on: date | None = None) -> QuerySet[Cadre]:
    """R35: cadres whose accident insurance ends within the warning window, or has lapsed."""
    on = on or timezone.localdate()
    days = policy_int(policies.TERM_ENDING_WARNING_DAYS, on)
    stationed = (
        Membership.objects.current(on)
        .filter(team__status__in=STATIONED_STATUSES)
        .values("cadre_id")
    )
    return (
        Cadre.objects.visible_to(user)
        .filter(pk__in=stationed)
        .filter(Q(insurance_end__isnull=True) | Q(insurance_end__lte=on + timedelta(days=days)))
        .select_related("unit")
        .order_by("insurance_end")
    )


def handover_detail(*, user, pk: int):
    """A handover whose outgoing or incoming team the user can see; 404 otherwise."""
    from teams.models import Handover

    visible = Team.objects.visible_to(user)
    handovers = (
        Handover.objects.filter(Q(outgoing_team__in=visible) | Q(incoming_team__in=visible))
        .select_related(
            "outgoing_team__village",
            "incoming_team",
            "outgoing_confirmed_by",
            "incoming_confirmed_by",
        )
        .prefetch_related("items")
    )
    return get_object_or_404(handovers, pk=pk)


def teams_below_strength(*, user, on: date | None = None) -> QuerySet[Team]:
    """R1 monitor: stationed teams without exactly one leader or with too few members."""
    on = on or timezone.localdate()
    minimum = policy_int(policies.TEAM_MIN_MEMBERS, on)
    current = _current_membership_q(on)
    return (
        Team.objects.visible_to(user)
        .stationed()
        .annotate(
            leaders=Count("memberships", filter=current & Q(memberships__role="leader")),
            others=Count("memberships", filter=current & ~Q(memberships__role="leader")),
        )
        .filter(Q(leaders__lt=1) | Q(leaders__gt=1) | Q(others__lt=minimum))
        .select_related("village")
        .order_by("village__name")
    )


def teams_missing_leader_reason(*, user, on: date | None = None) -> QuerySet[Team]:
    """R2 monitor: the leader is not the first secretary and no reason is recorded."""
    on = on or timezone.localdate()
    leader_not_secretary = Membership.objects.filter(
        _current_membership_q(on, prefix=""),
        team=OuterRef("pk"),
        role=MembershipRole.LEADER,
        is_first_secretary=False,
    )
    return (
        Team.objects.visible_to(user)
        .stationed()
        .filter(Exists(leader_not_secretary), leader_exception_reason="")
        .select_related("village")
    )


def cadres_awaiting_review(*, user) -> QuerySet[Cadre]:
    """R4: selected cadres the organization department has not reviewed yet."""
    return (
        Cadre.objects.visible_to(user)
        .filter(selection_status="pending")
        .select_related("unit")
        .order_by("unit__name", "name")
    )


def handovers_in_progress(*, user):
    """R8: rotations whose handover is not complete."""
    from teams.models import Handover

    visible = Team.objects.visible_to(user)
    return (
        Handover.objects.filter(Q(outgoing_team__in=visible) | Q(incoming_team__in=visible))
        .filter(Q(outgoing_confirmed_at__isnull=True) | Q(incoming_confirmed_at__isnull=True))
        .select_related("outgoing_team__village", "incoming_team")
        .annotate(open_items=Count("items", filter=Q(items__done=False)))
    )
