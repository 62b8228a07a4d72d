"""factory_boy factories for the org structure; every app's tests build on these."""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth.models import Group

from accounts.models import OFFICE_GROUP, User
from teams.models import (
    AreaAssignment,
    Banner,
    Cadre,
    DispatchingUnit,
    Membership,
    MembershipRole,
    SelectionStatus,
    SupervisionGroup,
    Team,
    TeamStatus,
    Township,
    Village,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "pass-for-tests-123")
        if create:
            obj.save(update_fields=["password"])


def office_user(**kwargs) -> User:
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return user


class BannerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Banner

    name = factory.Sequence(lambda n: f"测试旗{n}")
    code = factory.Sequence(lambda n: f"B{n:03d}")


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    banner = factory.SubFactory(BannerFactory)
    name = factory.Sequence(lambda n: f"测试镇{n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"测试村{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DispatchingUnit

    name = factory.Sequence(lambda n: f"市测试局{n}")


class SupervisionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionGroup

    name = factory.Sequence(lambda n: f"督查推进组{n}")


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    name = factory.Sequence(lambda n: f"干部{n}")
    unit = factory.SubFactory(UnitFactory)
    selection_status = SelectionStatus.APPROVED
    user = factory.SubFactory(UserFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"驻村工作队{n}")
    village = factory.SubFactory(VillageFactory)
    unit = factory.SubFactory(UnitFactory)
    supervision_group = factory.SubFactory(SupervisionGroupFactory)
    term_start = date(2026, 1, 1)
    term_end = date(2028, 1, 1)
    status = TeamStatus.ACTIVE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    cadre = factory.SubFactory(CadreFactory, unit=factory.SelfAttribute("..team.unit"))
    role = MembershipRole.MEMBER
    start_date = factory.SelfAttribute("team.term_start")


def staffed_team(members: int = 2, **team_kwargs) -> Team:
    """An active team with a first-secretary leader and ``members`` members (R1-complete)."""
    team = TeamFactory(**team_kwargs)
    MembershipFactory(team=team, role=MembershipRole.LEADER, is_first_secretary=True)
    for _ in range(members):
        MembershipFactory(team=team)
    return team


def leader_of(team: Team) -> User:
    return team.memberships.get(role=MembershipRole.LEADER, end_date__isnull=True).cadre.user


def a_member_of(team: Team) -> User:
    return team.memberships.filter(role=MembershipRole.MEMBER).order_by("pk").first().cadre.user


def supervisor_of(team: Team) -> User:
    user = UserFactory()
    team.supervision_group.members.add(user)
    return user


def unit_contact_of(unit: DispatchingUnit) -> User:
    user = UserFactory()
    unit.contacts.add(user)
    return user


def area_staff(*, banner=None, township=None, village=None, is_head=False) -> User:
    user = UserFactory()
    AreaAssignment.objects.create(
        user=user, banner=banner, township=township, village=village, is_head=is_head
    )
    return user
