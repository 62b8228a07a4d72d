"""Reports flows in Chromium, as people do them: confidential feedback (R18), a quarterly
report returned and resubmitted (R19), an entrusted errand from accepted to done (R12),
and the notification bell."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Notification
from core.notifications import notify
from core.periods import QUARTER, period_containing
from reports import services
from reports.models import (
    Errand,
    ErrandStatus,
    Feedback,
    FeedbackCategory,
    Report,
    ReportKind,
    ReportStatus,
)
from tests import factories
from tests.reports.factories import FeedbackFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_misconduct_lead_is_read_by_the_office_alone(page, login):
    """R18: a misconduct lead reaches the office only; its sender sees just the status and
    the team's supervisor can neither list nor open it."""
    team = factories.staffed_team(name="巴彦村驻村工作队")
    member = factories.a_member_of(team)
    supervisor = factories.supervisor_of(team)
    office = factories.office_user()
    # A non-confidential item of the same team: the supervisor's list is not empty anyway.
    FeedbackFactory(
        team=team,
        sender=member,
        category=FeedbackCategory.GOOD_PRACTICE,
        subject="牧区合作社分红经验",
    )

    login(member)
    page.get_by_role("link", name="向办公室反映情况").click()
    page.get_by_role("link", name="反映情况", exact=True).click()
    page.select_option("select[name=category]", FeedbackCategory.MISCONDUCT)
    page.fill("input[name=subject]", "村委会主任优亲厚友")
    page.fill("textarea[name=text]", "低保评定中村委会主任将亲属列入名单，具体情况如下。")
    page.get_by_role("button", name="发送").click()
    assert page.get_by_role("alert").inner_text() == "已发送至办公室。"
    feedback = Feedback.objects.get(category=FeedbackCategory.MISCONDUCT)
    # The sender sees the status, not even their own text.
    assert page.get_by_test_id("feedback-status").inner_text() == "已发送"
    assert page.get_by_test_id("feedback-text").count() == 0
    assert "内容仅领导小组办公室可查阅。" in page.content()
    assert "村委会主任优亲厚友" not in page.content()
    assert "低保评定" not in page.content()
    page.goto("/reports/feedback/")
    listed = page.get_by_test_id("feedback-table").inner_text()
    assert "保密反映" in listed and "村委会主任优亲厚友" not in listed

    page.context.clear_cookies()
    login(supervisor)
    page.goto("/reports/feedback/")
    listed = page.get_by_test_id("feedback-table").inner_text()
    assert "牧区合作社分红经验" in listed
    assert "保密反映" not in listed and "村委会主任" not in listed
    for url in ("/", "/reports/", "/accounts/notifications/"):
        page.goto(url)
        assert "村委会主任" not in page.content()
    response = page.goto(feedback.get_absolute_url())
    assert response.status == 404
    assert "村委会主任" not in page.content()

    page.context.clear_cookies()
    login(office)
    assert page.get_by_test_id("bell-count").inner_text() == "1"
    page.goto("/reports/feedback/")
    page.get_by_test_id("feedback-table").get_by_role("link", name="村委会主任优亲厚友").click()
    assert (
        "低保评定中村委会主任将亲属列入名单" in page.get_by_test_id("feedback-text").inner_text()
    )
    page.select_option("select[name=status]", "received")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_have_text("已保存。")
    expect(page.get_by_test_id("feedback-status")).to_have_text("办公室已接收")

    page.context.clear_cookies()
    login(member)
    page.goto(feedback.get_absolute_url())
    assert page.get_by_test_id("feedback-status").inner_text() == "办公室已接收"
    assert page.get_by_test_id("feedback-text").count() == 0


def test_office_returns_quarterly_report_leader_revises_and_office_accepts(page, login):
    """R19: a returned report carries the office's comment back to the leader, who edits
    the narrative and submits again; the office then accepts it."""
    today = timezone.localdate()
    quarter = period_containing(QUARTER, today).previous()
    team = factories.staffed_team(
        name="乌兰村驻村工作队",
        term_start=quarter.start.replace(year=quarter.start.year - 1),
        term_end=quarter.start.replace(year=quarter.start.year + 2),
    )
    leader = factories.leader_of(team)
    office = factories.office_user()
    services.reports_ensure(teams=[team], on=today)
    report = Report.objects.get(team=team, kind=ReportKind.QUARTERLY, period_start=quarter.start)
    services.report_submit(user=leader, report=report, narrative="本季度走访农牧户。")

    login(office)
    page.goto(f"/reports/reports/?kind=quarterly&period={quarter.key}")
    page.get_by_test_id(f"report-row-{report.pk}").get_by_role("link").click()
    assert page.get_by_test_id("report-status").inner_text() == "已提交"
    page.get_by_test_id("review-form").locator("textarea[name=comment]").fill(
        "请补充产业项目进展和资金到位情况。"
    )
    page.get_by_test_id("return-report").click()
    assert page.get_by_role("alert").inner_text() == "报告已退回修改。"
    assert page.get_by_test_id("report-status").inner_text() == "退回修改"

    page.context.clear_cookies()
    login(leader)
    assert page.get_by_test_id("bell-count").inner_text() == "1"
    page.get_by_test_id("report-list-link").click()
    row = page.get_by_test_id(f"report-row-{report.pk}")
    assert row.get_by_test_id("report-status").inner_text() == "退回修改"
    row.get_by_role("link").click()
    assert (
        "请补充产业项目进展和资金到位情况。" in page.get_by_test_id("review-comment").inner_text()
    )
    narrative = page.locator("textarea[name=narrative]")
    assert narrative.input_value() == "本季度走访农牧户。"
    narrative.fill("本季度走访农牧户。肉牛养殖项目已开工，到位资金30万元。")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_role("alert")).to_have_text("报告已提交。")
    assert page.get_by_test_id("report-status").inner_text() == "已提交"

    page.context.clear_cookies()
    login(office)
    page.goto(report.get_absolute_url())
    assert "肉牛养殖项目已开工" in page.get_by_test_id("report-narrative").inner_text()
    page.get_by_test_id("accept-report").click()
    expect(page.get_by_role("alert")).to_have_text("报告已通过。")
    assert page.get_by_test_id("report-status").inner_text() == "已通过"
    history = page.get_by_test_id("report-history").inner_text()
    assert "请补充产业项目进展和资金到位情况。" in history
    assert Report.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


def test_leader_records_an_errand_on_a_service_day_and_advances_it_to_done(page, login):
    """R12: an errand entrusted on a service day is tracked from accepted to done."""
    team = factories.staffed_team()
    leader = factories.leader_of(team)

    login(leader)
    page.get_by_test_id("record-work-link").click()
    page.get_by_test_id("kind-service_day").click()
    page.fill("input[name=title]", "十一月固定服务日")
    page.fill("textarea[name=text]", "在村部接待群众来访")
    page.get_by_test_id("save-record").click()
    assert page.get_by_test_id("record-title").inner_text() == "十一月固定服务日"

    page.fill("input[name=requester]", "牧民哈斯")
    page.fill("input[name=description]", "代办残疾证年审")
    page.get_by_role("button", name="添加代办事项").click()
    errands = page.get_by_test_id("errands").inner_text()
    assert "代办残疾证年审" in errands and "已受理" in errands

    page.goto("/")
    page.get_by_role("link", name="未办结代办事项").click()
    row = page.get_by_test_id("errand-table").locator("tr", has_text="代办残疾证年审")
    assert "已受理" in row.inner_text()
    row.get_by_role("button", name="开始办理").click()
    expect(row).to_contain_text("办理中")
    row.get_by_role("button", name="标记办结").click()
    # Done errands leave the "open only" list the leader came from.
    expect(page.get_by_test_id("errand-table")).not_to_contain_text("代办残疾证年审")
    page.get_by_role("link", name="全部").click()
    row = page.get_by_test_id("errand-table").locator("tr", has_text="代办残疾证年审")
    assert f"已办结 {timezone.localdate():%Y-%m-%d}" in row.inner_text()
    assert row.get_by_role("button").count() == 0
    errand = Errand.objects.get()
    assert (errand.status, errand.done_on) == (ErrandStatus.DONE, timezone.localdate())


def test_user_marks_all_notifications_read_and_the_bell_count_disappears(page, login):
    """The bell counts unread notifications; marking all read clears it."""
    team = factories.staffed_team()
    leader = factories.leader_of(team)
    notify(users=[leader], key="test:one", title="季度工作报告即将到期", body="请按时提交")
    notify(users=[leader], key="test:two", title="请假申请待审批")
    notify(users=[factories.a_member_of(team)], key="test:other", title="别人的通知")

    login(leader)
    assert page.get_by_test_id("bell-count").inner_text() == "2"
    page.get_by_test_id("bell").click()
    listed = page.get_by_test_id("notification-list")
    assert "季度工作报告即将到期" in listed.inner_text()
    assert "请假申请待审批" in listed.inner_text()
    assert "别人的通知" not in listed.inner_text()
    assert listed.locator(".list-group-item-warning").count() == 2
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    expect(listed.locator(".list-group-item-warning")).to_have_count(0)
    assert "季度工作报告即将到期" in page.get_by_test_id("notification-list").inner_text()
    assert not Notification.objects.filter(user=leader, read_at__isnull=True).exists()
    page.goto("/")
    assert page.get_by_test_id("bell-count").count() == 0
