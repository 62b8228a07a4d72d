"""The team alerts page shows R1/R2/R4/R7/R35 cases in the user's scope only."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from teams.models import MembershipRole, SelectionStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_r1_below_strength_team_is_listed_for_its_supervisor(client, team, other_team):
    for team_ in (team, other_team):
        team_.memberships.filter(role=MembershipRole.MEMBER).update(
            end_date=date.today() - timedelta(days=1)
        )
    client.force_login(factories.supervisor_of(team))
    page = client.get(reverse("teams:monitor"))
    listed = list(page.context["below_strength"])
    assert listed == [team]


def test_r2_missing_reason_and_r4_pending_review_are_listed(client, office, team):
    team.memberships.filter(role=MembershipRole.LEADER).update(is_first_secretary=False)
    pending = factories.CadreFactory(selection_status=SelectionStatus.PENDING)
    client.force_login(office)
    page = client.get(reverse("teams:monitor"))
    assert team in page.context["missing_reason"]
    assert pending in page.context["awaiting_review"]


def test_r7_r35_term_and_insurance_ending_within_the_policy_window(client, office):
    ending = factories.staffed_team(term_end=date.today() + timedelta(days=30))
    later = factories.staffed_team(term_end=date.today() + timedelta(days=400))
    cadre = ending.memberships.first().cadre
    cadre.insurance_end = date.today() + timedelta(days=10)
    cadre.save()
    client.force_login(office)
    page = client.get(reverse("teams:monitor"))
    assert ending in page.context["terms_ending"]
    assert later not in page.context["terms_ending"]
    assert cadre in page.context["insurance_ending"]


def test_members_cannot_open_the_monitor(client, team):
    client.force_login(factories.a_member_of(team))
    assert client.get(reverse("teams:monitor")).status_code == 403


def test_monitor_query_count_does_not_grow(client, office, django_assert_max_num_queries):
    for _ in range(20):
        team = factories.staffed_team(term_end=date.today() + timedelta(days=20))
        team.memberships.filter(role=MembershipRole.MEMBER).update(end_date=date(2026, 1, 2))
    client.force_login(office)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("teams:monitor"))
    assert len(page.context["below_strength"]) == 20


def test_monitor_speaks_chinese_headings(client, office):
    client.force_login(office)
    html = client.get(reverse("teams:monitor")).content.decode()
    assert '<h1 class="h4">工作队预警</h1>' in html
    assert "待组织部审核的干部" in html and "R4" not in html  # issue 13
