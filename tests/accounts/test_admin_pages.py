"""The office's admin: every registered model's list and add page opens, in Chinese."""

import pytest
from django.contrib import admin
from django.urls import reverse

from teams.models import MembershipRole, Team, TeamStatus
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = [
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label not in ("auth", "axes")
]


@pytest.mark.parametrize("app_label,model_name", MODELS)
def test_office_opens_every_changelist_and_add_page(client, office, team, app_label, model_name):
    client.force_login(office)
    changelist = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert changelist.status_code == 200
    add = client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code in (200, 403)  # some rows are created by workflows only


def test_admin_speaks_chinese(client, office):
    client.force_login(office)
    assert "包联驻村工作管理" in client.get(reverse("admin:index")).content.decode()


def test_office_creates_a_team_with_members_in_admin_and_r3_is_checked(client, office, team):
    """A cadre of another active team is refused on the inline with the R3 message."""
    client.force_login(office)
    village = factories.VillageFactory()
    busy = team.memberships.filter(role=MembershipRole.MEMBER).first().cadre
    free = factories.CadreFactory()
    data = {
        "name": "新队",
        "village": village.pk,
        "unit": team.unit.pk,
        "supervision_group": "",
        "term_start": "2026-12-01",
        "term_end": "2028-12-01",
        "leader_exception_reason": "",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-cadre": free.pk,
        "memberships-0-role": "leader",
        "memberships-0-is_first_secretary": "on",
        "memberships-0-start_date": "2026-12-01",
        "memberships-1-cadre": busy.pk,
        "memberships-1-role": "member",
        "memberships-1-start_date": "2026-12-01",
    }
    response = client.post(reverse("admin:teams_team_add"), data)
    assert response.status_code == 200
    assert "已在工作队" in response.content.decode()  # the service's message, issue 13
    assert not Team.objects.filter(name="新队").exists()

    data["memberships-1-cadre"] = factories.CadreFactory().pk
    response = client.post(reverse("admin:teams_team_add"), data)
    assert response.status_code == 302
    created = Team.objects.get(name="新队")
    assert created.status == TeamStatus.FORMING
    assert created.memberships.count() == 2


def test_team_change_page_shows_r1_and_r39_checks(client, office, team):
    from teams.models import ProblemTag

    team.village.problem_tags.add(ProblemTag.objects.get(code="disputes"))
    team.memberships.filter(role=MembershipRole.MEMBER).update(end_date="2026-01-02")
    client.force_login(office)
    page = client.get(reverse("admin:teams_team_change", args=[team.pk])).content.decode()
    assert "R1" in page
    assert "R39" in page
