"""R5/R19: reports with deadlines, an appendix frozen at submission, return and accept."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.errors import DomainError, NotAllowed
from core.periods import QUARTER, YEAR, period_containing
from reports import services
from reports.models import LedgerKind, Report, ReportKind, ReportStatus
from tests import factories
from tests.reports.factories import LedgerRecordFactory, ReportFactory

pytestmark = pytest.mark.django_db


def test_r19_deadline_is_policy_days_after_the_period():
    q1 = period_containing(QUARTER, date(2026, 2, 1))
    assert services.report_deadline(kind=ReportKind.QUARTERLY, period=q1) == date(2026, 4, 10)


def test_r5_work_plan_is_due_early_in_its_year():
    year = period_containing(YEAR, date(2026, 6, 1))
    deadline = services.report_deadline(kind=ReportKind.WORK_PLAN, period=year)
    assert date(2026, 1, 1) < deadline < date(2026, 3, 1)


def test_reports_ensure_creates_each_period_once(team):
    on = date(2026, 7, 15)
    created = services.reports_ensure(teams=[team], on=on)
    # 2026: work plan, Q1-Q3, H1-H2
    assert created == 6
    assert services.reports_ensure(teams=[team], on=on) == 0
    assert Report.objects.filter(team=team, kind=ReportKind.QUARTERLY).count() == 3


def test_r19_a_report_whose_deadline_passed_is_late(team):
    report = ReportFactory(team=team, deadline=date(2026, 4, 10))
    assert not report.is_late_on(date(2026, 4, 10))
    assert report.is_late_on(date(2026, 4, 11))


def test_r19_a_report_submitted_after_the_deadline_stays_late(team):
    report = ReportFactory(team=team, deadline=date(2026, 4, 10), narrative="x")
    report.submitted_at = timezone.make_aware(datetime(2026, 4, 12, 9))
    assert report.is_late_on(date(2026, 5, 1))
    report.submitted_at = timezone.make_aware(datetime(2026, 4, 9, 9))
    assert not report.is_late_on(date(2026, 5, 1))


def test_r19_late_report_is_flagged_on_the_list(client, office, team):
    ReportFactory(team=team, deadline=timezone.localdate() - timedelta(days=1))
    client.force_login(office)
    page = client.get(reverse("reports:report_list") + "?late=1").content.decode()
    assert 'data-testid="late-badge"' in page


def test_submit_freezes_the_appendix(team):
    leader = factories.leader_of(team)
    LedgerRecordFactory(team=team, kind=LedgerKind.STUDY, date=date(2026, 2, 3))
    report = ReportFactory(team=team)
    services.report_submit(user=leader, report=report, narrative="本季度工作总结")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    counts = {row["kind"]: row["count"] for row in report.appendix["ledger"]}
    assert counts[LedgerKind.STUDY] == 1
    LedgerRecordFactory(team=team, kind=LedgerKind.STUDY, date=date(2026, 2, 20))
    frozen = services.report_appendix(report)
    assert {r["kind"]: r["count"] for r in frozen["ledger"]}[LedgerKind.STUDY] == 1


def test_submit_needs_a_narrative(team):
    with pytest.raises(DomainError):
        services.report_submit(user=factories.leader_of(team), report=ReportFactory(team=team))


def test_r5_only_the_leader_submits(team):
    with pytest.raises(NotAllowed):
        services.report_submit(
            user=factories.a_member_of(team), report=ReportFactory(team=team), narrative="x"
        )


def test_office_returns_with_a_comment_and_the_leader_resubmits(team, office):
    leader = factories.leader_of(team)
    report = services.report_submit(user=leader, report=ReportFactory(team=team), narrative="x")
    with pytest.raises(DomainError):
        services.report_return(user=office, report=report, comment="")
    services.report_return(user=office, report=report, comment="请补充走访数据")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert leader.notifications.filter(key__startswith=f"report-returned:{report.pk}").exists()
    services.report_submit(user=leader, report=report, narrative="已补充")
    services.report_accept(user=office, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert [e.action for e in report.events.all()] == [
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]


def test_quarterly_report_goes_to_the_office_and_the_unit(team, office):
    contact = factories.unit_contact_of(team.unit)
    report = ReportFactory(team=team)
    services.report_submit(user=factories.leader_of(team), report=report, narrative="x")
    assert office.notifications.filter(key__startswith="report-submitted:").exists()
    assert contact.notifications.filter(key__startswith="report-submitted:").exists()


def test_leader_cannot_return_a_report(team):
    leader = factories.leader_of(team)
    report = services.report_submit(user=leader, report=ReportFactory(team=team), narrative="x")
    with pytest.raises(NotAllowed):
        services.report_return(user=leader, report=report, comment="no")


def test_report_pages_are_scoped(client, team, other_team):
    report = ReportFactory(team=other_team)
    client.force_login(factories.leader_of(team))
    url = reverse("reports:report_detail", args=[report.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "submit", "narrative": "x"}).status_code == 404


def test_member_may_read_but_not_submit(client, team):
    report = ReportFactory(team=team)
    client.force_login(factories.a_member_of(team))
    url = reverse("reports:report_detail", args=[report.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "submit", "narrative": "x"}).status_code == 403


def test_report_list_query_count_is_flat(client, office, django_assert_max_num_queries):
    for _ in range(8):
        ReportFactory(team=factories.staffed_team())
    client.force_login(office)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("reports:report_list")).status_code == 200


def test_appendix_carries_attendance_and_visit_figures(client, team):
    """The appendix pre-fills service days (attendance app) and visit coverage
    (households app), so the leader writes only the narrative."""
    leader = factories.leader_of(team)
    report = services.report_submit(user=leader, report=ReportFactory(team=team), narrative="x")
    assert report.appendix["attendance"]["total"] == 0
    assert len(report.appendix["attendance"]["cadres"]) == team.memberships.count()
    assert report.appendix["visits"]["total"] == 0
    client.force_login(leader)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="appendix-attendance"' in page
    assert 'data-testid="appendix-visits"' in page


def test_office_returns_a_report_on_its_page_and_the_leader_reads_the_comment(
    client, team, office
):
    leader = factories.leader_of(team)
    report = ReportFactory(team=team)
    url = reverse("reports:report_detail", args=[report.pk])
    client.force_login(leader)
    client.post(url, {"action": "submit", "narrative": "第一季度工作报告"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.force_login(office)
    response = client.post(url, {"action": "return", "comment": ""})
    assert "退回报告时请说明修改意见" in response.content.decode()
    client.post(url, {"action": "return", "comment": "请补充走访数据"})
    client.force_login(leader)
    page = client.get(url).content.decode()
    assert "请补充走访数据" in page and 'data-testid="submit-report"' in page


def test_unit_contact_reads_but_cannot_review(client, team):
    leader = factories.leader_of(team)
    report = services.report_submit(user=leader, report=ReportFactory(team=team), narrative="x")
    client.force_login(factories.unit_contact_of(team.unit))
    url = reverse("reports:report_detail", args=[report.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "accept"}).status_code == 403
