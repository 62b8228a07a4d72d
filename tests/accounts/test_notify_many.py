"""Reminders go out in batches: once per user and key, in queries that do not grow with
the number of subjects (R33's daily unpaired list can hold thousands of households)."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification
from core.notifications import Reminder, notify_many
from households.models import PovertyStatus
from households.reminders import remind_unpaired_poor_households
from tests import factories
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_each_user_gets_each_key_once_even_when_sent_twice(django_capture_on_commit_callbacks):
    alice = factories.UserFactory(email="alice@example.org")
    bob = factories.UserFactory(email="")
    reminders = [Reminder([alice, bob], "k1", "一"), Reminder([alice], "k2", "二")]
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_many(reminders) == 3
        assert notify_many(reminders) == 0
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 2  # bob has no email address


def unpaired_reminder_queries(count: int) -> tuple[int, int]:
    village = factories.VillageFactory()
    for _ in range(count):
        HouseholdFactory(village=village, poverty_status=PovertyStatus.REGISTERED)
    with CaptureQueriesContext(connection) as queries:
        sent = remind_unpaired_poor_households()
    Notification.objects.all().delete()
    from households.models import Household

    Household.objects.all().delete()
    return len(queries), sent


def test_r33_unpaired_reminder_queries_do_not_grow_with_households(office):
    few_queries, few_sent = unpaired_reminder_queries(2)
    many_queries, many_sent = unpaired_reminder_queries(40)
    assert (few_sent, many_sent) == (2, 40)
    assert many_queries == few_queries
