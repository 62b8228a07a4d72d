"""Issue 11 finding 6: leave requests at the same moment, on PostgreSQL.

SQLite serializes every write, so the race only shows where rows are really locked:
these tests run when DATABASE_URL points to PostgreSQL (CI) and are skipped elsewhere.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection, connections

from accounts.errors import DomainError
from attendance.models import LeaveRequest
from tests import factories
from tests.attendance.factories import ask_leave

# Decided before any database fixture runs: a skipped transactional test would still
# flush the SQLite test database that other tests share.
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)"),
    pytest.mark.django_db(transaction=True),
]

START = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    from tests.browser.conftest import replay_data_migrations

    replay_data_migrations()  # the leave chain, flushed by an earlier transactional test


def _at_once(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_twenty_identical_requests_make_one_leave():
    team = factories.staffed_team()
    member = team.memberships.exclude(role="leader").first().cadre.user
    results = _at_once([lambda: ask_leave(member, "1", start=START) for _ in range(20)])
    created = [r for r in results if isinstance(r, LeaveRequest)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(created) == 1 and len(refused) == 19, results
    assert LeaveRequest.objects.filter(cadre__user=member).count() == 1


def test_two_adjacent_requests_at_once_are_counted_together_r21():
    """2 + 2 adjacent days are one 4-day leave: the office approves it (R21)."""
    team = factories.staffed_team()
    member = team.memberships.exclude(role="leader").first().cadre.user
    results = _at_once(
        [
            lambda: ask_leave(member, "2", start=START),
            lambda: ask_leave(member, "2", start=START + timedelta(days=2)),
        ]
    )
    assert all(isinstance(r, LeaveRequest) for r in results), results
    tiers = sorted(
        LeaveRequest.objects.filter(cadre__user=member).values_list("tier_days", flat=True)
    )
    assert tiers[-1] == 4
