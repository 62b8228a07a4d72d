"""RECORD rules of teams: R6 party-membership transfer and R28 development category."""

from datetime import date

import pytest
from django.urls import reverse

from teams.models import DevelopmentCategory
from tests import factories

pytestmark = pytest.mark.django_db


def test_r6_party_membership_transfer_shows_on_the_cadre_page(client, team, office):
    cadre = team.memberships.first().cadre
    cadre.party_membership_transferred_on = date(2026, 1, 20)
    cadre.save()
    client.force_login(office)
    page = client.get(reverse("teams:cadre_detail", args=[cadre.pk])).content.decode()
    assert "2026-01-20" in page


def test_r28_village_category_and_industries_show_in_the_list(client, team):
    village = team.village
    village.development_category = DevelopmentCategory.PROTECT
    village.leading_industries = "绒山羊、沙棘"
    village.save()
    client.force_login(factories.leader_of(team))
    page = client.get(reverse("teams:village_list")).content.decode()
    assert "绒山羊、沙棘" in page
    assert str(DevelopmentCategory.PROTECT.label) in page
