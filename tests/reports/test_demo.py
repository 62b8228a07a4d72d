"""The demo: ledger records of every kind, reports on time, late and returned, unread
notifications; a second run adds nothing."""

import pytest
from django.utils import timezone

from accounts.models import Notification
from reports import demo
from reports.models import LedgerKind, LedgerRecord, Report, ReportStatus
from teams import demo as teams_demo

pytestmark = pytest.mark.django_db


def test_demo_has_every_kind_and_each_report_state_and_is_idempotent():
    teams_demo.seed(scale="demo")
    demo.seed(scale="demo")
    team = teams_demo.demo_team()
    kinds = set(LedgerRecord.objects.filter(team=team).values_list("kind", flat=True))
    assert kinds == set(LedgerKind.values)
    today = timezone.localdate()
    reports = list(Report.objects.filter(team=team))
    statuses = {r.status for r in reports}
    assert {ReportStatus.ACCEPTED, ReportStatus.RETURNED, ReportStatus.SUBMITTED} <= statuses
    assert any(r.is_late_on(today) and r.status == ReportStatus.DRAFT for r in reports)
    assert any(r.is_late_on(today) and r.submitted_at for r in reports)
    assert any(not r.is_late_on(today) and r.submitted_at for r in reports)
    assert Notification.objects.filter(user__username="leader", read_at__isnull=True).exists()
    assert Notification.objects.filter(user__username="office", read_at__isnull=True).exists()
    counts = (LedgerRecord.objects.count(), Report.objects.count(), Notification.objects.count())
    demo.seed(scale="demo")
    assert counts == (
        LedgerRecord.objects.count(),
        Report.objects.count(),
        Notification.objects.count(),
    )
