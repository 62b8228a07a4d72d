"""`seed_demo` builds a believable city with one login per role, and a rerun adds nothing."""

import pytest
from django.core.management import call_command

from accounts.models import Notification, User
from accounts.roles import get_roles
from households.models import Household
from teams.models import Banner, Cadre, Team, Village

pytestmark = pytest.mark.django_db


def counts():
    return (
        Banner.objects.count(),
        Village.objects.count(),
        Team.objects.count(),
        Cadre.objects.count(),
        Household.objects.count(),
        Notification.objects.count(),
    )


def test_seed_demo_is_idempotent_and_gives_every_role_a_login():
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first
    assert first[0] == 9  # the nine banners and districts of the city

    roles = {
        name: get_roles(User.objects.get(username=name))
        for name in (
            "office",
            "supervisor",
            "unit",
            "banner",
            "township",
            "village",
            "leader",
            "member",
        )
    }
    assert roles["office"].is_office
    assert roles["supervisor"].is_supervisor
    assert roles["unit"].is_unit_contact
    assert roles["banner"].banner_ids and roles["township"].headed_township_ids
    assert roles["village"].headed_village_ids
    assert roles["leader"].is_leader and roles["member"].is_member
    assert roles["leader"].team_ids == roles["member"].team_ids
