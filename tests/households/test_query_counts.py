"""Query-count guards with 500 households: the lists stay a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse

from households.models import Household, PovertyStatus, Visit
from tests import factories
from tests.households.factories import next_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_hundred(team, other_team):
    households = Household.objects.bulk_create(
        [
            Household(
                village=team.village if n % 5 else other_team.village,
                head_name=f"户主{n}",
                head_id_number=next_id_number(),
                poverty_status=PovertyStatus.REGISTERED if n % 7 == 0 else PovertyStatus.GENERAL,
                is_dispute=n % 11 == 0,
            )
            for n in range(500)
        ]
    )
    households = list(Household.objects.order_by("pk"))
    Visit.objects.bulk_create(
        [
            Visit(household=h, date=team.term_start + timedelta(days=n % 40))
            for n, h in enumerate(households)
            if n % 3
        ]
    )
    return households


def test_to_visit_list_query_count(client, team, five_hundred, django_assert_max_num_queries):
    client.force_login(factories.a_member_of(team))
    client.get(reverse("households:to_visit"))  # warm the session and caches
    with django_assert_max_num_queries(17):
        response = client.get(reverse("households:to_visit"))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 50


def test_team_coverage_query_count(client, team, five_hundred, django_assert_max_num_queries):
    client.force_login(factories.leader_of(team))
    url = reverse("households:team_coverage", args=[team.pk]) + "?on=2026-08-01"
    with django_assert_max_num_queries(18):
        response = client.get(url)
    assert response.context["coverage"]["total"] == 400


def test_city_coverage_query_count(client, office, five_hundred, django_assert_max_num_queries):
    client.force_login(office)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("households:city_coverage") + "?on=2026-03-01")
    assert sum(row["total"] for row in response.context["by_village"]) == 500
    assert len(response.context["by_village"]) == 2


def test_household_list_and_unpaired_query_count(
    client, office, five_hundred, django_assert_max_num_queries
):
    client.force_login(office)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("households:household_list")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("households:unpaired")).status_code == 200


def test_export_query_count(client, office, five_hundred, django_assert_max_num_queries):
    from core.models import ExportLog
    from households.roster import roster_export_run

    job = ExportLog.objects.create(user=office, app="households", kind="roster")
    with django_assert_max_num_queries(12):
        roster_export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.row_count == 500 and job.finished_at
