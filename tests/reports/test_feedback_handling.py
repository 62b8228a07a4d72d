"""R18: confidential categories are data; gang/clan leads are confidential; handling keeps
its history and moves forward only."""

import pytest

from accounts.errors import DomainError
from reports.models import ConfidentialCategory, Feedback, FeedbackCategory, FeedbackStatus
from reports.services import feedback_send, feedback_update
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def gang_lead(team):
    return feedback_send(
        user=factories.a_member_of(team),
        team=team,
        category=FeedbackCategory.GANGS,
        subject="宗族势力干预换届",
        text="某姓宗族威胁村民。",
    )


@pytest.mark.parametrize("role", ["supervisor", "unit", "village_staff", "leader"])
def test_r18_gang_and_clan_leads_are_the_offices_alone(team, gang_lead, role):
    user = {
        "supervisor": lambda: factories.supervisor_of(team),
        "unit": lambda: factories.unit_contact_of(team.unit),
        "village_staff": lambda: factories.area_staff(village=team.village, is_head=True),
        "leader": lambda: factories.leader_of(team),
    }[role]()
    assert not Feedback.objects.visible_to(user).filter(pk=gang_lead.pk).exists()
    assert not gang_lead.body_readable_by(user)


def test_r18_office_makes_a_category_confidential_in_data(team):
    policy = feedback_send(
        user=factories.a_member_of(team),
        team=team,
        category=FeedbackCategory.UNFAIR_POLICY,
        subject="低保评定不公",
        text="...",
    )
    supervisor = factories.supervisor_of(team)
    assert Feedback.objects.visible_to(supervisor).filter(pk=policy.pk).exists()
    ConfidentialCategory.objects.create(category=FeedbackCategory.UNFAIR_POLICY)
    assert not Feedback.objects.visible_to(supervisor).filter(pk=policy.pk).exists()


def test_r18_handling_keeps_history_and_moves_forward_only(office, gang_lead):
    feedback_update(user=office, feedback=gang_lead, status=FeedbackStatus.RECEIVED)
    feedback_update(
        user=office, feedback=gang_lead, status=FeedbackStatus.HANDLED, office_note="已移交纪委"
    )
    with pytest.raises(DomainError, match="moves forward only|只能前进"):
        feedback_update(user=office, feedback=gang_lead, status=FeedbackStatus.SENT)
    gang_lead.refresh_from_db()
    assert gang_lead.status == FeedbackStatus.HANDLED
    steps = list(gang_lead.events.values_list("status", "comment", "actor"))
    assert steps == [
        (FeedbackStatus.RECEIVED, "", office.pk),
        (FeedbackStatus.HANDLED, "已移交纪委", office.pk),
    ]
