"""The reports' background exports, registered with core's sweep (issue 11, finding 11)."""

from __future__ import annotations

from django.utils import timezone

from core.jobs import JobKind


def _logs(*statuses):
    def get():
        from reports.models import ExportLog

        return ExportLog.objects.filter(status__in=statuses)

    return get


def _task():
    from reports.tasks import run_export

    return run_export


def _fail(pk: int, message: str) -> None:
    from reports.models import ExportLog, ExportStatus

    ExportLog.objects.filter(
        pk=pk, status__in=(ExportStatus.PENDING, ExportStatus.RUNNING)
    ).update(status=ExportStatus.FAILED, error=str(message)[:300], finished_at=timezone.now())


KINDS = [
    JobKind(
        name="report_export",
        unfinished=_logs("pending", "running"),
        pending=_logs("pending"),
        task=_task,
        fail=_fail,
    )
]
