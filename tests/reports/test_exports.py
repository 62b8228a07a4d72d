"""Excel exports: scoped to the user, logged (who, what, when); large ones run as a task."""

from datetime import date

import pytest
from django.urls import reverse

from core.models import ExportLog, ExportStatus
from reports.exports import export_start
from reports.models import LedgerKind
from teams.models import Policy
from tests import factories
from tests.reports.factories import LedgerRecordFactory, ReportFactory
from tests.spreadsheets import table_rows

pytestmark = pytest.mark.django_db


def sheet_rows(log):
    # The file now has a title row and a total row around the table (core.spreadsheets).
    with log.file.open("rb") as handle:
        return table_rows(handle.read())


def test_ledger_export_is_scoped_and_logged(team, other_team):
    LedgerRecordFactory(team=team, title="我的记录")
    LedgerRecordFactory(team=other_team, title="别人的记录")
    leader = factories.leader_of(team)
    log = export_start(user=leader, kind="ledger", params={})
    assert log.status == ExportStatus.DONE and log.user == leader
    titles = [row[4] for row in sheet_rows(log)[1:]]
    assert titles == ["我的记录"]
    assert log.row_count == 1


def test_report_status_export_shows_late_reports(office, team):
    ReportFactory(team=team, deadline=date(2026, 4, 10))
    log = export_start(user=office, kind="report_status", params={"period": "2026Q1"})
    rows = sheet_rows(log)
    assert len(rows) == 2 and rows[1][-1]


def test_compliance_export_has_a_row_per_team_and_rule(office, team, other_team):
    log = export_start(user=office, kind="compliance", params={"period": "2026-03"})
    assert len(sheet_rows(log)) == 1 + 2 * 6


def test_large_export_runs_as_a_task_with_progress_and_a_link(
    client, team, django_capture_on_commit_callbacks
):
    Policy.objects.create(key="export_async_rows", value=3, effective_from=date(2020, 1, 1))
    for day in range(1, 6):
        LedgerRecordFactory(team=team, kind=LedgerKind.DIARY, date=date(2026, 3, day))
    leader = factories.leader_of(team)
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export_list"), {"kind": "ledger"})
    log = ExportLog.objects.get()
    assert response.url == log.get_absolute_url()
    log.refresh_from_db()
    assert log.status == ExportStatus.DONE and log.progress == 100
    page = client.get(log.get_absolute_url()).content.decode()
    assert 'data-testid="export-download"' in page
    download = client.get(reverse("reports:export_download", args=[log.pk]))
    assert download.status_code == 200


def test_small_export_downloads_at_once(client, team):
    client.force_login(factories.leader_of(team))
    response = client.post(reverse("reports:export_list"), {"kind": "compliance"})
    assert response.status_code == 302
    assert "/download/" in response.url
    assert ExportLog.objects.count() == 1


def test_another_users_export_is_not_downloadable(client, team, other_team):
    log = export_start(user=factories.leader_of(team), kind="ledger", params={})
    client.force_login(factories.leader_of(other_team))
    assert client.get(reverse("reports:export_download", args=[log.pk])).status_code == 404


def test_ledger_export_query_count_is_flat(office, django_assert_max_num_queries):
    for _ in range(25):
        LedgerRecordFactory(team=factories.TeamFactory())
    with django_assert_max_num_queries(20):
        export_start(user=office, kind="ledger", params={})


def test_compliance_export_of_a_leader_holds_only_their_team(team, other_team):
    log = export_start(user=factories.leader_of(team), kind="compliance", params={})
    teams = {row[0] for row in sheet_rows(log)[1:]}
    assert teams == {team.name}


def test_unit_contact_exports_only_the_units_teams(team, other_team):
    LedgerRecordFactory(team=team, title="本单位")
    LedgerRecordFactory(team=other_team, title="外单位")
    log = export_start(user=factories.unit_contact_of(team.unit), kind="ledger", params={})
    assert [row[4] for row in sheet_rows(log)[1:]] == ["本单位"]


def test_ledger_export_counts_participants_and_attachments_separately(team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.services import attachment_add

    leader = factories.leader_of(team)
    record = LedgerRecordFactory(team=team)
    record.participants.set([m.cadre for m in team.memberships.all()])
    for name in ("a.pdf", "b.pdf"):
        attachment_add(user=leader, record=record, upload=SimpleUploadedFile(name, b"%PDF"))
    row = sheet_rows(export_start(user=leader, kind="ledger", params={}))[1]
    assert (row[6], row[-1]) == (team.memberships.count(), 2)
