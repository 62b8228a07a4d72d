"""R31: care flags (five-guarantee, disabled, empty-nest elderly, left-behind children) are
kept on the household and shown wherever the household is read."""

import pytest
from django.urls import reverse

from households.services import household_create
from tests import factories
from tests.households.factories import ensure_policies, make_id_number

pytestmark = pytest.mark.django_db


def test_r31_care_flags_are_recorded_and_shown(client, team):
    ensure_policies()
    leader = factories.leader_of(team)
    household = household_create(
        user=leader,
        village=team.village,
        head_name="斯琴",
        head_id_number=make_id_number(31),
        group_name="一社",
        is_five_guarantee=True,
        is_empty_nest=True,
        has_left_behind_children=True,
    )
    household.refresh_from_db()
    assert household.is_five_guarantee and household.is_empty_nest
    assert household.has_left_behind_children and not household.is_disabled
    client.force_login(leader)
    page = client.get(reverse("households:household_detail", args=[household.pk]))
    text = page.content.decode()
    assert "五保户" in text
    assert "留守儿童" in text
