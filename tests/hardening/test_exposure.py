"""Issue 11 findings 1, 3 and 15: ID numbers, open redirects, exports started by a GET."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.models import ExportLog
from reports.models import Errand
from tests import factories
from tests.households.factories import HouseholdFactory, MemberFactory

pytestmark = pytest.mark.django_db

EVIL = "https://evil.example/phish"


@pytest.fixture
def household(team):
    household = HouseholdFactory(village=team.village)
    MemberFactory(household=household)
    return household


@pytest.mark.parametrize("who", ["supervisor", "unit", "banner", "township"])
def test_household_edit_form_does_not_open_for_a_role_that_only_reads(
    client, team, household, who
):
    """The edit GET once showed whole ID numbers to every role that could read the household."""
    user = {
        "supervisor": lambda: factories.supervisor_of(team),
        "unit": lambda: factories.unit_contact_of(team.unit),
        "banner": lambda: factories.area_staff(banner=team.village.township.banner),
        "township": lambda: factories.area_staff(township=team.village.township),
    }[who]()
    client.force_login(user)
    assert (
        client.get(reverse("households:household_detail", args=[household.pk])).status_code == 200
    )
    for name in ("household_edit", "member_create"):
        response = client.get(reverse(f"households:{name}", args=[household.pk]))
        assert response.status_code == 404
        assert household.head_id_number not in response.content.decode()


def test_household_edit_form_still_opens_for_the_stationed_team(client, team, household):
    client.force_login(factories.leader_of(team))
    response = client.get(reverse("households:household_edit", args=[household.pk]))
    assert response.status_code == 200
    assert household.head_id_number in response.content.decode()


def test_visit_form_next_does_not_leave_the_site(client, team, household):
    client.force_login(factories.leader_of(team))
    url = reverse("households:visit_create", args=[household.pk])
    response = client.post(
        f"{url}?next={EVIL}",
        {"date": date.today().isoformat(), "kind": "routine", "findings": "Talked about sheep."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("households:to_visit")


def test_visit_form_next_on_the_site_is_followed(client, team, household):
    client.force_login(factories.leader_of(team))
    url = reverse("households:visit_create", args=[household.pk])
    back = reverse("households:household_detail", args=[household.pk])
    response = client.post(
        f"{url}?next={back}",
        {"date": date.today().isoformat(), "kind": "routine", "findings": "Talked about sheep."},
    )
    assert response["Location"] == back


@pytest.mark.parametrize("target", [EVIL, "//evil.example/", "javascript:alert(1)"])
def test_errand_advance_next_does_not_leave_the_site(client, team, target):
    errand = Errand.objects.create(
        team=team, requester="村民", description="Fetch a form", accepted_on=date.today()
    )
    client.force_login(factories.leader_of(team))
    response = client.post(reverse("reports:errand_advance", args=[errand.pk]), {"next": target})
    assert response["Location"] == reverse("reports:errand_list")


def test_every_next_parameter_goes_through_the_one_helper():
    """No view reads ``next`` itself: the class of open redirect is closed in core.redirects."""
    offenders = []
    for path in Path(settings.BASE_DIR).glob("*/views*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "get"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value in ("next", "return_to", "redirect_to")
            ):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_opening_the_roster_export_url_creates_no_job(client, team):
    client.force_login(factories.leader_of(team))
    response = client.get(reverse("households:export") + "?zone=red")
    assert response.status_code == 302
    assert response["Location"] == reverse("households:household_list") + "?zone=red"
    assert ExportLog.objects.filter(app="households").count() == 0


def test_the_export_button_posts_and_queues_one_job(
    client, team, django_capture_on_commit_callbacks
):
    client.force_login(factories.leader_of(team))
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("households:export") + "?zone=red")
    job = ExportLog.objects.filter(app="households").get()
    assert response["Location"] == reverse("households:export_status", args=[job.pk])
    page = client.get(reverse("households:household_list")).content.decode()
    assert 'method="post" action="/households/export/' in page
