"""The phone app's pages (issue 14): manifest, service worker, workbench and the data the
phone keeps, which holds the cadre's own village only and nothing confidential (R18)."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from households.idnumbers import mask
from reports.models import Feedback, FeedbackCategory
from tests import factories
from tests.households.factories import HouseholdFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_manifest_names_the_app_in_chinese_with_icons_served_here(client):
    response = client.get(reverse("manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "驻村工作"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/m/",
        "/",
        "standalone",
    )
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/mobile/icons/")
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_service_worker_is_served_from_the_root_for_every_page(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    code = response.content.decode()
    assert "/static/mobile/queue.js" in code and "/*APP_SHELL*/" not in code
    assert "/*VERSION*/" not in code  # the kept files change, so does the worker


def test_base_page_links_the_manifest_and_has_no_inline_script(client, team):
    client.force_login(factories.a_member_of(team))
    html = client.get(reverse("mobile:workbench")).content.decode()
    assert 'rel="manifest"' in html
    assert "<script>" not in html  # static files only (CSP)
    assert not re.search(r'(?:src|href|action)="(?:https?:)?//', html)  # nothing from outside


def test_workbench_is_for_cadres(client, team, office):
    client.force_login(office)
    assert client.get(reverse("mobile:workbench")).status_code == 403
    assert client.get(reverse("mobile:data")).status_code == 403
    client.logout()
    assert client.get(reverse("mobile:workbench")).status_code == 302


def test_phone_keeps_own_village_only_and_nothing_confidential(client, team, other_team):
    mine = HouseholdFactory(village=team.village, head_name="乌日娜")
    MemberFactory(household=mine, name="巴特尔")
    HouseholdFactory(village=other_team.village, head_name="别村户")
    member = factories.a_member_of(team)
    Feedback.objects.create(
        team=team,
        sender=member,
        category=FeedbackCategory.MISCONDUCT,
        subject="村干部线索",
        text="机密内容",
    )
    client.force_login(member)
    response = client.get(reverse("mobile:data"))
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    bundle = json.loads(body)
    assert [card["head_name"] for card in bundle["households"]] == ["乌日娜"]
    assert bundle["households"][0]["members"][0]["name"] == "巴特尔"
    assert bundle["to_visit"] == [mine.pk]  # the term started long ago: a visit is due
    assert "别村户" not in body and "机密内容" not in body and "村干部线索" not in body
    assert bundle["user"] == member.pk and bundle["expires"]


def test_phone_copy_shows_id_numbers_as_the_cadre_sees_them(client, team, other_team):
    """The stationed team's cadres see their village's numbers whole, as on their pages;
    a cadre of another team never receives that village's households at all."""
    household = HouseholdFactory(village=team.village)
    client.force_login(factories.a_member_of(team))
    card = client.get(reverse("mobile:data")).json()["households"][0]
    assert card["id_number"] == household.head_id_number
    client.force_login(factories.a_member_of(other_team))
    body = client.get(reverse("mobile:data")).content.decode()
    assert household.head_id_number not in body and mask(household.head_id_number) not in body


@pytest.mark.parametrize("households", [3, 30])
def test_phone_copy_query_count_does_not_grow_with_households(
    client, team, households, django_assert_max_num_queries
):
    for _ in range(households):
        MemberFactory(household=HouseholdFactory(village=team.village))
    client.force_login(factories.a_member_of(team))
    with django_assert_max_num_queries(19):
        response = client.get(reverse("mobile:data"))
    assert len(response.json()["households"]) == households


@pytest.mark.parametrize("members", [2, 12])
def test_workbench_query_count_does_not_grow_with_the_team(
    client, members, django_assert_max_num_queries
):
    team = factories.staffed_team(members=members)
    client.force_login(factories.a_member_of(team))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("mobile:workbench"))
    assert response.status_code == 200
