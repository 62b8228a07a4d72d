"""R10/R17/R19 in Chromium: a leader records a study session with a photo on a phone,
writes and submits the quarterly report whose appendix shows the quarter's figures, and
the office sees it as submitted."""

import pytest
from django.utils import timezone

from core.periods import QUARTER, period_containing
from reports.models import LedgerRecord, Report, ReportStatus
from tests import factories

# serialized_rollback: the policy rows seeded by migrations survive other browser tests'
# flushes, so compliance and deadlines can read them.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_leader_records_study_and_submits_quarterly_report_office_sees_it(page, login):
    today = timezone.localdate()
    quarter = period_containing(QUARTER, today)
    team = factories.staffed_team(
        name="乌兰村驻村工作队",
        term_start=quarter.start.replace(year=quarter.start.year - 1),
        term_end=quarter.start.replace(year=quarter.start.year + 1),
    )
    leader = factories.leader_of(team)
    office = factories.office_user()

    login(leader)
    page.get_by_test_id("record-work-link").click()
    page.get_by_test_id("kind-study").click()
    page.fill("input[name=title]", "集中学习乡村振兴政策")
    page.fill("textarea[name=text]", "学习笔记：乡村振兴促进法要点")
    page.set_input_files(
        "input[name=files]", files=[{"name": "学习.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_test_id("save-record").click()
    assert page.get_by_test_id("record-title").inner_text() == "集中学习乡村振兴政策"
    assert page.get_by_test_id("attachment-image").count() == 1
    assert LedgerRecord.objects.get().attachments.count() == 1

    page.goto(f"/reports/reports/?kind=quarterly&period={quarter.key}")
    report = Report.objects.get(team=team, kind="quarterly", period_start=quarter.start)
    page.get_by_test_id(f"report-row-{report.pk}").get_by_role("link").click()
    assert page.get_by_test_id("appendix-study").inner_text() == "1"
    page.fill("textarea[name=narrative]", "本季度开展集中学习，走访农牧户，推进项目。")
    page.get_by_test_id("submit-report").click()
    assert page.get_by_test_id("report-status").inner_text() == str(ReportStatus.SUBMITTED.label)
    assert page.get_by_test_id("appendix-study").inner_text() == "1"

    page.context.clear_cookies()
    login(office)
    page.goto(f"/reports/reports/?period={quarter.key}&kind=quarterly")
    row = page.get_by_test_id(f"report-row-{report.pk}")
    assert "乌兰村驻村工作队" in row.inner_text()
    assert row.get_by_test_id("report-status").inner_text() == str(ReportStatus.SUBMITTED.label)
    row.get_by_role("link").click()
    assert "本季度开展集中学习" in page.get_by_test_id("report-narrative").inner_text()
    assert page.get_by_test_id("accept-report").is_visible()
