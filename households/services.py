"""Changes to households, visits, pairings and zones; each one checks who may make it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, NotAllowed, full_clean_or_refuse
from accounts.models import User
from accounts.roles import get_roles
from core.notifications import notify, office_users
from households.models import (
    POOR_STATUSES,
    DiaryEntry,
    Household,
    IncomeCheck,
    Member,
    Pairing,
    Visit,
    VisitPhoto,
    Zone,
    ZoneChange,
)
from households.photos import prepare_photo
from teams import policies
from teams.models import Cadre, Membership, Team, Village
from teams.policies import policy_value
from teams.statuses import STATIONED_STATUSES

RISK_FIELDS = (
    "risk_illness",
    "risk_disability",
    "risk_disaster",
    "risk_unemployment",
    "risk_education",
)
HOUSEHOLD_FIELDS = (
    "head_name",
    "head_id_number",
    "phone",
    "group_name",
    "address",
    "poverty_status",
    "monitoring_category",
    "is_dispute",
    "is_unstable_mood",
    "is_special_hardship",
    "is_five_guarantee",
    "is_disabled",
    "is_empty_nest",
    "has_left_behind_children",
    "notes",
)


def stationed_team_of(*, user, village: Village) -> Team | None:
    """The stationed team of ``village`` that ``user`` is a current cadre of, if any."""
    roles = get_roles(user)
    return (
        Team.objects.stationed()
        .filter(pk__in=roles.team_ids, village=village)
        .order_by("-term_start")
        .first()
    )


def _require_editable(*, user, village: Village) -> None:
    roles = get_roles(user)
    if roles.is_office or stationed_team_of(user=user, village=village):
        return
    raise NotAllowed(
        _("Only the office and the team stationed in this village may change its households.")
    )


def track_flag_dates(household: Household, *, on: date) -> None:
    """R15/R33: remember when a household became key or poor (cleared when it stops)."""
    if household.is_key and not household.key_since:
        household.key_since = on
    elif not household.is_key:
        household.key_since = None
    if household.is_poor and not household.poor_since:
        household.poor_since = on
    elif not household.is_poor:
        household.poor_since = None


@transaction.atomic
def household_create(*, user, village: Village, **fields) -> Household:
    _require_editable(user=user, village=village)
    household = Household(
        village=village, **{k: fields[k] for k in HOUSEHOLD_FIELDS if k in fields}
    )
    track_flag_dates(household, on=timezone.localdate())
    full_clean_or_refuse(household)
    household.save()
    return household


@transaction.atomic
def household_update(*, user, household: Household, **fields) -> Household:
    _require_editable(user=user, village=household.village)
    for name in HOUSEHOLD_FIELDS:
        if name in fields:
            setattr(household, name, fields[name])
    track_flag_dates(household, on=timezone.localdate())
    full_clean_or_refuse(household)
    household.save()
    return household


@transaction.atomic
def member_add(*, user, household: Household, **fields) -> Member:
    """Add a person to a household (office or the stationed team)."""
    _require_editable(user=user, village=household.village)
    member = Member(household=household, **fields)
    full_clean_or_refuse(member)
    member.save()
    return member


@transaction.atomic
def visit_log(
    *,
    user,
    household: Household,
    date: date,
    kind: str,
    visitor_ids: Iterable[int] = (),
    findings: str = "",
    help_given: str = "",
    follow_up_needed: bool = False,
    follow_up: str = "",
    photos: Iterable = (),
) -> Visit:
    """R13-R15: a cadre of the stationed team records a visit, with its photos."""
    team = stationed_team_of(user=user, village=household.village)
    if team is None:
        raise NotAllowed(_("Only cadres of the team stationed in this village may log visits."))
    if date > timezone.localdate():
        raise DomainError(_("A visit cannot be in the future."))
    photos = list(photos)
    if not (findings.strip() or help_given.strip() or follow_up.strip() or photos):
        # An empty visit would count toward R13-R15 without any trace of the visit.
        raise DomainError(_("Write what you found or what help was given, or add a photo."))
    members = set(
        Membership.objects.current(date).filter(team=team).values_list("cadre_id", flat=True)
    )
    visitor_ids = set(visitor_ids) or {get_roles(user).cadre_id}
    if not visitor_ids <= members:
        raise DomainError(
            _("Only cadres of the team on the visit date can be listed as visitors.")
        )
    visit = Visit(
        household=household,
        team=team,
        date=date,
        kind=kind,
        findings=findings,
        help_given=help_given,
        follow_up_needed=follow_up_needed,
        follow_up=follow_up,
        logged_by=user,
    )
    full_clean_or_refuse(visit)
    visit.save()
    visit.visitors.set(Cadre.objects.filter(pk__in=visitor_ids))
    # Every photo is checked before any file is written: a refusal leaves no orphan file.
    prepared = [prepare_photo(upload) for upload in photos]
    for content, taken_at, width, height in prepared:
        photo = VisitPhoto(visit=visit, taken_at=taken_at, width=width, height=height)
        photo.image.save(content.name, content, save=False)
        photo.save()
    return visit


@transaction.atomic
def diary_entry_create(*, user, village: Village, date: date, text: str) -> DiaryEntry:
    """R16: a village diary entry by a cadre of the stationed team."""
    team = stationed_team_of(user=user, village=village)
    if team is None:
        raise NotAllowed(_("Only cadres of the team stationed in this village keep its diary."))
    if date > timezone.localdate():
        raise DomainError(_("A diary entry cannot be in the future."))
    entry = DiaryEntry(village=village, team=team, author=user, date=date, text=text)
    full_clean_or_refuse(entry)
    entry.save()
    return entry


# --- R33: pairing ---------------------------------------------------------------------


def can_pair(*, user, household: Household) -> bool:
    roles = get_roles(user)
    if roles.is_office:
        return True
    return (
        Team.objects.stationed()
        .filter(pk__in=roles.led_team_ids, village_id=household.village_id)
        .exists()
    )


@transaction.atomic
def pairing_assign(*, user, household: Household, cadre: Cadre, on: date | None = None) -> Pairing:
    """R33: pair a poor or monitored household with a cadre of the city (replacing any)."""
    on = on or timezone.localdate()
    if not can_pair(user=user, household=household):
        raise NotAllowed(_("Only the office or the team's leader may pair households."))
    if household.poverty_status not in POOR_STATUSES:
        raise DomainError(_("Only registered poor and monitored households are paired."))
    current = Pairing.objects.open().filter(household=household).first()
    if current and current.cadre_id == cadre.pk:
        return current
    if current:
        current.end_date = on
        current.save(update_fields=["end_date"])
    pairing = Pairing(household=household, cadre=cadre, start_date=on, created_by=user)
    full_clean_or_refuse(pairing, validate_constraints=False)
    pairing.save()
    return pairing


def pairing_warnings(*, household: Household, cadre: Cadre, on: date | None = None) -> list[str]:
    """What the person pairing should know, without refusing (R33, R43): a cadre stationed
    in another banner can hardly visit the household."""
    on = on or timezone.localdate()
    banners = set(
        Membership.objects.current(on)
        .filter(cadre=cadre)
        .values_list("team__village__township__banner_id", flat=True)
    )
    home = household.village.township.banner_id
    if banners and home not in banners:
        return [
            str(
                _(
                    "%(cadre)s is stationed in another banner; check that the household "
                    "can be visited."
                )
                % {"cadre": cadre.name}
            )
        ]
    return []


# --- R27: income checks and warning zones ---------------------------------------------


def zone_for(*, year: int, per_capita_income: Decimal, has_risk: bool) -> str:
    """R27: red below the year's red line; yellow below the yellow line or with a risk."""
    on = date(year, 12, 31)
    if per_capita_income < policy_value(policies.ZONE_RED_INCOME_BELOW, on):
        return Zone.RED
    if per_capita_income < policy_value(policies.ZONE_YELLOW_INCOME_BELOW, on) or has_risk:
        return Zone.YELLOW
    return Zone.GREEN


def _set_zone(
    *,
    household: Household,
    zone: str,
    user,
    reason: str,
    override: bool,
    check: IncomeCheck | None = None,
) -> ZoneChange | None:
    if household.zone == zone and household.zone_overridden == override:
        return None
    change = ZoneChange.objects.create(
        household=household,
        from_zone=household.zone,
        to_zone=zone,
        is_override=override,
        reason=reason,
        income_check=check,
        changed_by=user,
    )
    moved = household.zone != zone
    household.zone = zone
    household.zone_overridden = override
    household.save(update_fields=["zone", "zone_overridden", "updated_at"])
    if moved and zone in (Zone.YELLOW, Zone.RED):
        _notify_zone_move(household=household, change=change)
    return change


def _notify_zone_move(*, household: Household, change: ZoneChange) -> None:
    """R27: a move to yellow or red tells the stationed team's cadres and the office."""
    team_users = User.objects.filter(
        cadre__memberships__in=Membership.objects.current(timezone.localdate()).filter(
            team__village_id=household.village_id, team__status__in=STATIONED_STATUSES
        )
    ).distinct()
    notify(
        users=[*team_users, *office_users()],
        key=f"household-zone:{change.pk}",
        title=_("%(household)s (%(village)s) moved to the %(zone)s zone")
        % {
            "household": household.head_name,
            "village": household.village.name,
            "zone": change.get_to_zone_display(),
        },
        body=change.reason,
        url=reverse("households:household_detail", args=[household.pk]),
    )


@transaction.atomic
def income_check_record(
    *, user, household: Household, year: int, per_capita_income: Decimal, **risks: bool
) -> IncomeCheck:
    """R27: record a year's income check; the zone follows unless set by hand."""
    _require_editable(user=user, village=household.village)
    unknown = set(risks) - set(RISK_FIELDS)
    if unknown:
        raise TypeError(f"unknown risk fields {unknown}")
    check = IncomeCheck.objects.filter(household=household, year=year).first() or IncomeCheck(
        household=household, year=year
    )
    check.per_capita_income = per_capita_income
    for name in RISK_FIELDS:
        setattr(check, name, bool(risks.get(name, False)))
    check.computed_zone = zone_for(
        year=year, per_capita_income=per_capita_income, has_risk=check.has_risk
    )
    check.checked_by = user
    full_clean_or_refuse(check, validate_constraints=False)
    check.save()
    latest_year = household.income_checks.order_by("-year").values_list("year", flat=True).first()
    if not household.zone_overridden and year == latest_year:
        _set_zone(
            household=household,
            zone=check.computed_zone,
            user=user,
            reason=_("Income check %(year)s: %(income)s yuan per person")
            % {"year": year, "income": per_capita_income},
            override=False,
            check=check,
        )
    return check


@transaction.atomic
def zone_override(*, user, household: Household, zone: str, reason: str) -> ZoneChange | None:
    """R27: set the zone by hand; the reason is required and kept in the history."""
    _require_editable(user=user, village=household.village)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for setting the zone by hand."))
    if zone not in Zone.values:
        raise DomainError(_("Unknown zone."))
    return _set_zone(household=household, zone=zone, user=user, reason=reason, override=True)
