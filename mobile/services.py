"""Records sent by the phone app: each one stored once, through the middle apps' own forms
and services, so that the server's validation is the same as online (issue 14)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, NotAllowed
from accounts.roles import get_roles
from attendance import services as attendance_services
from attendance.forms import CheckInForm
from attendance.models import CheckIn
from households import services as household_services
from households.forms import DiaryForm, VisitForm
from households.models import DiaryEntry, Household, Visit
from households.querysets import stationed_village_ids
from reports import selectors as report_selectors
from reports import services as report_services
from reports.forms import LedgerRecordForm
from reports.models import LedgerKind, LedgerRecord
from teams import policies
from teams.models import Village
from teams.policies import policy_int

# A phone's clock may run a little ahead of the server's; this is no regulation number.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    owner_field: str
    record: Callable


@dataclass(frozen=True)
class SyncResult:
    record: models.Model
    created: bool
    sent_late: bool


def _form_refusal(form) -> DomainError:
    messages = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return DomainError(" ".join(messages))


def _record_checkin(*, user, data, files, captured_at: datetime | None) -> CheckIn:
    form = CheckInForm(data)
    if not form.is_valid():
        raise _form_refusal(form)
    # An offline check-in keeps the time it was made, so it counts for that day.
    return attendance_services.checkin_record(user=user, at=captured_at, **form.cleaned_data)


def _record_visit(*, user, data, files, captured_at: datetime | None) -> Visit:
    household_id = str(data.get("household", ""))
    household = (
        Household.objects.visible_to(user)
        .select_related("village")
        .filter(pk=household_id)
        .first()
        if household_id.isdigit()
        else None
    )
    if household is None:
        raise DomainError(_("This household is no longer among your village's households."))
    team = household_services.stationed_team_of(user=user, village=household.village)
    if team is None:
        raise NotAllowed(_("Only cadres of the team stationed in this village may log visits."))
    form = VisitForm(data, files, team=team, cadre_id=get_roles(user).cadre_id)
    if not form.is_valid():
        raise _form_refusal(form)
    cleaned = form.cleaned_data
    return household_services.visit_log(
        user=user,
        household=household,
        date=cleaned["date"],
        kind=cleaned["kind"],
        visitor_ids=[cadre.pk for cadre in cleaned["visitors"]],
        findings=cleaned["findings"],
        help_given=cleaned["help_given"],
        follow_up_needed=cleaned["follow_up_needed"],
        follow_up=cleaned["follow_up"],
        photos=cleaned["photos"],
    )


def _record_diary(*, user, data, files, captured_at: datetime | None) -> DiaryEntry:
    village = Village.objects.filter(pk__in=stationed_village_ids(user)).first()
    if village is None:
        raise NotAllowed(_("Only cadres of a stationed team keep a village diary."))
    form = DiaryForm(data)
    if not form.is_valid():
        raise _form_refusal(form)
    return household_services.diary_entry_create(user=user, village=village, **form.cleaned_data)


def _record_ledger(*, user, data, files, captured_at: datetime | None) -> LedgerRecord:
    kind = data.get("kind", "")
    if kind not in LedgerKind.values:
        raise DomainError(_("Choose what kind of work this record is."))
    form = LedgerRecordForm(data, files, kind=kind, teams=report_selectors.own_teams(user))
    if not form.is_valid():
        raise _form_refusal(form)
    return report_services.ledger_record_create(
        user=user, team=form.cleaned_data["team"], **form.service_arguments()
    )


KINDS: dict[str, Kind] = {
    "checkin": Kind(CheckIn, "cadre__user", _record_checkin),
    "visit": Kind(Visit, "logged_by", _record_visit),
    "diary": Kind(DiaryEntry, "author", _record_diary),
    "ledger": Kind(LedgerRecord, "created_by", _record_ledger),
}


def parse_client_key(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise DomainError(_("The record has no valid key; save it again.")) from error


def _stored(kind: Kind, *, user, client_key: uuid.UUID) -> models.Model | None:
    record = kind.model.objects.filter(client_key=client_key).first()
    if record is None:
        return None
    owner_id = kind.model.objects.filter(pk=record.pk).values_list(kind.owner_field, flat=True)
    if owner_id.first() != user.pk:
        # A key is the phone's own: another person's key reveals nothing and stores nothing.
        raise NotAllowed(_("This record key belongs to someone else's record."))
    return record


def check_captured_at(*, captured_at: datetime, now: datetime | None = None) -> None:
    """A late record may be as old as the office allows, and never from the future."""
    now = now or timezone.now()
    if captured_at > now + CLOCK_SKEW:
        raise DomainError(
            _("The phone's clock is ahead of the server's; set it right and send again.")
        )
    max_days = policy_int(policies.OFFLINE_CAPTURE_MAX_DAYS, timezone.localdate(now))
    if captured_at < now - timedelta(days=max_days):
        raise DomainError(
            _("This record waited on the phone more than %(days)s days and can no longer be sent.")
            % {"days": max_days}
        )


@transaction.atomic
def phone_record_sync(
    *,
    user,
    record_type: str,
    client_key: uuid.UUID,
    captured_at: datetime | None = None,
    sent_late: bool = False,
    data,
    files=None,
) -> SyncResult:
    """Store one record from the phone once, whatever the retries.

    A record already stored under ``client_key`` is returned as it is; otherwise the middle
    app's own form and service record it, the key is written in the same transaction, and
    ``captured_at`` is kept when the phone held the record offline (``sent_late``).
    """
    spec = KINDS.get(record_type)
    if spec is None:
        raise DomainError(_("Unknown kind of record."))
    existing = _stored(spec, user=user, client_key=client_key)
    if existing is not None:
        return SyncResult(existing, created=False, sent_late=existing.captured_at is not None)
    if sent_late:
        if captured_at is None:
            raise DomainError(_("A record sent late needs the time it was made."))
        check_captured_at(captured_at=captured_at)
    else:
        captured_at = None
    try:
        with transaction.atomic():
            record = spec.record(user=user, data=data, files=files, captured_at=captured_at)
            spec.model.objects.filter(pk=record.pk).update(
                client_key=client_key, captured_at=captured_at
            )
    except (DomainError, NotAllowed, IntegrityError) as error:
        # A retry of this very record may have won a race (or, for a check-in, be the
        # reason "already checked in today" is raised): then this is that record.
        existing = _stored(spec, user=user, client_key=client_key)
        if existing is not None:
            return SyncResult(existing, created=False, sent_late=existing.captured_at is not None)
        if isinstance(error, IntegrityError):
            raise DomainError(
                _("The server received the same record at the same moment; check it there.")
            ) from error
        raise
    record.client_key, record.captured_at = client_key, captured_at
    return SyncResult(record, created=True, sent_late=captured_at is not None)
