"""R27: a zone set by hand without a reason is refused with a message that says so.

The household page shows a refused form's errors as messages without the field's label,
so Django's generic "This field is required." left the user guessing which field.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from households.models import PovertyStatus, ZoneChange
from tests import factories
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reason", ["", "   "])
def test_blank_reason_is_refused_with_the_rules_message(client, team, reason):
    household = HouseholdFactory(village=team.village, poverty_status=PovertyStatus.MONITORED)
    client.force_login(factories.leader_of(team))
    url = reverse("households:zone_override", args=[household.pk])

    response = client.post(url, {"zone": "yellow", "reason": reason})

    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["人工调整分区须填写理由。"]  # zh-hans: the page's language
    assert not ZoneChange.objects.filter(household=household).exists()
