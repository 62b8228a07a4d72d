"""Every page renders for the roles that use it."""

from datetime import date

import pytest
from django.urls import reverse

from households.models import Household, PovertyStatus
from tests import factories
from tests.households.factories import HouseholdFactory, MemberFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(team):
    household = HouseholdFactory(
        village=team.village, poverty_status=PovertyStatus.REGISTERED, is_dispute=True
    )
    MemberFactory(household=household)
    VisitFactory(household=household, date=date(2026, 1, 3))
    return household


def test_pages_render_for_a_member(client, team, household):
    client.force_login(factories.a_member_of(team))
    for name, args in [
        ("home", []),
        ("households:household_list", []),
        ("households:household_detail", [household.pk]),
        ("households:household_edit", [household.pk]),
        ("households:household_create", []),
        ("households:visit_create", [household.pk]),
        ("households:visit_detail", [household.visits.first().pk]),
        ("households:to_visit", []),
        ("households:diary", []),
        ("households:team_coverage", [team.pk]),
        ("households:unpaired", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    assert client.get(reverse("households:my_coverage")).status_code == 302


def test_pages_render_for_the_office(client, office, household):
    client.force_login(office)
    for name, args in [
        ("home", []),
        ("households:city_coverage", []),
        ("households:unpaired", []),
        ("households:import", []),
        ("households:household_detail", [household.pk]),
        ("households:household_create", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    assert household.head_name in client.get(reverse("households:unpaired")).content.decode()


def test_member_edits_household_flags_and_key_since_is_set(client, team, household):
    general = HouseholdFactory(village=team.village)
    client.force_login(factories.a_member_of(team))
    data = {
        "head_name": general.head_name,
        "head_id_number": general.head_id_number,
        "poverty_status": "general",
        "is_unstable_mood": "on",
    }
    response = client.post(reverse("households:household_edit", args=[general.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    general.refresh_from_db()
    assert general.is_unstable_mood and general.key_since is not None


def test_office_pairs_from_the_household_page(client, office, team, household):
    client.force_login(office)
    cadre = team.memberships.first().cadre
    response = client.post(reverse("households:pair", args=[household.pk]), {"cadre": cadre.pk})
    assert response.status_code == 302
    assert household.pairings.get().cadre == cadre
    assert not Household.objects.filter(pk=household.pk, pairings__isnull=True).exists()


def test_admin_changelists_render_for_the_office(client, office, household):
    client.force_login(office)
    for model in [
        "household",
        "member",
        "visit",
        "pairing",
        "incomecheck",
        "zonechange",
        "diaryentry",
        "rosterimport",
    ]:
        assert client.get(f"/admin/households/{model}/").status_code == 200, model
    # Roster exports are logged with every other export, in core.
    assert client.get("/admin/core/exportlog/").status_code == 200


def test_member_adds_a_person_and_another_team_cannot(client, team, other_team, household):
    from tests.households.factories import next_id_number

    url = reverse("households:member_create", args=[household.pk])
    data = {
        "name": "新成员",
        "relation": "child",
        "id_number": next_id_number(),
        "health": "healthy",
    }
    client.force_login(factories.a_member_of(other_team))
    assert client.post(url, data).status_code == 404
    client.force_login(factories.a_member_of(team))
    assert client.post(url, data).status_code == 302
    assert household.members.filter(name="新成员").exists()
    data["id_number"] = data["id_number"][:-1] + ("0" if data["id_number"][-1] != "0" else "1")
    data["name"] = "错号"
    assert client.post(url, data).status_code == 200  # refused: bad check digit
    assert not household.members.filter(name="错号").exists()


def test_r33_office_home_shows_the_unpaired_alert(client, office, household):
    client.force_login(office)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="unpaired-alert">1<' in page


def test_household_page_shows_overdue_status(client, team, household):
    never_visited = HouseholdFactory(village=team.village)
    client.force_login(factories.a_member_of(team))
    page = client.get(reverse("households:household_detail", args=[never_visited.pk]))
    assert page.context["status"].overdue is True  # R13: term started 2026-01-01
    page = client.get(reverse("households:household_detail", args=[household.pk]))
    assert page.context["status"].initial_ok is True


def test_r27_income_check_and_override_from_the_household_page(client, team, household):
    client.force_login(factories.leader_of(team))
    url = reverse("households:income_check", args=[household.pk])
    response = client.post(url, {"year": 2026, "per_capita_income": "1000"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.zone == "red"
    url = reverse("households:zone_override", args=[household.pk])
    client.post(url, {"zone": "yellow", "reason": ""})  # refused: no reason
    household.refresh_from_db()
    assert household.zone == "red"
    client.post(url, {"zone": "yellow", "reason": "已获大病救助"})
    household.refresh_from_db()
    assert (household.zone, household.zone_overridden) == ("yellow", True)


def test_supervisor_sees_coverage_of_own_teams_only(client, team, other_team):
    HouseholdFactory(village=team.village)
    HouseholdFactory(village=other_team.village)
    client.force_login(factories.supervisor_of(team))
    response = client.get(reverse("households:city_coverage"))
    assert [row["village_id"] for row in response.context["by_village"]] == [team.village_id]
