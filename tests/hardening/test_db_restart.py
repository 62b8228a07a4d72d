"""Issue 11 finding 12: PostgreSQL drops its connections; the next request still answers.

Runs where DATABASE_URL points to PostgreSQL (CI); skipped on SQLite.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import close_old_connections, connection

from tests import factories

# Decided before any database fixture runs: a skipped transactional test would still
# flush the SQLite test database that other tests share.
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def persistent_connections():
    if connection.vendor != "postgresql":
        pytest.skip("a server restart is tested on PostgreSQL")
    saved = (
        connection.settings_dict["CONN_MAX_AGE"],
        connection.settings_dict["CONN_HEALTH_CHECKS"],
    )
    connection.settings_dict["CONN_MAX_AGE"] = 600  # as in production: kept between requests
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    connection.close()
    yield
    connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"] = (
        saved
    )


def _kill_our_backend() -> None:
    import psycopg

    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_request_after_the_server_dropped_the_connection_answers(client, persistent_connections):
    team = factories.staffed_team()
    client.force_login(factories.leader_of(team))
    assert client.get("/teams/").status_code == 200
    assert connection.connection is not None  # kept for the next request
    _kill_our_backend()
    # A real request starts with close_old_connections (the test client skips it): with
    # CONN_HEALTH_CHECKS the dead connection is noticed there and replaced.
    close_old_connections()
    assert client.get("/teams/").status_code == 200
