"""Issue 10's pages cost the same number of queries for few rows as for many."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from teams import services
from teams.models import IndividualRotation, MembershipRole
from tests import factories

pytestmark = pytest.mark.django_db

MAX_QUERIES = 18


def _rotations(office, n):
    for _ in range(n):
        team = factories.staffed_team()
        leaving = team.memberships.filter(role=MembershipRole.MEMBER).first()
        services.individual_rotation_request(
            membership=leaving,
            replacement=factories.CadreFactory(unit=team.unit),
            reason="调整",
            by=office,
        )


def test_rotation_list_does_not_grow_with_rows(client, office, django_assert_max_num_queries):
    _rotations(office, 25)
    client.force_login(office)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("teams:rotation_list"))
    assert len(response.context["object_list"]) == 25


def test_leaders_meetings_page_does_not_grow_with_rows(
    client, office, django_assert_max_num_queries
):
    leaders = [factories.leader_of(factories.staffed_team()).cadre for _ in range(12)]
    for i in range(20):
        services.leaders_meeting_record(
            user=office,
            date=date(2026, 1, 1) + timedelta(days=i),
            title=f"会{i}",
            attendees=leaders,
        )
    client.force_login(office)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("teams:leaders_meetings"))
    assert response.status_code == 200
    assert "会19" in response.content.decode()


def test_cadre_file_does_not_grow_with_talks_and_records(
    client, office, team, django_assert_max_num_queries
):
    cadre = team.memberships.first().cadre
    for i in range(15):
        services.talk_record(user=office, cadre=cadre, date=date(2026, 2, 1), topic=f"谈{i}")
        services.discipline_record_create(
            user=office, cadre=cadre, date=date(2026, 2, 1), prohibition="x", facts=f"事{i}"
        )
        services.cadre_selection_review(cadre=cadre, reviewer=office, approve=True, note=f"审{i}")
    client.force_login(office)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("teams:cadre_detail", args=[cadre.pk]))
    page = response.content.decode()
    assert "谈14" in page and "事14" in page and "审14" in page


def test_another_teams_leader_cannot_open_a_rotation(client, office, team, other_team):
    _rotations(office, 1)
    rotation = IndividualRotation.objects.get()
    client.force_login(factories.leader_of(other_team))
    assert client.get(reverse("teams:rotation_detail", args=[rotation.pk])).status_code == 404
    client.force_login(factories.leader_of(rotation.team))
    response = client.post(
        reverse("teams:rotation_detail", args=[rotation.pk]), {"approve": "1", "note": ""}
    )
    assert response.status_code == 403
    rotation.refresh_from_db()
    assert rotation.status == "requested"  # only the office approves (R9)
