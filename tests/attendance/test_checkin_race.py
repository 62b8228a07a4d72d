"""A double tap on "check in": the second request shows "already checked in", never a
server error from the database's once-a-day constraint (issue 12)."""

import os
import threading

import pytest
from django.db import connection
from django.test import Client

from attendance.models import CheckIn
from tests import factories


@pytest.mark.django_db
def test_second_checkin_the_same_day_says_already_checked_in(client, team):
    member = factories.a_member_of(team)
    client.force_login(member)
    first = client.post("/attendance/checkin/", follow=True)
    assert first.status_code == 200
    second = client.post("/attendance/checkin/", follow=True)
    assert second.status_code == 200
    texts = [str(m) for m in second.context["messages"]]
    assert any("already checked in" in t or "今天已经签到" in t or "已签到" in t for t in texts)
    assert CheckIn.objects.filter(cadre__user=member).count() == 1


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="parallel requests need PostgreSQL (DATABASE_URL)",
)
# serialized_rollback: the flush after this test then re-creates nothing (no post_migrate),
# so a later serialized test on the same worker reloads the migrated rows cleanly.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_checkins_by_one_person_never_fail():
    """Real concurrency needs PostgreSQL (row locks on the unique index)."""
    team = factories.staffed_team()
    member = factories.a_member_of(team)
    clients = []
    for _ in range(4):
        c = Client()
        c.force_login(member)
        clients.append(c)
    barrier = threading.Barrier(len(clients))
    statuses = []

    def tap(c):
        barrier.wait()
        try:
            statuses.append(c.post("/attendance/checkin/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * len(clients)
    assert CheckIn.objects.filter(cadre__user=member).count() == 1
