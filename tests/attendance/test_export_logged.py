"""Every export is logged: who, what, when (DESIGN.md, Access)."""

import pytest
from django.urls import reverse

from reports.models import ExportLog
from tests import factories

pytestmark = pytest.mark.django_db


def test_sheet_export_is_logged(client, team):
    leader = factories.leader_of(team)
    client.force_login(leader)
    response = client.get(reverse("attendance:team_month_export", args=[team.pk, 2026, 10]))
    assert response.status_code == 200
    log = ExportLog.objects.get()
    assert (log.user, log.app, log.kind) == (leader, "attendance", "attendance_sheet")
    assert log.params == {"team": str(team.pk), "month": "2026-10"}
    assert log.row_count == team.memberships.count()
