"""R18: feedback to the office; misconduct leads are readable by the office alone."""

import pytest
from django.urls import reverse

from reports.models import Feedback, FeedbackCategory
from reports.services import feedback_send
from tests import factories
from tests.reports.factories import FeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(team):
    return feedback_send(
        user=factories.a_member_of(team),
        team=team,
        category=FeedbackCategory.MISCONDUCT,
        subject="村会计挪用线索",
        text="会计私自挪用集体资金，证据在附件。",
    )


def viewers(team):
    return {
        "supervisor": factories.supervisor_of(team),
        "unit": factories.unit_contact_of(team.unit),
        "area": factories.area_staff(township=team.village.township),
        "leader": factories.leader_of(team),
    }


def test_r18_office_reads_a_misconduct_lead(client, office, lead):
    assert Feedback.objects.visible_to(office).filter(pk=lead.pk).exists()
    client.force_login(office)
    response = client.get(reverse("reports:feedback_detail", args=[lead.pk]))
    assert response.status_code == 200
    assert "会计私自挪用集体资金" in response.content.decode()


@pytest.mark.parametrize("role", ["supervisor", "unit", "area", "leader"])
def test_r18_others_of_the_team_cannot_see_a_misconduct_lead(client, team, lead, role):
    user = viewers(team)[role]
    assert not Feedback.objects.visible_to(user).filter(pk=lead.pk).exists()
    client.force_login(user)
    assert client.get(reverse("reports:feedback_detail", args=[lead.pk])).status_code == 404
    listing = client.get(reverse("reports:feedback_list")).content.decode()
    assert "村会计挪用线索" not in listing


def test_r18_sender_sees_only_the_status_of_a_misconduct_lead(client, team, lead):
    client.force_login(lead.sender)
    response = client.get(reverse("reports:feedback_detail", args=[lead.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "会计私自挪用集体资金" not in page
    assert "村会计挪用线索" not in page
    assert 'data-testid="feedback-status"' in page
    assert not lead.body_readable_by(lead.sender)


def test_r18_supervisor_reads_a_good_practice_of_their_team(client, team):
    good = FeedbackFactory(team=team, category=FeedbackCategory.GOOD_PRACTICE, text="好做法")
    supervisor = factories.supervisor_of(team)
    assert good.body_readable_by(supervisor)
    client.force_login(supervisor)
    assert "好做法" in client.get(good.get_absolute_url()).content.decode()


def test_r18_another_teams_supervisor_sees_nothing(client, team, other_team):
    good = FeedbackFactory(team=team, category=FeedbackCategory.GOOD_PRACTICE)
    client.force_login(factories.supervisor_of(other_team))
    assert client.get(good.get_absolute_url()).status_code == 404


def test_r18_only_the_office_changes_the_status(client, team, lead, office):
    client.force_login(factories.supervisor_of(team))
    good = FeedbackFactory(team=team, category=FeedbackCategory.GOOD_PRACTICE)
    response = client.post(good.get_absolute_url(), {"status": "handled"})
    assert response.status_code == 403
    client.force_login(office)
    client.post(lead.get_absolute_url(), {"status": "handled", "office_note": "已转纪委"})
    lead.refresh_from_db()
    assert lead.status == "handled"


def test_r18_the_office_is_notified_of_new_feedback(office, lead):
    assert office.notifications.filter(key=f"feedback:{lead.pk}").exists()


def test_feedback_form_sends(client, team):
    member = factories.a_member_of(team)
    client.force_login(member)
    response = client.post(
        reverse("reports:feedback_create"),
        {"team": team.pk, "category": "unfair_policy", "subject": "补贴不公", "text": "详情"},
    )
    assert response.status_code == 302
    assert Feedback.objects.get(subject="补贴不公").sender == member
