"""A leader exports the work ledger to Excel from the phone: the file holds their team's
records only, and the export is logged (DESIGN.md, Access)."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from core.models import ExportLog
from reports.models import LedgerKind, LedgerRecord
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_downloads_own_ledger_as_excel(page, login):
    mine = factories.staffed_team(name="乌兰村驻村工作队")
    theirs = factories.staffed_team(name="巴音村驻村工作队")
    LedgerRecord.objects.create(
        team=mine, kind=LedgerKind.STUDY, date=date(2026, 11, 3), title="学习惠农政策"
    )
    LedgerRecord.objects.create(
        team=theirs, kind=LedgerKind.STUDY, date=date(2026, 11, 3), title="别队的学习"
    )
    leader = factories.leader_of(mine)

    login(leader)
    page.goto("/reports/exports/")
    page.select_option("select[name=kind]", "ledger")
    with page.expect_download() as download_info:  # a small export downloads at once
        page.get_by_test_id("export-form").locator("button[type=submit]").click()
    with open(download_info.value.path(), "rb") as handle:
        workbook = load_workbook(BytesIO(handle.read()))
    cells = {cell.value for row in workbook.active.iter_rows() for cell in row}
    assert "学习惠农政策" in cells
    assert "别队的学习" not in cells
    assert ExportLog.objects.get().user == leader
    page.goto("/reports/exports/")
    assert leader.display_name in page.get_by_test_id("export-table").inner_text()
