"""One export log for every app (DESIGN.md, Access: who, what, when)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.exports import export_logged
from core.models import ExportLog, ExportStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_export_within_the_request_is_logged_as_text(office):
    log = export_logged(
        user=office, app="attendance", kind="allowance_summary", params={"unit": 3}, row_count=7
    )
    assert (log.app, log.kind, log.params, log.row_count) == (
        "attendance",
        "allowance_summary",
        {"unit": "3"},
        7,
    )
    assert log.status == ExportStatus.DONE and log.finished_at


def test_roster_and_ledger_exports_share_one_log_the_office_reads(
    client, office, team, django_capture_on_commit_callbacks
):
    from tests.households.factories import download_export

    client.force_login(office)
    download_export(client, django_capture_on_commit_callbacks)
    export_logged(user=factories.leader_of(team), app="reports", kind="ledger", params={})
    assert set(ExportLog.objects.values_list("app", flat=True)) == {"households", "reports"}
    page = client.get(reverse("reports:export_list")).content.decode()
    assert "roster" in page and "ledger" in page


def test_a_leader_sees_only_their_own_exports(client, office, team):
    export_logged(user=office, app="households", kind="roster", params={})
    leader = factories.leader_of(team)
    mine = export_logged(user=leader, app="reports", kind="ledger", params={})
    assert list(ExportLog.objects.visible_to(leader)) == [mine]
    assert ExportLog.objects.visible_to(office).count() == 2
