"""Issue 11 in Chromium: the roster export is a button (a POST), the pages run under a
strict Content-Security-Policy with no violation, and a formula typed as a name stays text."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from core.models import ExportLog
from tests import factories
from tests.households.factories import HouseholdFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_exports_the_roster_with_the_button_and_no_policy_is_violated(page, login):
    team = factories.staffed_team(name="乌兰村驻村工作队")
    HouseholdFactory(village=team.village, head_name='=HYPERLINK("http://evil")')
    leader = factories.leader_of(team)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    login(leader)
    page.goto("/attendance/")  # the check-in script is a static file now
    page.goto("/households/")
    assert (
        ExportLog.objects.filter(app="households").count() == 0
    )  # opening pages writes no export job
    page.get_by_test_id("export-link").click()
    page.wait_for_url("**/households/export/*/")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-download").click()
    with open(download_info.value.path(), "rb") as handle:
        sheet = load_workbook(BytesIO(handle.read())).active
    names = [row[4].value for row in sheet.iter_rows(min_row=3)]
    assert '=HYPERLINK("http://evil")' in names
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert ExportLog.objects.filter(app="households").get().user == leader
    assert violations == []
