"""Lists cost the same number of queries for 3 teams as for 30 (no N+1)."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

MAX_QUERIES = 18


@pytest.fixture
def many_teams(db):
    return [factories.staffed_team(members=3) for _ in range(30)]


@pytest.mark.parametrize("url", ["teams:team_list", "teams:cadre_list", "teams:village_list"])
def test_office_list_pages_do_not_grow_with_rows(
    client, office, many_teams, url, django_assert_max_num_queries
):
    client.force_login(office)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse(url))
    assert response.status_code == 200
    assert len(response.context["object_list"]) >= 30


def test_supervisor_team_list_does_not_grow_with_rows(
    client, many_teams, django_assert_max_num_queries
):
    supervisor = factories.UserFactory()
    for team in many_teams:
        team.supervision_group.members.add(supervisor)
    client.force_login(supervisor)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("teams:team_list"))
    assert len(response.context["object_list"]) == 30


def test_team_detail_does_not_grow_with_members(client, office, django_assert_max_num_queries):
    team = factories.staffed_team(members=12)
    client.force_login(office)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("teams:team_detail", args=[team.pk]))
    assert response.status_code == 200
