"""Every export is logged: who, what, when (DESIGN.md, Access)."""

import pytest
from django.urls import reverse

from core.models import ExportLog
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


def test_signed_scan_is_served_only_within_scope(client, team, other_team):
    from datetime import date

    from django.core.files.base import ContentFile

    from attendance.models import AttendanceSheet

    sheet = AttendanceSheet.objects.create(team=team, month=date(2026, 10, 1))
    sheet.signed_scan.save("scan.pdf", ContentFile(b"%PDF-1.4 signed"), save=True)
    url = reverse("attendance:team_month_scan", args=[team.pk, 2026, 10])
    client.force_login(factories.leader_of(team))
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 signed"
    client.force_login(factories.leader_of(other_team))
    assert client.get(url).status_code == 404
