"""R36 talks, R32 leaders' meetings, R25 discipline records and who reads them."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.errors import NotAllowed
from teams import services
from teams.models import DisciplineRecord, LeadersMeeting, MembershipRole, Talk
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(team, office):
    cadre = team.memberships.filter(role=MembershipRole.MEMBER).first().cadre
    return services.discipline_record_create(
        user=office,
        cadre=cadre,
        date=date(2026, 3, 1),
        prohibition="不准擅离岗位",
        facts="连续三日未在村",
    )


def _viewer(role, team, record):
    return {
        "office": lambda: factories.office_user(),
        "supervisor": lambda: factories.supervisor_of(team),
        "unit": lambda: factories.unit_contact_of(record.cadre.unit),
        "leader": lambda: factories.leader_of(team),
        "teammate": lambda: (
            team.memberships.exclude(cadre=record.cadre)
            .filter(role=MembershipRole.MEMBER)
            .first()
            .cadre.user
        ),
        "village_staff": lambda: factories.area_staff(village=team.village, is_head=True),
        "township_staff": lambda: factories.area_staff(township=team.village.township),
        "other_supervisor": lambda: factories.supervisor_of(factories.staffed_team()),
    }[role]()


@pytest.mark.parametrize(
    "role,sees",
    [
        ("office", True),
        ("supervisor", True),
        ("unit", True),
        ("leader", False),
        ("teammate", False),
        ("village_staff", False),
        ("township_staff", False),
        ("other_supervisor", False),
    ],
)
def test_r25_discipline_records_are_read_by_superiors_only(client, team, record, role, sees):
    user = _viewer(role, team, record)
    assert DisciplineRecord.objects.visible_to(user).filter(pk=record.pk).exists() is sees
    client.force_login(user)
    response = client.get(reverse("teams:cadre_detail", args=[record.cadre.pk]))
    if response.status_code == 200:
        assert ("连续三日未在村" in response.content.decode()) is sees
    else:
        assert not sees and response.status_code == 404


def test_r25_a_leader_cannot_record_discipline(team, record):
    with pytest.raises(NotAllowed):
        services.discipline_record_create(
            user=factories.leader_of(team),
            cadre=record.cadre,
            date=date(2026, 3, 2),
            prohibition="x",
            facts="y",
        )


def test_r36_supervisor_records_a_talk_shown_on_the_cadre_page(client, team):
    supervisor = factories.supervisor_of(team)
    cadre = team.memberships.first().cadre
    client.force_login(supervisor)
    response = client.post(
        reverse("teams:talk_record", args=[cadre.pk]),
        {"talk-date": "2026-04-02", "talk-topic": "驻村思想状况", "talk-notes": "状态良好"},
    )
    assert response.status_code == 302
    talk = Talk.objects.get(cadre=cadre)
    assert talk.held_by == supervisor
    assert (
        "驻村思想状况"
        in client.get(reverse("teams:cadre_detail", args=[cadre.pk])).content.decode()
    )


def test_r36_another_groups_supervisor_cannot_record_a_talk(client, team, other_team):
    cadre = team.memberships.first().cadre
    client.force_login(factories.supervisor_of(other_team))
    response = client.post(
        reverse("teams:talk_record", args=[cadre.pk]),
        {"talk-date": "2026-04-02", "talk-topic": "x"},
    )
    assert response.status_code == 404
    assert not Talk.objects.exists()


def test_r32_office_records_the_quarterly_meeting_with_attendance(
    client, office, team, other_team
):
    leaders = [factories.leader_of(t).cadre for t in (team, other_team)]
    client.force_login(office)
    response = client.post(
        reverse("teams:leaders_meetings"),
        {"date": "2026-04-15", "title": "一季度队长座谈会", "attendees": [leaders[0].pk]},
    )
    assert response.status_code == 302
    meeting = LeadersMeeting.objects.get()
    assert list(meeting.attendees.all()) == [leaders[0]]
    assert "一季度队长座谈会" in client.get(reverse("teams:leaders_meetings")).content.decode()


def test_r32_only_the_office_records_meetings(client, team):
    client.force_login(factories.leader_of(team))
    assert client.get(reverse("teams:leaders_meetings")).status_code == 403


@pytest.mark.parametrize(
    "role,sees",
    [("supervisor", True), ("unit", True), ("teammate", False), ("village_staff", False)],
)
def test_r25_a_discipline_entry_in_the_ledger_follows_the_same_matrix(team, record, role, sees):
    from reports.models import Attachment, LedgerKind, LedgerRecord

    entry = LedgerRecord.objects.create(
        team=team,
        kind=LedgerKind.DISCIPLINE,
        date=date(2026, 3, 1),
        title="擅离岗位",
        cadre=record.cadre,
    )
    Attachment.objects.create(record=entry, file="x.pdf", name="x.pdf")
    user = _viewer(role, team, record)
    assert LedgerRecord.objects.visible_to(user).filter(pk=entry.pk).exists() is sees
    assert Attachment.objects.visible_to(user).filter(record=entry).exists() is sees
