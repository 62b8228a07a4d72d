"""R20/R34: the office downloads every team's month in one workbook (issue 12)."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from attendance.models import AttendanceDay, DaySource, DayStatus
from tests import factories

pytestmark = pytest.mark.django_db

MONTH = date(2026, 10, 1)
URL = "/attendance/sheets/city.xlsx?month=2026-10"


def _fill(team, status=DayStatus.IN_VILLAGE):
    for membership in team.memberships.all():
        for day in range(1, 32):
            AttendanceDay.objects.create(
                cadre_id=membership.cadre_id,
                team=team,
                date=date(2026, 10, day),
                status=status,
                source=DaySource.LEADER,
            )


def test_office_gets_every_team_in_one_sheet(client, team, other_team, office):
    _fill(team)
    client.force_login(office)
    response = client.get(URL)
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    names = {m.cadre.name for t in (team, other_team) for m in t.memberships.all()}
    listed = {row[4] for row in rows[2:] if row and row[4]}
    assert names <= listed
    filled = next(r for r in rows[2:] if r[4] == team.memberships.first().cadre.name)
    assert filled[3] == team.name
    assert filled[7:38].count("√") == 31
    assert filled[38] == 31  # service days


def test_only_the_office_may_download_it(client, team):
    client.force_login(factories.leader_of(team))
    assert client.get(URL).status_code == 403
    client.force_login(factories.supervisor_of(team))
    assert client.get(URL).status_code == 403


def test_queries_do_not_grow_with_teams(client, office, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _fill(factories.staffed_team())
    client.force_login(office)
    with CaptureQueriesContext(connection) as one_team:
        assert client.get(URL).status_code == 200
    for _ in range(5):
        _fill(factories.staffed_team())
    with django_assert_max_num_queries(len(one_team)):
        assert client.get(URL).status_code == 200
    assert len(one_team) <= 16
