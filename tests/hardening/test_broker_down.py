"""Issue 11 finding 11: the broker is down. Pages answer, jobs wait, then run or fail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app as celery_app
from core import jobs
from core.models import ExportLog, ExportStatus
from households.models import ImportStatus, RosterImport
from tests import factories
from tests.households.factories import HouseholdFactory, make_id_number
from tests.households.roster_files import person_row, workbook_bytes

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker_down():
    saved = {
        "broker_url": celery_app.conf.broker_url,
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_connection_timeout": celery_app.conf.broker_connection_timeout,
    }
    celery_app.conf.update(
        broker_url=DEAD_BROKER, task_always_eager=False, broker_connection_timeout=0.5
    )
    _reset_pool(celery_app)
    yield
    celery_app.conf.update(**saved)
    _reset_pool(celery_app)


def test_roster_export_answers_with_a_page_when_the_broker_is_down(
    client, team, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(factories.leader_of(team))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("households:export"))
    assert response.status_code == 302
    job = ExportLog.objects.get(app="households")
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="job-waiting"' in page
    assert job.finished_at is None and job.status == ExportStatus.PENDING


def test_roster_import_answers_with_a_page_when_the_broker_is_down(
    client, team, office, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(office)
    data = workbook_bytes([person_row(team.village, head_id=make_id_number(31))])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("households:import"), {"file": SimpleUploadedFile("r.xlsx", data)}
        )
    assert response.status_code == 302
    assert RosterImport.objects.get().status == ImportStatus.PENDING


def test_report_export_answers_with_a_page_when_the_broker_is_down(
    client, team, broker_down, django_capture_on_commit_callbacks, settings
):
    from teams.models import Policy

    Policy.objects.create(key="export_async_rows", value=0, effective_from="2020-01-01")
    HouseholdFactory(village=team.village)
    from tests.reports.factories import LedgerRecordFactory

    LedgerRecordFactory(team=team)
    client.force_login(factories.leader_of(team))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export_list"), {"kind": "ledger"})
    assert response.status_code == 302
    assert ExportLog.objects.get().status == ExportStatus.PENDING


def test_the_sweep_resends_stale_jobs_and_fails_them_after_the_timeout(team, office, settings):
    sent = []
    job = RosterImport.objects.create(user=office, file=SimpleUploadedFile("r.xlsx", b"PK"))
    export = ExportLog.objects.create(
        user=office, app="reports", kind="ledger", status=ExportStatus.PENDING
    )
    now = timezone.now()
    original = jobs.send
    try:
        jobs.send = lambda task, *args: sent.append((task.name, args)) or True
        counts = jobs.sweep(now=now + timedelta(minutes=settings.JOB_REQUEUE_MINUTES + 1))
        assert counts["requeued"] == 2
        assert {name for name, _ in sent} == {
            "households.tasks.import_roster",
            "reports.tasks.run_export",
        }
        counts = jobs.sweep(now=now + timedelta(minutes=settings.JOB_TIMEOUT_MINUTES + 1))
        assert counts["failed"] == 2
    finally:
        jobs.send = original
    job.refresh_from_db()
    export.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.errors[0]["message"]
    assert export.status == ExportStatus.FAILED and export.error


def test_sending_to_a_dead_broker_returns_false_quickly(broker_down):
    import time

    from households import tasks

    started = time.monotonic()
    assert jobs.send(tasks.export_roster, 1) is False
    assert time.monotonic() - started < 10


def _reset_pool(app) -> None:
    """Drop the app's connection pool so the next send uses the broker URL now set."""
    app._pool = None  # not closed: kombu may share it with another app of the process
    app.amqp._producer_pool = None
