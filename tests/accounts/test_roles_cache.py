"""Roles are cached across requests and forgotten when what they derive from changes."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import OFFICE_GROUP, User
from accounts.roles import get_roles
from teams.models import MembershipRole
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)  # a new request's user object


def test_roles_are_read_once_across_requests(team, django_assert_num_queries):
    member = factories.a_member_of(team)
    assert get_roles(fresh(member)).team_ids == {team.pk}
    with django_assert_num_queries(0):
        assert get_roles(member).team_ids == {team.pk}


def test_becoming_leader_is_seen_at_the_next_request(team):
    member = factories.a_member_of(team)
    assert not get_roles(fresh(member)).is_leader
    leader = team.memberships.get(role=MembershipRole.LEADER)
    leader.role = MembershipRole.MEMBER
    leader.save()
    membership = team.memberships.get(cadre__user=member)
    membership.role = MembershipRole.LEADER
    membership.save()
    assert get_roles(fresh(member)).is_leader


def test_leaving_a_team_and_joining_the_office_are_seen(team):
    member = factories.a_member_of(team)
    user = fresh(member)
    assert get_roles(user).team_ids == {team.pk}
    team.memberships.get(cadre__user=member).delete()
    assert get_roles(fresh(member)).team_ids == frozenset()
    member.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    assert get_roles(fresh(member)).is_office


def test_supervision_group_and_unit_contact_changes_are_seen(team):
    user = factories.UserFactory()
    assert not get_roles(fresh(user)).is_supervisor
    team.supervision_group.members.add(user)
    assert get_roles(fresh(user)).supervision_group_ids == {team.supervision_group_id}
    team.unit.contacts.add(user)
    assert get_roles(fresh(user)).unit_ids == {team.unit_id}
    team.supervision_group.members.remove(user)
    assert not get_roles(fresh(user)).is_supervisor


def test_logging_in_keeps_the_cache(client, team, django_assert_max_num_queries):
    member = factories.a_member_of(team)
    get_roles(fresh(member))
    client.force_login(member)
    with django_assert_max_num_queries(0):
        assert get_roles(User(pk=member.pk, username=member.username)).team_ids == {team.pk}
