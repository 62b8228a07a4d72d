"""Changes to teams and cadres that cross rows or carry a rule (R1-R4, R7, R8, R39)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, NotAllowed, full_clean_or_refuse
from accounts.roles import get_roles
from core.roles import is_leader_of, is_office
from teams import policies
from teams.end_checks import end_problems
from teams.models import (
    Cadre,
    DispatchingUnit,
    Handover,
    HandoverItem,
    HandoverItemKind,
    Membership,
    MembershipRole,
    SelectionStatus,
    SupervisionGroup,
    Team,
    TeamStatus,
    UnitPairing,
    Village,
)
from teams.policies import policy_int


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _require_office(user) -> None:
    if not get_roles(user).is_office:
        raise NotAllowed(_("Only the office can do this."))


@transaction.atomic
def cadre_selection_review(*, cadre: Cadre, reviewer, approve: bool, note: str = "") -> Cadre:
    """R4: the organization department approves or rejects a selected cadre."""
    _require_office(reviewer)
    if approve and not cadre.on_payroll:
        raise DomainError(_("R4: only formal, on-payroll staff can be approved."))
    if not approve and not note.strip():
        raise DomainError(_("Give a reason for rejecting the selection."))
    cadre.selection_status = SelectionStatus.APPROVED if approve else SelectionStatus.REJECTED
    cadre.selection_reviewed_by = reviewer
    cadre.selection_reviewed_at = timezone.now()
    cadre.selection_note = note.strip()
    full_clean_or_refuse(cadre)
    cadre.save()
    return cadre


@transaction.atomic
def team_create(
    *,
    name: str,
    village: Village,
    unit: DispatchingUnit,
    term_start: date,
    supervision_group: SupervisionGroup | None = None,
) -> Team:
    """A forming team whose term runs the policy length (R7: 2 years by default)."""
    years = policy_int(policies.TEAM_TERM_YEARS, term_start)
    team = Team(
        name=name,
        village=village,
        unit=unit,
        supervision_group=supervision_group,
        term_start=term_start,
        term_end=add_years(term_start, years),
    )
    full_clean_or_refuse(team)
    team.save()
    return team


@transaction.atomic
def unit_pairing_create(
    *, unit: DispatchingUnit, township, villages: list[Village], start_date: date
) -> UnitPairing:
    """R7: a unit's pairing with a township and villages runs the policy length (3 years)."""
    if any(v.township_id != township.pk for v in villages):
        raise DomainError(_("Every paired village must belong to the paired township."))
    years = policy_int(policies.PAIRING_TERM_YEARS, start_date)
    pairing = UnitPairing(
        unit=unit, township=township, start_date=start_date, end_date=add_years(start_date, years)
    )
    full_clean_or_refuse(pairing)
    pairing.save()
    pairing.villages.set(villages)
    return pairing


def _conflicting_memberships(cadres: list[Cadre], team: Team, on: date):
    """R3: the cadres' current places in other stationed teams outside a rotation.

    A cadre may overlap only with a team of the same village, i.e. the outgoing team of a
    rotation that hands over to ``team`` (R8).
    """
    memberships = Membership.objects.current(on).filter(
        cadre__in=cadres, team__status__in=(TeamStatus.ACTIVE, TeamStatus.HANDING_OVER)
    )
    if team.pk:
        memberships = memberships.exclude(team=team)
    return memberships.exclude(team__village_id=team.village_id).select_related("team", "cadre")


@transaction.atomic
def membership_add(
    *,
    team: Team,
    cadre: Cadre,
    role: str = MembershipRole.MEMBER,
    is_first_secretary: bool = False,
    start_date: date | None = None,
) -> Membership:
    """Put a cadre in a team, refusing double stationing (R3) and unreviewed cadres (R4)."""
    start_date = start_date or max(team.term_start, timezone.localdate())
    membership_validate(team=team, cadre=cadre, role=role, start_date=start_date)
    membership = Membership(
        team=team,
        cadre=cadre,
        role=role,
        is_first_secretary=is_first_secretary,
        start_date=start_date,
    )
    full_clean_or_refuse(membership)
    membership.save()
    return membership


def membership_validate(*, team: Team, cadre: Cadre, role: str, start_date: date) -> None:
    """Raise DomainError when ``cadre`` may not join ``team`` in ``role`` (R1, R3, R4)."""
    if team.status == TeamStatus.ENDED:
        raise DomainError(_("This team's term has ended."))
    if team.is_stationed and cadre.selection_status != SelectionStatus.APPROVED:
        raise DomainError(
            _("R4: %(name)s has not been approved by the organization department yet.")
            % {"name": cadre.name}
        )
    conflict = _conflicting_memberships([cadre], team, start_date).first()
    if conflict:
        raise DomainError(
            _("R3: %(name)s already serves in team %(team)s.")
            % {"name": cadre.name, "team": conflict.team.name}
        )
    if team.pk is None:  # a team created in the admin together with its members
        return
    if (
        role == MembershipRole.LEADER
        and team.memberships.filter(role=MembershipRole.LEADER, end_date__isnull=True).exists()
    ):
        raise DomainError(_("R1: the team already has a leader."))
    if team.memberships.filter(cadre=cadre, end_date__isnull=True).exists():
        raise DomainError(_("%(name)s is already in this team.") % {"name": cadre.name})


@transaction.atomic
def membership_end(*, membership: Membership, end_date: date) -> Membership:
    membership.end_date = end_date
    full_clean_or_refuse(membership)
    membership.save()
    return membership


def team_strength_problems(team: Team, on: date | None = None) -> list[str]:
    """R1 and R2 as they stand today: what keeps the team from full strength."""
    on = on or timezone.localdate()
    current = [m for m in team.memberships.all() if m.is_current(on)]
    leaders = [m for m in current if m.role == MembershipRole.LEADER]
    others = [m for m in current if m.role != MembershipRole.LEADER]
    minimum = policy_int(policies.TEAM_MIN_MEMBERS, on)
    problems = []
    if len(leaders) != 1:
        problems.append(_("R1: a team needs exactly one leader."))
    if len(others) < minimum:
        problems.append(
            _("R1: a team needs at least %(n)d members besides the leader (has %(has)d).")
            % {"n": minimum, "has": len(others)}
        )
    if leaders and not leaders[0].is_first_secretary and not team.leader_exception_reason.strip():
        problems.append(
            _("R2: the leader is not the first secretary; record the reason for the exception.")
        )
    return problems


def team_expertise_advice(team: Team, on: date | None = None) -> list[str]:
    """R39: village problems for which no current cadre has the matching expertise."""
    on = on or timezone.localdate()
    have = {m.cadre.expertise for m in team.memberships.all() if m.is_current(on)}
    advice = []
    for tag in team.village.problem_tags.all():
        if tag.needed_expertise not in have:
            advice.append(
                _("R39: %(village)s has '%(problem)s'; the team has no cadre with %(skill)s.")
                % {
                    "village": team.village.name,
                    "problem": tag.name,
                    "skill": tag.get_needed_expertise_display(),
                }
            )
    return advice


@transaction.atomic
def team_activate(*, team: Team, by, on: date | None = None) -> Team:
    """Station a forming team (R1-R4). A team already in the village starts handing over."""
    _require_office(by)
    on = on or timezone.localdate()
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.status != TeamStatus.FORMING:
        raise DomainError(_("Only a forming team can be activated."))
    memberships = list(team.memberships.select_related("cadre").filter(end_date__isnull=True))
    problems = team_strength_problems(team, on)
    if problems:
        raise DomainError(" ".join(problems))
    unreviewed = [m.cadre.name for m in memberships if m.cadre.selection_status != "approved"]
    if unreviewed:
        raise DomainError(
            _("R4: not yet approved by the organization department: %(names)s.")
            % {"names": ", ".join(unreviewed)}
        )
    conflict = _conflicting_memberships([m.cadre for m in memberships], team, on).first()
    if conflict:
        raise DomainError(
            _("R3: %(name)s already serves in team %(team)s.")
            % {"name": conflict.cadre.name, "team": conflict.team.name}
        )
    outgoing = (
        Team.objects.select_for_update()
        .filter(village=team.village, status=TeamStatus.ACTIVE)
        .exclude(pk=team.pk)
        .first()
    )
    if outgoing:
        _rotation_start(outgoing=outgoing, incoming=team)
    team.status = TeamStatus.ACTIVE
    team.activated_at = timezone.now()
    team.save(update_fields=["status", "activated_at"])
    return team


def _rotation_start(*, outgoing: Team, incoming: Team) -> Handover:
    """R8: both teams are stationed together until the handover is complete."""
    if Handover.objects.filter(outgoing_team=outgoing).exists():
        raise DomainError(_("R3: %(team)s is already handing over.") % {"team": outgoing.name})
    outgoing.status = TeamStatus.HANDING_OVER
    outgoing.save(update_fields=["status"])
    handover = Handover.objects.create(outgoing_team=outgoing, incoming_team=incoming)
    HandoverItem.objects.bulk_create(
        HandoverItem(handover=handover, kind=kind) for kind in HandoverItemKind.values
    )
    return handover


def can_edit_handover(user, handover) -> bool:
    """R8: the outgoing leader ticks the checklist until they confirm."""
    return is_leader_of(user, handover.outgoing_team) and not handover.outgoing_confirmed_at


def can_confirm_handover(user, handover) -> bool:
    """R8: the outgoing leader confirms first, then the incoming leader."""
    outgoing = is_leader_of(user, handover.outgoing_team)
    if outgoing and not handover.outgoing_confirmed_at:
        return True
    return bool(
        is_leader_of(user, handover.incoming_team)
        and handover.outgoing_confirmed_at
        and not handover.incoming_confirmed_at
    )


@transaction.atomic
def handover_item_update(*, item: HandoverItem, user, done: bool, note: str = "") -> HandoverItem:
    """The outgoing leader records what was handed over."""
    handover = item.handover
    if not (is_leader_of(user, handover.outgoing_team) or is_office(user)):
        raise NotAllowed(_("Only the outgoing team's leader records the handover."))
    if handover.outgoing_confirmed_at:
        raise DomainError(_("The outgoing leader has confirmed the handover; it is closed."))
    if done and not note.strip():
        raise DomainError(_("Say what was handed over."))
    item.done = done
    item.note = note.strip()
    item.save(update_fields=["done", "note"])
    return item


@transaction.atomic
def handover_confirm(*, handover: Handover, user) -> Handover:
    """Each leader confirms; the outgoing side only once every item is handed over."""
    now = timezone.now()
    if is_leader_of(user, handover.outgoing_team):
        if handover.items.filter(done=False).exists():
            raise DomainError(_("R8: every checklist item must be handed over first."))
        handover.outgoing_confirmed_by, handover.outgoing_confirmed_at = user, now
    elif is_leader_of(user, handover.incoming_team):
        if not handover.outgoing_confirmed_at:
            raise DomainError(_("The outgoing leader confirms first."))
        handover.incoming_confirmed_by, handover.incoming_confirmed_at = user, now
    else:
        raise NotAllowed(_("Only the two team leaders confirm a handover."))
    handover.save()
    return handover


@transaction.atomic
def team_end(*, team: Team, by, on: date | None = None) -> Team:
    """End a team's stationing. R8: a team handing over leaves only after a full handover."""
    _require_office(by)
    on = on or timezone.localdate()
    if team.status not in (TeamStatus.ACTIVE, TeamStatus.HANDING_OVER):
        raise DomainError(_("Only a stationed team can end its term."))
    handover = Handover.objects.filter(outgoing_team=team).first()
    if handover and not handover.is_complete:
        raise DomainError(
            _("R8: the handover to %(team)s is not complete; the team cannot leave yet.")
            % {"team": handover.incoming_team.name}
        )
    problems = end_problems(team)  # R37: the end-of-term assessment, registered above
    if problems:
        raise DomainError(" ".join(problems))
    team.status = TeamStatus.ENDED
    team.ended_on = on
    team.save(update_fields=["status", "ended_on"])
    team.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gt=on)).update(end_date=on)
    return team
