"""R8 through the pages: leaders record and confirm; others cannot, not even by id."""

import pytest
from django.urls import reverse

from teams import services
from teams.models import MembershipRole, TeamStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rotation(office, team):
    incoming = factories.TeamFactory(village=team.village, status=TeamStatus.FORMING)
    factories.MembershipFactory(team=incoming, role=MembershipRole.LEADER, is_first_secretary=True)
    factories.MembershipFactory(team=incoming)
    factories.MembershipFactory(team=incoming)
    services.team_activate(team=incoming, by=office)
    team.refresh_from_db()
    return team.handover_out


def test_outgoing_leader_records_an_item(client, rotation):
    client.force_login(factories.leader_of(rotation.outgoing_team))
    item = rotation.items.first()
    url = reverse("teams:handover", args=[rotation.pk])
    response = client.post(url, {"item": item.pk, "done": "on", "note": "档案三盒"}, follow=True)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.done and item.note == "档案三盒"


def test_outgoing_leader_cannot_confirm_with_open_items(client, rotation):
    client.force_login(factories.leader_of(rotation.outgoing_team))
    response = client.post(
        reverse("teams:handover", args=[rotation.pk]), {"confirm": "1"}, follow=True
    )
    assert "交接清单" in response.content.decode()  # issue 13: no rule number shown
    rotation.refresh_from_db()
    assert rotation.outgoing_confirmed_at is None


def test_member_cannot_change_the_checklist(client, rotation):
    client.force_login(factories.a_member_of(rotation.outgoing_team))
    item = rotation.items.first()
    response = client.post(
        reverse("teams:handover", args=[rotation.pk]), {"item": item.pk, "done": "on", "note": "x"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert not item.done


def test_leader_of_another_team_gets_404(client, rotation, other_team):
    client.force_login(factories.leader_of(other_team))
    url = reverse("teams:handover", args=[rotation.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "1"}).status_code == 404


def test_checklist_shows_open_errands_and_disputes_of_the_outgoing_team(client, rotation):
    """R8: what is still open in the ledger is shown beside its checklist item."""
    from reports.models import Errand, LedgerKind, LedgerRecord

    outgoing = rotation.outgoing_team
    LedgerRecord.objects.create(
        team=outgoing, kind=LedgerKind.DISPUTE, date="2026-11-01", title="草场边界纠纷"
    )
    client.force_login(factories.leader_of(outgoing))
    page = client.get(reverse("teams:handover", args=[rotation.pk]))
    assert page.status_code == 200
    items = dict((item.kind, still_open) for item, still_open in page.context["items"])
    assert items["disputes"].count == 1
    assert items["errands"].count == Errand.objects.filter(team=outgoing).count() == 0
    assert 'data-testid="open-disputes"' in page.content.decode()
