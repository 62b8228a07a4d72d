"""Visit logging with photos, R27 zones with history and alerts, R33 pairing."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.errors import DomainError, NotAllowed
from accounts.models import Notification
from households import services
from households.models import PovertyStatus, Visit, VisitKind, Zone, ZoneChange
from households.selectors import unpaired_poor_households
from tests import factories
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def jpeg_with_exif(size=(3000, 2000), taken="2026:01:05 09:30:00") -> bytes:
    image = Image.new("RGB", size, (120, 160, 90))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def household(team):
    return HouseholdFactory(village=team.village)


def test_member_logs_a_visit_with_a_photo_resized_and_exif_time_kept(client, team, household):
    member = factories.a_member_of(team)
    client.force_login(member)
    photo = SimpleUploadedFile("p.jpg", jpeg_with_exif(), content_type="image/jpeg")
    response = client.post(
        reverse("households:visit_create", args=[household.pk]),
        {
            "date": "2026-01-05",
            "kind": VisitKind.INITIAL,
            "findings": "住房安全",
            "photos": [photo],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = Visit.objects.get()
    assert visit.team == team
    assert list(visit.visitors.all()) == [member.cadre]
    stored = visit.photos.get()
    assert max(stored.width, stored.height) == 1600
    assert timezone.localtime(stored.taken_at).replace(tzinfo=None) == datetime(2026, 1, 5, 9, 30)
    assert client.get(reverse("households:photo", args=[stored.pk])).status_code == 200


def test_photo_of_another_team_is_404(client, team, other_team, household):
    member = factories.a_member_of(team)
    visit = services.visit_log(
        user=member,
        household=household,
        date=date(2026, 1, 5),
        kind=VisitKind.ROUTINE,
        photos=[SimpleUploadedFile("p.jpg", jpeg_with_exif((100, 80)))],
    )
    client.force_login(factories.a_member_of(other_team))
    photo = visit.photos.get()
    assert client.get(reverse("households:photo", args=[photo.pk])).status_code == 404


def test_visit_in_the_future_is_refused(team, household):
    with pytest.raises(DomainError):
        services.visit_log(
            user=factories.a_member_of(team),
            household=household,
            date=timezone.localdate().replace(year=timezone.localdate().year + 1),
            kind=VisitKind.ROUTINE,
        )


def test_visitor_outside_the_team_is_refused(team, other_team, household):
    outsider = other_team.memberships.first().cadre
    with pytest.raises(DomainError):
        services.visit_log(
            user=factories.a_member_of(team),
            household=household,
            date=date(2026, 1, 5),
            kind=VisitKind.ROUTINE,
            visitor_ids=[outsider.pk],
        )


def test_diary_entry_belongs_to_the_village(client, team):
    client.force_login(factories.a_member_of(team))
    response = client.post(reverse("households:diary"), {"date": "2026-01-05", "text": "开会"})
    assert response.status_code == 302
    assert team.village.diary_entries.get().text == "开会"


# --- R27 ------------------------------------------------------------------------------


def test_r27_zone_follows_thresholds_and_moves_notify_team_and_office(team, office, household):
    leader = factories.leader_of(team)
    services.income_check_record(
        user=leader, household=household, year=2026, per_capita_income=Decimal("20000")
    )
    household.refresh_from_db()
    assert household.zone == Zone.GREEN
    assert not Notification.objects.exists()
    services.income_check_record(
        user=leader,
        household=household,
        year=2026,
        per_capita_income=Decimal("20000"),
        risk_illness=True,
    )
    household.refresh_from_db()
    assert household.zone == Zone.YELLOW
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert office.pk in told and leader.pk in told
    assert factories.a_member_of(team).pk in told
    services.income_check_record(
        user=leader, household=household, year=2026, per_capita_income=Decimal("1000")
    )
    household.refresh_from_db()
    assert household.zone == Zone.RED
    history = list(household.zone_changes.order_by("pk").values_list("from_zone", "to_zone"))
    assert history == [("", "green"), ("green", "yellow"), ("yellow", "red")]


def test_r27_thresholds_are_policy_rows_per_year(team, household):
    from teams.models import Policy

    Policy.objects.create(
        key="zone_yellow_income_below", value=30000, effective_from=date(2026, 1, 1)
    )
    check = services.income_check_record(
        user=factories.leader_of(team),
        household=household,
        year=2026,
        per_capita_income=Decimal("20000"),
    )
    assert check.computed_zone == Zone.YELLOW
    earlier = services.income_check_record(
        user=factories.leader_of(team),
        household=household,
        year=2025,
        per_capita_income=Decimal("20000"),
    )
    assert earlier.computed_zone == Zone.GREEN


def test_r27_manual_override_needs_a_reason_and_is_kept(team, household):
    leader = factories.leader_of(team)
    with pytest.raises(DomainError):
        services.zone_override(user=leader, household=household, zone=Zone.RED, reason="  ")
    services.zone_override(user=leader, household=household, zone=Zone.RED, reason="突发重病")
    change = ZoneChange.objects.get()
    assert (change.to_zone, change.is_override, change.reason, change.changed_by) == (
        Zone.RED,
        True,
        "突发重病",
        leader,
    )
    # A later income check does not undo the override.
    services.income_check_record(
        user=leader, household=household, year=2026, per_capita_income=Decimal("50000")
    )
    household.refresh_from_db()
    assert household.zone == Zone.RED


def test_r27_supervisor_cannot_set_zone(team, household):
    with pytest.raises(NotAllowed):
        services.zone_override(
            user=factories.supervisor_of(team), household=household, zone=Zone.RED, reason="x"
        )


# --- R33 ------------------------------------------------------------------------------


def test_r33_newly_flagged_poor_household_appears_unpaired_at_once(team, office, household):
    assert household not in unpaired_poor_households(user=office)
    services.household_update(
        user=factories.a_member_of(team),
        household=household,
        poverty_status=PovertyStatus.REGISTERED,
    )
    household.refresh_from_db()
    assert household.poor_since == timezone.localdate()
    assert household in unpaired_poor_households(user=office)


def test_r33_pairing_with_any_cadre_of_the_city_clears_the_alert(team, other_team, office):
    household = HouseholdFactory(village=team.village, poverty_status=PovertyStatus.REGISTERED)
    cadre = other_team.memberships.first().cadre  # any cadre of the city
    services.pairing_assign(user=factories.leader_of(team), household=household, cadre=cadre)
    assert household not in unpaired_poor_households(user=office)


def test_r33_member_cannot_pair_and_general_households_are_not_paired(team):
    poor = HouseholdFactory(village=team.village, poverty_status=PovertyStatus.REGISTERED)
    general = HouseholdFactory(village=team.village)
    cadre = team.memberships.first().cadre
    with pytest.raises(NotAllowed):
        services.pairing_assign(user=factories.a_member_of(team), household=poor, cadre=cadre)
    with pytest.raises(DomainError):
        services.pairing_assign(user=factories.leader_of(team), household=general, cadre=cadre)


def test_r33_reminder_is_sent_once_per_household(team, office):
    from households.tasks import remind_unpaired_poor_households

    HouseholdFactory(
        village=team.village, poverty_status=PovertyStatus.MONITORED, monitoring_category="sudden"
    )
    HouseholdFactory(village=team.village, poverty_status=PovertyStatus.REGISTERED)
    assert remind_unpaired_poor_households.delay().get() == 2
    assert remind_unpaired_poor_households.delay().get() == 0
    assert Notification.objects.filter(user=office, key__startswith="unpaired-poor:").count() == 2


def test_overdue_digest_goes_to_the_leader_once_a_week(team, household):
    from households.reminders import remind_overdue_visits

    leader = factories.leader_of(team)
    assert remind_overdue_visits(on=date(2026, 2, 2)) == 1
    assert remind_overdue_visits(on=date(2026, 2, 3)) == 0  # same ISO week
    assert Notification.objects.get(user=leader).key == f"visits-overdue:{team.pk}:2026-W06"
