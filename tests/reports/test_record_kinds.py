"""RECORD rules of the work ledger: each kind keeps the fields the regulation names, is
refused with a clear message when one is missing, and shows up in the team's ledger."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.errors import DomainError, NotAllowed
from reports.models import LedgerKind, LedgerRecord
from reports.services import ledger_record_create
from tests import factories

pytestmark = pytest.mark.django_db


def record(team, user=None, **data):
    return ledger_record_create(
        user=user or factories.leader_of(team),
        team=team,
        data={"date": date(2026, 11, 3), "title": "记录", **data},
    )


def test_r11_joint_meeting_with_the_village_committees_is_recorded(client, team):
    made = record(team, kind=LedgerKind.MEETING, meeting_kind="joint", title="两委联席会议")
    client.force_login(factories.a_member_of(team))
    page = client.get(reverse("reports:ledger_list")).content.decode()
    assert made.title in page


def test_r24_coordination_keeps_amount_and_source(team):
    made = record(
        team,
        kind=LedgerKind.COORDINATION,
        project_name="饮水工程",
        amount=Decimal("350000"),
        funding_source="市水利局",
    )
    assert (made.amount, made.funding_source) == (Decimal("350000"), "市水利局")


def test_r24_coordination_without_an_amount_is_refused(team):
    with pytest.raises(DomainError):
        record(team, kind=LedgerKind.COORDINATION, project_name="饮水工程")
    assert not LedgerRecord.objects.exists()


def test_r25_discipline_record_and_r36_talk_are_kept(team):
    cadre = team.memberships.first().cadre
    record(team, kind=LedgerKind.DISCIPLINE, title="违反十不准：擅离岗位", cadre=cadre)
    record(team, kind=LedgerKind.TALK, title="督查组谈心谈话", cadre=cadre)
    kinds = set(LedgerRecord.objects.filter(cadre=cadre).values_list("kind", flat=True))
    assert kinds == {LedgerKind.DISCIPLINE, LedgerKind.TALK}


def test_r40_party_building_activity_keeps_its_kind(team):
    made = record(team, kind=LedgerKind.PARTY, party_activity="three_one", title="三会一课")
    assert made.get_party_activity_display()


def test_a_cadre_of_another_team_cannot_record_for_this_team(team, other_team):
    with pytest.raises(NotAllowed):
        record(team, user=factories.leader_of(other_team), kind=LedgerKind.STUDY)
