"""Daily check-in: optional evidence that pre-fills the month grid (R23)."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, full_clean_or_refuse
from attendance.models import (
    AttendanceDay,
    CheckIn,
    CheckInFlag,
    DaySource,
    DayStatus,
)
from attendance.services.common import cadre_of, current_membership
from attendance.services.days import set_days
from teams.models import Membership
from teams.statuses import STATIONED_STATUSES


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Great-circle distance in metres (haversine)."""
    radius = 6_371_000
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return round(2 * radius * math.asin(math.sqrt(a)))


@transaction.atomic
def checkin_record(
    *,
    user,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    accuracy_m: int | None = None,
    at: datetime | None = None,
) -> CheckIn:
    """Record today's check-in; outside the radius or without location it is flagged, not
    dropped. A second check-in the same day is refused."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    # Lean path (issue 12): the cadre, their team and its village in one query; the
    # slower helpers run only to say why there is none.
    membership = (
        Membership.objects.current(day)
        .filter(cadre__user=user, team__status__in=STATIONED_STATUSES)
        .select_related("cadre", "team__village")
        .order_by("-start_date")
        .first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        membership = current_membership(cadre_of(user), day)  # raises NotAllowed/DomainError
    cadre, team = membership.cadre, membership.team
    village = team.village
    flag, distance = CheckInFlag.NONE, None
    if latitude is None or longitude is None:
        flag = CheckInFlag.NO_LOCATION
        latitude = longitude = accuracy_m = None
    elif village.latitude is not None and village.longitude is not None:
        distance = distance_m(
            float(latitude), float(longitude), float(village.latitude), float(village.longitude)
        )
        if distance > village.checkin_radius_m:
            flag = CheckInFlag.OUTSIDE
    checkin = CheckIn(
        cadre=cadre,
        team=team,
        date=day,
        at=at,
        latitude=None
        if latitude is None
        else Decimal(str(latitude)).quantize(Decimal("0.000001")),
        longitude=None
        if longitude is None
        else Decimal(str(longitude)).quantize(Decimal("0.000001")),
        accuracy_m=accuracy_m,
        distance_m=distance,
        flag=flag,
    )
    # The model's field checks, without the queries of full_clean: the foreign keys were
    # just read, and "once a day" is the database's unique constraint.
    full_clean_or_refuse(
        checkin, exclude=["cadre", "team"], validate_unique=False, validate_constraints=False
    )
    try:
        with transaction.atomic():  # a savepoint: a lost race leaves the request usable
            checkin.save(force_insert=True)
    except IntegrityError:
        # Two taps at once: the other one checked in first (checkin_once_a_day).
        raise DomainError(_("You have already checked in today.")) from None
    # The check-in pre-fills the day; it never overrides what is already recorded.
    if not AttendanceDay.objects.filter(cadre=cadre, date=day).exists():
        set_days(
            team=team,
            cells={(cadre.pk, day): DayStatus.IN_VILLAGE},
            source=DaySource.CHECKIN,
            user=user,
            strict=False,
        )
    return checkin
