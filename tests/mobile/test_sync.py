"""The phone app's sync endpoint (issue 14): each record stored once under its phone key,
with its capture time when sent late, through the same validation as online."""

import io
import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from attendance.models import CheckIn
from households.models import DiaryEntry, Visit
from reports.models import LedgerRecord
from tests import factories
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
SYNC = reverse("mobile:sync")


@pytest.fixture
def member(team):
    return factories.a_member_of(team)


@pytest.fixture
def household(team):
    return HouseholdFactory(village=team.village, head_name="乌日娜")


def photo(size=(2400, 1800)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 140, 200)).save(buffer, format="JPEG")
    buffer.seek(0)
    buffer.name = "visit.jpg"
    return buffer


def visit_data(household, key, **extra):
    return {
        "record_type": "visit",
        "client_key": str(key),
        "household": household.pk,
        "date": timezone.localdate().isoformat(),
        "kind": "routine",
        "findings": "住房安全",
        **extra,
    }


def test_same_key_sent_twice_stores_one_visit(client, member, household):
    key = uuid.uuid4()
    client.force_login(member)
    first = client.post(SYNC, visit_data(household, key, photos=photo()))
    second = client.post(SYNC, visit_data(household, key, photos=photo()))
    assert (first.status_code, first.json()["status"]) == (201, "stored"), first.json()
    assert (second.status_code, second.json()["status"]) == (200, "duplicate")
    assert second.json()["id"] == first.json()["id"]
    visit = Visit.objects.get(household=household)
    assert visit.client_key == key
    assert visit.photos.count() == 1


def test_record_sent_late_keeps_its_capture_time(client, member, household):
    captured = timezone.now() - timedelta(hours=3)
    client.force_login(member)
    response = client.post(
        SYNC,
        visit_data(household, uuid.uuid4(), captured_at=captured.isoformat(), sent_late="1"),
    )
    assert response.json()["sent_late"] is True
    visit = Visit.objects.get(household=household)
    assert visit.captured_at == captured
    page = client.get(reverse("households:visit_detail", args=[visit.pk])).content.decode()
    assert 'data-testid="sent-late"' in page
    assert f"{timezone.localtime(captured):%Y-%m-%d %H:%M}" in page


def test_record_sent_at_once_is_not_marked_late(client, member, household):
    client.force_login(member)
    response = client.post(
        SYNC,
        visit_data(household, uuid.uuid4(), captured_at=timezone.now().isoformat(), sent_late="0"),
    )
    assert response.json()["sent_late"] is False
    visit = Visit.objects.get(household=household)
    assert visit.captured_at is None
    page = client.get(reverse("households:visit_detail", args=[visit.pk])).content.decode()
    assert 'data-testid="sent-late"' not in page


def test_offline_checkin_counts_at_its_capture_time_and_once_a_day(client, member):
    captured = timezone.localtime().replace(hour=0, minute=5, second=0, microsecond=0)
    key = uuid.uuid4()
    client.force_login(member)
    data = {"record_type": "checkin", "client_key": str(key), "captured_at": captured.isoformat()}
    first = client.post(SYNC, {**data, "sent_late": "1"})
    retry = client.post(SYNC, {**data, "sent_late": "1"})
    another = client.post(SYNC, {"record_type": "checkin", "client_key": str(uuid.uuid4())})
    assert first.status_code == 201
    assert retry.json()["status"] == "duplicate"
    # The one-a-day rule still holds for a different record the same day.
    assert another.status_code == 422
    assert "already checked in today" in another.json()["message"]
    checkin = CheckIn.objects.get()
    assert (checkin.at, checkin.captured_at, checkin.client_key) == (captured, captured, key)


def test_offline_checkin_keeps_the_location_given(client, member):
    client.force_login(member)
    client.post(
        SYNC,
        {
            "record_type": "checkin",
            "client_key": str(uuid.uuid4()),
            "latitude": "39.600001",
            "longitude": "109.800001",
            "accuracy_m": "12",
            "captured_at": (timezone.now() - timedelta(minutes=40)).isoformat(),
            "sent_late": "1",
        },
    )
    checkin = CheckIn.objects.get()
    assert (str(checkin.latitude), checkin.accuracy_m) == ("39.600001", 12)


def test_record_older_than_the_office_allows_is_refused(client, member, household):
    client.force_login(member)
    old = timezone.now() - timedelta(days=30)
    response = client.post(
        SYNC, visit_data(household, uuid.uuid4(), captured_at=old.isoformat(), sent_late="1")
    )
    assert response.status_code == 422
    assert "more than 7 days" in response.json()["message"]
    assert not Visit.objects.exists()


def test_record_from_the_future_is_refused(client, member, household):
    client.force_login(member)
    later = timezone.now() + timedelta(hours=2)
    response = client.post(
        SYNC, visit_data(household, uuid.uuid4(), captured_at=later.isoformat(), sent_late="1")
    )
    assert response.status_code == 422
    assert not Visit.objects.exists()


def test_visit_to_another_teams_household_is_refused_with_a_message(client, member, other_team):
    """Changing the household id to another team's is refused, nothing stored (R13)."""
    theirs = HouseholdFactory(village=other_team.village)
    client.force_login(member)
    response = client.post(SYNC, visit_data(theirs, uuid.uuid4()))
    assert response.status_code == 422
    assert "no longer among your village's households" in response.json()["message"]
    assert not Visit.objects.exists()


def test_online_validation_applies(client, member, household):
    """The visit form's own checks: a visit in the future is refused, as online."""
    client.force_login(member)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(SYNC, visit_data(household, uuid.uuid4(), date=tomorrow.isoformat()))
    assert response.status_code == 422
    assert "cannot be in the future" in response.json()["message"]


def test_anothers_key_stores_nothing(client, team, household):
    key = uuid.uuid4()
    client.force_login(factories.a_member_of(team))
    client.post(SYNC, visit_data(household, key))
    client.force_login(factories.leader_of(team))
    response = client.post(SYNC, visit_data(household, key, findings="别人的"))
    assert response.status_code == 403
    assert Visit.objects.get().findings == "住房安全"


def test_diary_and_ledger_drafts_are_stored_once(client, member):
    client.force_login(member)
    today = timezone.localdate().isoformat()
    diary = {
        "record_type": "diary",
        "client_key": str(uuid.uuid4()),
        "date": today,
        "text": "牧区走访",
    }
    ledger = {
        "record_type": "ledger",
        "kind": "service_day",
        "client_key": str(uuid.uuid4()),
        "team": member.cadre.memberships.get().team_id,
        "date": today,
        "title": "便民服务日",
        "text": "",
    }
    for _ in range(2):
        assert client.post(SYNC, diary).status_code in (200, 201)
        response = client.post(SYNC, ledger)
        assert response.status_code in (200, 201), response.json()
    assert DiaryEntry.objects.count() == 1
    assert LedgerRecord.objects.count() == 1


def test_logged_out_phone_is_told_to_log_in(client, household):
    response = client.post(SYNC, visit_data(household, uuid.uuid4()))
    assert response.status_code == 401
    assert response.json()["status"] == "login"


def test_client_key_is_unique_across_records(team, household):
    key = uuid.uuid4()
    Visit.objects.create(household=household, team=team, date=timezone.localdate(), client_key=key)
    with pytest.raises(IntegrityError):
        Visit.objects.create(
            household=household, team=team, date=timezone.localdate(), client_key=key
        )


def test_records_made_online_have_no_key_nor_capture_time(team, household):
    visit = Visit.objects.create(household=household, team=team, date=timezone.localdate())
    assert (visit.client_key, visit.captured_at) == (None, None)


def test_visit_after_the_cadres_team_ended_is_refused_with_a_message(client, team, household):
    member = factories.a_member_of(team)
    membership = member.cadre.memberships.get()
    membership.end_date = timezone.localdate() - timedelta(days=1)
    membership.save()
    client.force_login(member)
    response = client.post(SYNC, visit_data(household, uuid.uuid4()))
    assert response.status_code in (403, 422)
    assert response.json()["status"] == "refused" and response.json()["message"]
    assert not Visit.objects.exists()


def test_record_colliding_with_a_concurrent_one_is_refused_not_a_server_error(
    client, member, monkeypatch
):
    """Two check-ins of one cadre arriving at the same moment under different keys: the
    database's once-a-day constraint refuses the second, and the phone reads why."""
    from mobile import services

    def collide(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: attendance_checkin.cadre_id")

    monkeypatch.setitem(services.KINDS, "checkin", services.Kind(CheckIn, "cadre__user", collide))
    client.force_login(member)
    response = client.post(SYNC, {"record_type": "checkin", "client_key": str(uuid.uuid4())})
    assert response.status_code == 422
    assert "same moment" in response.json()["message"]
