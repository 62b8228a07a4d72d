"""Masking per role and scoping by URL: another team's cadre cannot read or add visits."""

from datetime import date

import pytest
from django.urls import reverse

from households.idnumbers import mask, shown_id_number
from households.models import Visit
from tests import factories
from tests.households.factories import HouseholdFactory, MemberFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(team):
    household = HouseholdFactory(village=team.village)
    MemberFactory(household=household, id_number=household.head_id_number, name="户主本人")
    return household


def test_mask_keeps_region_prefix_and_last_four():
    assert mask("152601197005171234") == "1526**********1234"


def _roles(team, office):
    return {
        "office": (office, True),
        "leader": (factories.leader_of(team), True),
        "member": (factories.a_member_of(team), True),
        "supervisor": (factories.supervisor_of(team), False),
        "unit": (factories.unit_contact_of(team.unit), False),
        "banner": (factories.area_staff(banner=team.village.township.banner), False),
        "township": (factories.area_staff(township=team.village.township), False),
        "village": (factories.area_staff(village=team.village), False),
    }


@pytest.mark.parametrize(
    "role", ["office", "leader", "member", "supervisor", "unit", "banner", "township", "village"]
)
def test_id_numbers_whole_only_for_office_and_team_cadres(client, team, office, household, role):
    user, sees_whole = _roles(team, office)[role]
    assert (
        shown_id_number(user, village_id=household.village_id, value=household.head_id_number)
        == household.head_id_number
    ) is sees_whole
    client.force_login(user)
    page = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    assert (household.head_id_number in page) is sees_whole
    assert mask(household.head_id_number) in page or sees_whole


def test_export_masks_for_a_supervisor(
    client, team, household, django_capture_on_commit_callbacks
):
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.households.factories import download_export

    client.force_login(factories.supervisor_of(team))
    data = download_export(client, django_capture_on_commit_callbacks)
    sheet = load_workbook(BytesIO(data)).active
    values = [cell.value for cell in sheet[3]]  # below the title and header rows
    assert mask(household.head_id_number) in values
    assert household.head_id_number not in values


def test_cadre_of_another_team_cannot_read_household_or_visit(client, team, other_team, household):
    visit = VisitFactory(household=household, date=date(2026, 1, 5))
    client.force_login(factories.a_member_of(other_team))
    assert (
        client.get(reverse("households:household_detail", args=[household.pk])).status_code == 404
    )
    assert client.get(reverse("households:visit_detail", args=[visit.pk])).status_code == 404
    listing = client.get(reverse("households:household_list")).content.decode()
    assert household.head_name not in listing


def test_cadre_of_another_team_cannot_add_a_visit_by_url(client, team, other_team, household):
    client.force_login(factories.a_member_of(other_team))
    url = reverse("households:visit_create", args=[household.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"date": "2026-01-05", "kind": "routine"})
    assert response.status_code == 404
    assert not Visit.objects.exists()


def test_supervisor_can_read_but_not_add_a_visit(client, team, household):
    client.force_login(factories.supervisor_of(team))
    assert (
        client.get(reverse("households:household_detail", args=[household.pk])).status_code == 200
    )
    url = reverse("households:visit_create", args=[household.pk])
    assert client.post(url, {"date": "2026-01-05", "kind": "routine"}).status_code == 403
    assert not Visit.objects.exists()


def test_cadre_of_another_team_cannot_change_zone_or_pair(client, team, other_team, household):
    client.force_login(factories.leader_of(other_team))
    url = reverse("households:zone_override", args=[household.pk])
    assert client.post(url, {"zone": "red", "reason": "x"}).status_code == 404
    url = reverse("households:pair", args=[household.pk])
    assert client.post(url, {"cadre": 1}).status_code == 404
    url = reverse("households:household_edit", args=[household.pk])
    assert client.get(url).status_code == 404


def test_team_coverage_of_another_team_is_404(client, team, other_team):
    client.force_login(factories.a_member_of(other_team))
    assert client.get(reverse("households:team_coverage", args=[team.pk])).status_code == 404
    assert client.get(reverse("households:team_coverage", args=[other_team.pk])).status_code == 200


def test_export_file_is_only_for_the_user_who_asked(
    client, team, office, household, django_capture_on_commit_callbacks
):
    from core.models import ExportLog as RosterExport
    from tests.households.factories import download_export

    client.force_login(office)
    download_export(client, django_capture_on_commit_callbacks)
    job = RosterExport.objects.get()
    client.force_login(factories.leader_of(team))
    assert client.get(reverse("households:export_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("households:export_status", args=[job.pk])).status_code == 404
