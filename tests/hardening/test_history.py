"""Issue 11 finding 8: every change keeps who, when, before and after (django-simple-history)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from households.models import Household
from reports.models import LedgerRecord
from teams.models import Policy
from tests import factories
from tests.households.factories import HouseholdFactory
from tests.reports.factories import LedgerRecordFactory

pytestmark = pytest.mark.django_db


def test_a_household_edit_in_the_page_is_kept_with_who_and_before(client, team):
    household = HouseholdFactory(village=team.village, address="老地址")
    leader = factories.leader_of(team)
    client.force_login(leader)
    page = client.get(reverse("households:household_edit", args=[household.pk]))
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(address="新地址", village=team.village.pk)
    data = {
        k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if not isinstance(v, list)
    }
    response = client.post(reverse("households:household_edit", args=[household.pk]), data)
    assert response.status_code == 302, response.content.decode()[:500]
    latest = Household.history.filter(id=household.pk).first()
    assert latest.address == "新地址" and latest.history_user == leader
    before = latest.prev_record
    assert before is not None and before.address == "老地址"
    assert [c.field for c in latest.diff_against(before).changes] == ["address"]


def test_a_ledger_edit_is_kept(team):
    from reports import services

    leader = factories.leader_of(team)
    record = LedgerRecordFactory(team=team, created_by=leader, title="旧")
    services.ledger_record_update(user=leader, record=record, data={"title": "新"})
    titles = list(
        LedgerRecord.history.filter(id=record.pk)
        .order_by("history_date")
        .values_list("title", flat=True)
    )
    assert titles[-2:] == ["旧", "新"]


def test_policy_changes_are_kept(db):
    policy = Policy.objects.create(key="x_test", value=1, effective_from="2026-01-01")
    policy.value = 2
    policy.save()
    assert [h.value for h in policy.history.order_by("history_date")] == [1, 2]
