"""Check-in: optional evidence, flagged when outside the radius or without location."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from accounts.errors import DomainError, NotAllowed
from attendance import services
from attendance.models import AttendanceDay, CheckInFlag, DaySource, DayStatus
from tests import factories

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 20, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def placed_team(team):
    village = team.village
    village.latitude, village.longitude, village.checkin_radius_m = (
        Decimal("39.600000"),
        Decimal("109.800000"),
        2000,
    )
    village.save()
    return team


def test_checkin_inside_the_radius_fills_the_day(placed_team):
    member = factories.a_member_of(placed_team)
    checkin = services.checkin_record(
        user=member, latitude=Decimal("39.601"), longitude=Decimal("109.801"), accuracy_m=25, at=AT
    )
    assert checkin.flag == CheckInFlag.NONE
    assert checkin.accuracy_m == 25
    assert checkin.distance_m < 200
    day = AttendanceDay.objects.get(cadre=member.cadre, date=AT.date())
    assert day.status == DayStatus.IN_VILLAGE and day.source == DaySource.CHECKIN


def test_checkin_outside_the_radius_is_accepted_and_flagged(placed_team):
    member = factories.a_member_of(placed_team)
    checkin = services.checkin_record(
        user=member, latitude=Decimal("39.80"), longitude=Decimal("109.80"), accuracy_m=10, at=AT
    )
    assert checkin.flag == CheckInFlag.OUTSIDE
    assert checkin.distance_m > 20000


def test_radius_is_the_village_setting(placed_team):
    placed_team.village.checkin_radius_m = 50000
    placed_team.village.save()
    member = factories.a_member_of(placed_team)
    checkin = services.checkin_record(
        user=member, latitude=Decimal("39.80"), longitude=Decimal("109.80"), at=AT
    )
    assert checkin.flag == CheckInFlag.NONE


def test_checkin_without_location_is_accepted_and_flagged(placed_team):
    checkin = services.checkin_record(user=factories.a_member_of(placed_team), at=AT)
    assert checkin.flag == CheckInFlag.NO_LOCATION
    assert checkin.latitude is None and checkin.accuracy_m is None


def test_second_checkin_the_same_day_is_refused(placed_team):
    member = factories.a_member_of(placed_team)
    services.checkin_record(user=member, at=AT)
    with pytest.raises(DomainError, match="already checked in"):
        services.checkin_record(user=member, at=AT.replace(hour=17))


def test_checkin_does_not_override_a_recorded_day(placed_team):
    member = factories.a_member_of(placed_team)
    services.attendance_days_update(
        user=factories.leader_of(placed_team),
        team=placed_team,
        month=AT.date(),
        cells={(member.cadre.pk, AT.date()): DayStatus.OFFICIAL},
    )
    services.checkin_record(user=member, at=AT)
    assert AttendanceDay.objects.get(cadre=member.cadre).status == DayStatus.OFFICIAL


def test_only_a_cadre_checks_in(db):
    with pytest.raises(NotAllowed):
        services.checkin_record(user=factories.UserFactory(), at=AT)


def test_checkin_page_posts_with_location(client, placed_team):
    member = factories.a_member_of(placed_team)
    client.force_login(member)
    response = client.post(
        "/attendance/checkin/",
        {"latitude": "39.600100", "longitude": "109.800100", "accuracy_m": "12"},
    )
    assert response.status_code == 302
    response = client.get("/attendance/")
    assert 'data-testid="checked-in"' in response.content.decode()
    response = client.post("/attendance/checkin/", {})
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages
