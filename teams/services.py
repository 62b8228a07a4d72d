"""Changes to teams and cadres that cross rows or carry a rule (R1-R4, R7, R8, R39)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, NotAllowed, full_clean_or_refuse
from accounts.roles import get_roles
from core.notifications import notify
from core.roles import is_leader_of, is_office
from teams import handover_items, policies
from teams.end_checks import end_problems
from teams.models import (
    Cadre,
    DisciplineRecord,
    DispatchingUnit,
    Handover,
    HandoverItem,
    HandoverItemKind,
    IndividualRotation,
    LeadersMeeting,
    Membership,
    MembershipRole,
    RotationStatus,
    SelectionReview,
    SelectionStatus,
    SupervisionGroup,
    Talk,
    Team,
    TeamStatus,
    TermChange,
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


def _office_users():
    from accounts.models import OFFICE_GROUP, User

    return User.objects.filter(
        Q(groups__name=OFFICE_GROUP) | Q(is_superuser=True), is_active=True
    ).distinct()


def _require_office(user) -> None:
    if not get_roles(user).is_office:
        raise NotAllowed(_("Only the office can do this."))


@transaction.atomic
def cadre_selection_review(*, cadre: Cadre, reviewer, approve: bool, note: str = "") -> Cadre:
    """R4: the organization department approves or rejects a selected cadre.

    Every review is kept (``SelectionReview``) with the rank and fitness the reviewer saw;
    the cadre's row shows the latest decision.
    """
    _require_office(reviewer)
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    note = note.strip()
    if approve:
        if not cadre.on_payroll:
            raise DomainError(_("Only formal, on-payroll staff can be approved."))
        if cadre.fitness_for_duty == "unfit":
            raise DomainError(
                _("A cadre recorded as not fit for village work cannot be approved.")
            )
    elif not note:
        raise DomainError(_("Give a reason for rejecting the selection."))
    now = timezone.now()
    cadre.selection_status = SelectionStatus.APPROVED if approve else SelectionStatus.REJECTED
    cadre.selection_reviewed_by = reviewer
    cadre.selection_reviewed_at = now
    cadre.selection_note = note[:200]
    full_clean_or_refuse(cadre)
    cadre.save()
    SelectionReview.objects.create(
        cadre=cadre,
        decision=cadre.selection_status,
        reason=note,
        rank=cadre.rank,
        is_outstanding=cadre.is_outstanding,
        fitness_for_duty=cadre.fitness_for_duty,
        reviewer=reviewer,
        at=now,
    )
    return cadre


@transaction.atomic
def team_term_change(*, team: Team, term_end: date, reason: str, by) -> Team:
    """R7: the team's term comes from the policy; a different end needs a recorded reason."""
    _require_office(by)
    team = Team.objects.select_for_update().get(pk=team.pk)
    if term_end == team.term_end:
        return team
    if not reason.strip():
        raise DomainError(_("Give a reason for changing the term set by the policy."))
    TermChange.objects.create(
        team=team, old_end=team.term_end, new_end=term_end, reason=reason.strip(), changed_by=by
    )
    team.term_end = term_end
    full_clean_or_refuse(team)
    team.save(update_fields=["term_end"])
    return team


@transaction.atomic
def unit_pairing_term_change(
    *, pairing: UnitPairing, end_date: date, reason: str, by
) -> UnitPairing:
    """R7: a pairing runs the policy length; a different end needs a recorded reason."""
    _require_office(by)
    pairing = UnitPairing.objects.select_for_update().get(pk=pairing.pk)
    if end_date == pairing.end_date:
        return pairing
    if not reason.strip():
        raise DomainError(_("Give a reason for changing the term set by the policy."))
    TermChange.objects.create(
        pairing=pairing,
        old_end=pairing.end_date,
        new_end=end_date,
        reason=reason.strip(),
        changed_by=by,
    )
    pairing.end_date = end_date
    full_clean_or_refuse(pairing)
    pairing.save(update_fields=["end_date"])
    return pairing


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
            _("%(name)s has not been approved by the organization department yet.")
            % {"name": cadre.name}
        )
    conflict = _conflicting_memberships([cadre], team, start_date).first()
    if conflict:
        raise DomainError(
            _("%(name)s already serves in team %(team)s.")
            % {"name": cadre.name, "team": conflict.team.name}
        )
    if team.pk is None:  # a team created in the admin together with its members
        return
    if (
        role == MembershipRole.LEADER
        and team.memberships.filter(role=MembershipRole.LEADER, end_date__isnull=True).exists()
    ):
        raise DomainError(_("The team already has a leader."))
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
        problems.append(_("A team needs exactly one leader."))
    if len(others) < minimum:
        problems.append(
            _("A team needs at least %(n)d members besides the leader (has %(has)d).")
            % {"n": minimum, "has": len(others)}
        )
    if leaders and not leaders[0].is_first_secretary and not team.leader_exception_reason.strip():
        problems.append(
            _("The leader is not the first secretary; record the reason for the exception.")
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
                _("%(village)s has '%(problem)s'; the team has no cadre with %(skill)s.")
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
            _("Not yet approved by the organization department: %(names)s.")
            % {"names": ", ".join(unreviewed)}
        )
    conflict = _conflicting_memberships([m.cadre for m in memberships], team, on).first()
    if conflict:
        raise DomainError(
            _("%(name)s already serves in team %(team)s.")
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
        raise DomainError(_("%(team)s is already handing over.") % {"team": outgoing.name})
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
    """Each leader confirms; the outgoing side only once every item is handed over (R8).

    Only the two leaders confirm, never the office for them (the office may waive, with a
    reason: ``handover_waive``). When both have confirmed, the open work carries over.
    """
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    now = timezone.now()
    if handover.is_complete:
        raise DomainError(_("The handover is already complete."))
    if is_leader_of(user, handover.outgoing_team):
        if handover.items.filter(done=False).exists():
            raise DomainError(_("Every checklist item must be handed over first."))
        handover.outgoing_confirmed_by, handover.outgoing_confirmed_at = user, now
    elif is_leader_of(user, handover.incoming_team):
        if not handover.outgoing_confirmed_at:
            raise DomainError(_("The outgoing leader confirms first."))
        handover.incoming_confirmed_by, handover.incoming_confirmed_at = user, now
    else:
        raise NotAllowed(_("Only the two team leaders confirm a handover."))
    handover.save()
    if handover.is_complete:
        _carry_over(handover)
    return handover


@transaction.atomic
def handover_waive(*, handover: Handover, by, reason: str) -> Handover:
    """R8: the office may waive the leaders' confirmations (a leader gone, say), with a
    recorded reason; the open work then carries over as after a confirmed handover."""
    _require_office(by)
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.is_complete:
        raise DomainError(_("The handover is already complete."))
    if not reason.strip():
        raise DomainError(_("Give the reason for waiving the leaders' confirmations."))
    handover.waived_by, handover.waived_at = by, timezone.now()
    handover.waiver_reason = reason.strip()
    handover.save(update_fields=["waived_by", "waived_at", "waiver_reason"])
    _carry_over(handover)
    return handover


def _carry_over(handover: Handover) -> list[str]:
    """R8: the outgoing team's open work passes to the incoming team, once."""
    if handover.carried_over_at:
        return []
    lines = handover_items.carry_team_work(
        outgoing=handover.outgoing_team,
        incoming=handover.incoming_team,
        on=timezone.localdate(),
    )
    handover.carried_over_at = timezone.now()
    handover.carry_over_note = "\n".join(lines)
    handover.save(update_fields=["carried_over_at", "carry_over_note"])
    return lines


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
            _("The handover to %(team)s is not complete; the team cannot leave yet.")
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


# --- R9: individual rotation ------------------------------------------------------------


def can_request_rotation(*, user, team: Team) -> bool:
    """R9: the team's leader, its supervision group, the unit or the office may ask."""
    roles = get_roles(user)
    return (
        roles.is_office
        or team.pk in roles.led_team_ids
        or team.supervision_group_id in roles.supervision_group_ids
        or team.unit_id in roles.unit_ids
    )


@transaction.atomic
def individual_rotation_request(
    *, membership: Membership, replacement: Cadre, reason: str, by
) -> IndividualRotation:
    """R9 (Art 10): ask to replace one cadre mid-term, naming the replacement and why."""
    membership = Membership.objects.select_related("team", "cadre").get(pk=membership.pk)
    team = membership.team
    if not can_request_rotation(user=by, team=team):
        raise NotAllowed(
            _("Only the team's leader, its supervisors, its unit or the office may ask.")
        )
    if not team.is_stationed or not membership.is_current():
        raise DomainError(_("Only a cadre now serving in a stationed team can be replaced."))
    if not reason.strip():
        raise DomainError(_("Give the reason for the replacement."))
    if replacement.pk == membership.cadre_id:
        raise DomainError(_("The replacement must be another cadre."))
    if IndividualRotation.objects.filter(
        outgoing=membership, status=RotationStatus.REQUESTED
    ).exists():
        raise DomainError(_("A replacement of this cadre is already awaiting approval."))
    _replacement_check(team=team, replacement=replacement, on=timezone.localdate())
    rotation = IndividualRotation(
        team=team,
        outgoing=membership,
        replacement=replacement,
        reason=reason.strip(),
        requested_by=by,
    )
    full_clean_or_refuse(rotation)
    rotation.save()
    notify(
        users=_office_users(),
        key=f"rotation-request:{rotation.pk}",
        title=_("Replacement requested: %(name)s (%(team)s)")
        % {"name": membership.cadre.name, "team": team.name},
        body=rotation.reason,
        url=rotation.get_absolute_url(),
    )
    return rotation


def _replacement_check(*, team: Team, replacement: Cadre, on: date) -> None:
    """R3 and R4 for the replacement, as for any new member (the role is kept later)."""
    membership_validate(team=team, cadre=replacement, role=MembershipRole.MEMBER, start_date=on)


@transaction.atomic
def individual_rotation_approve(
    *,
    rotation: IndividualRotation,
    by,
    arrival_date: date | None = None,
    note: str = "",
) -> IndividualRotation:
    """R9: the office approves (组织程序). The outgoing membership ends the day before the
    replacement arrives; the replacement takes the same role from ``arrival_date``, which
    is when their R13 first-visit clock starts; the cadre's open work passes to them."""
    _require_office(by)
    rotation = (
        IndividualRotation.objects.select_for_update()
        .select_related("team", "outgoing__cadre", "replacement")
        .get(pk=rotation.pk)
    )
    if rotation.status != RotationStatus.REQUESTED:
        raise DomainError(_("This request has already been decided."))
    arrival = arrival_date or timezone.localdate()
    outgoing = rotation.outgoing
    if outgoing.end_date is not None and outgoing.end_date < arrival - timedelta(days=1):
        raise DomainError(_("The cadre has already left the team."))
    if arrival < outgoing.start_date:
        raise DomainError(_("The replacement cannot arrive before the cadre joined."))
    _replacement_check(team=rotation.team, replacement=rotation.replacement, on=arrival)
    membership_end(
        membership=outgoing, end_date=max(outgoing.start_date, arrival - timedelta(days=1))
    )
    incoming = Membership(
        team=rotation.team,
        cadre=rotation.replacement,
        role=outgoing.role,
        is_first_secretary=outgoing.is_first_secretary,
        start_date=arrival,
    )
    full_clean_or_refuse(incoming)
    incoming.save()
    lines = handover_items.carry_personal_work(
        membership=outgoing, replacement=rotation.replacement, on=arrival
    )
    rotation.status = RotationStatus.APPROVED
    rotation.decided_by, rotation.decided_at = by, timezone.now()
    rotation.decision_note = note.strip()
    rotation.arrival_date = arrival
    rotation.incoming = incoming
    rotation.handover_note = "\n".join(lines)
    rotation.save()
    notify(
        users=[rotation.requested_by, rotation.replacement.user, outgoing.cadre.user],
        key=f"rotation-approved:{rotation.pk}",
        title=_("Replacement approved: %(new)s arrives on %(day)s")
        % {"new": rotation.replacement.name, "day": arrival.isoformat()},
        url=rotation.get_absolute_url(),
    )
    return rotation


@transaction.atomic
def individual_rotation_reject(
    *, rotation: IndividualRotation, by, note: str
) -> IndividualRotation:
    """R9: the office refuses a request, saying why."""
    _require_office(by)
    rotation = IndividualRotation.objects.select_for_update().get(pk=rotation.pk)
    if rotation.status != RotationStatus.REQUESTED:
        raise DomainError(_("This request has already been decided."))
    if not note.strip():
        raise DomainError(_("Give a reason for rejecting the request."))
    rotation.status = RotationStatus.REJECTED
    rotation.decided_by, rotation.decided_at = by, timezone.now()
    rotation.decision_note = note.strip()
    rotation.save()
    return rotation


# --- R36, R32, R25: what superiors record ------------------------------------------------


def can_record_about(*, user, cadre: Cadre) -> bool:
    """R25/R36: the office, or a supervision group of a team the cadre serves in."""
    roles = get_roles(user)
    if roles.is_office:
        return True
    return (
        Membership.objects.current(timezone.localdate())
        .filter(cadre=cadre, team__supervision_group_id__in=roles.supervision_group_ids)
        .exists()
    )


@transaction.atomic
def talk_record(*, user, cadre: Cadre, date: date, topic: str, notes: str = "") -> Talk:
    """R36: a superior records a talk with a stationed cadre."""
    if not can_record_about(user=user, cadre=cadre):
        raise NotAllowed(_("Only the office or the cadre's supervision group records talks."))
    talk = Talk(cadre=cadre, date=date, topic=topic.strip(), notes=notes.strip(), held_by=user)
    full_clean_or_refuse(talk)
    talk.save()
    return talk


@transaction.atomic
def discipline_record_create(
    *, user, cadre: Cadre, date: date, prohibition: str, facts: str, handling: str = ""
) -> DisciplineRecord:
    """R25: a breach of the ten prohibitions, recorded by the office or supervision group."""
    if not can_record_about(user=user, cadre=cadre):
        raise NotAllowed(_("Only the office or the cadre's supervision group records discipline."))
    record = DisciplineRecord(
        cadre=cadre,
        date=date,
        prohibition=prohibition.strip(),
        facts=facts.strip(),
        handling=handling.strip(),
        recorded_by=user,
    )
    full_clean_or_refuse(record)
    record.save()
    return record


@transaction.atomic
def leaders_meeting_record(
    *, user, date: date, title: str, attendees: list[Cadre], notes: str = ""
) -> LeadersMeeting:
    """R32: the office records the quarterly meeting with team leaders and who attended."""
    _require_office(user)
    meeting = LeadersMeeting(date=date, title=title.strip(), notes=notes.strip(), recorded_by=user)
    full_clean_or_refuse(meeting)
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting
