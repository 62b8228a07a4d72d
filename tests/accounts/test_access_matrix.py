"""Role x URL: each role reads what DESIGN.md's access rules allow, and nothing by id."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ROLES = [
    "office",
    "supervisor",
    "unit",
    "banner",
    "township",
    "village",
    "leader",
    "member",
    "outsider",
]


@pytest.fixture
def people(team, other_team, office):
    village = team.village
    return {
        "office": office,
        "supervisor": factories.supervisor_of(team),
        "unit": factories.unit_contact_of(team.unit),
        "banner": factories.area_staff(banner=village.township.banner),
        "township": factories.area_staff(township=village.township, is_head=True),
        "village": factories.area_staff(village=village, is_head=True),
        "leader": factories.leader_of(team),
        "member": factories.a_member_of(team),
        "outsider": factories.leader_of(other_team),
    }


@pytest.mark.parametrize("role", ROLES)
def test_team_detail_is_readable_inside_scope_only(client, people, team, other_team, role):
    client.force_login(people[role])
    own = client.get(reverse("teams:team_detail", args=[team.pk]))
    foreign = client.get(reverse("teams:team_detail", args=[other_team.pk]))
    assert own.status_code == (404 if role == "outsider" else 200)
    assert foreign.status_code == (200 if role in ("office", "outsider") else 404)


@pytest.mark.parametrize("role", ROLES)
def test_cadre_detail_by_changed_id(client, people, team, other_team, role):
    client.force_login(people[role])
    ours = team.memberships.first().cadre
    theirs = other_team.memberships.first().cadre
    assert client.get(reverse("teams:cadre_detail", args=[ours.pk])).status_code == (
        404 if role == "outsider" else 200
    )
    assert client.get(reverse("teams:cadre_detail", args=[theirs.pk])).status_code == (
        200 if role in ("office", "outsider") else 404
    )


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_rows_in_scope(client, people, team, other_team, role):
    client.force_login(people[role])
    teams_page = client.get(reverse("teams:team_list")).content.decode()
    villages_page = client.get(reverse("teams:village_list")).content.decode()
    cadres_page = client.get(reverse("teams:cadre_list")).content.decode()
    sees_own = role != "outsider"
    sees_other = role in ("office", "outsider")
    assert (team.name in teams_page) == sees_own
    assert (other_team.name in teams_page) == sees_other
    assert (team.village.name in villages_page) == sees_own
    assert (other_team.village.name in villages_page) == sees_other
    assert (other_team.memberships.first().cadre.name in cadres_page) == sees_other


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_the_office(client, people, role):
    client.force_login(people[role])
    response = client.get(reverse("admin:teams_team_changelist"))
    assert response.status_code == (200 if role == "office" else 302)


def test_admin_changelist_of_staff_user_without_office_role_is_scoped(client, team, other_team):
    """A staff login that is only a supervisor sees just the group's teams in admin."""
    user = factories.supervisor_of(team)
    user.is_staff = True
    user.save()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="view_team"))
    client.force_login(user)
    page = client.get(reverse("admin:teams_team_changelist")).content.decode()
    assert team.name in page
    assert other_team.name not in page
    assert client.get(reverse("admin:teams_team_change", args=[other_team.pk])).status_code == 302


@pytest.mark.parametrize(
    "url", ["/", "/teams/", "/teams/cadres/", "/teams/villages/", "/accounts/notifications/"]
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
