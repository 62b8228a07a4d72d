"""The one way to write the export log (DESIGN.md, Access: who, what, when).

An export either finishes within the request (``export_logged``) or is started, built by a
task with progress, and finished or failed (``export_started`` ... ``export_finished``).
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from core.jobs import JobKind
from core.models import ExportLog, ExportStatus


def _plain(params: dict) -> dict:
    """What was asked, as text (like a query string); an absent value is left out."""
    return {key: str(value) for key, value in params.items() if value is not None}


def export_logged(
    *, user, app: str, kind: str, params: dict, row_count: int = 0, description: str = ""
) -> ExportLog:
    """Log an export built and sent within the request."""
    return ExportLog.objects.create(
        user=user,
        app=app,
        kind=kind,
        description=description[:200],
        params=_plain(params),
        row_count=row_count,
        status=ExportStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
    )


def export_started(
    *, user, app: str, kind: str, params: dict, row_count: int = 0, description: str = ""
) -> ExportLog:
    """Log an export whose file is still to be built (by a task, or right after)."""
    return ExportLog.objects.create(
        user=user,
        app=app,
        kind=kind,
        description=description[:200],
        params=_plain(params),
        row_count=row_count,
        status=ExportStatus.PENDING,
    )


def export_running(*, log: ExportLog) -> None:
    ExportLog.objects.filter(pk=log.pk).update(status=ExportStatus.RUNNING, progress=0)


def export_progress(*, log: ExportLog, done: int, total: int) -> None:
    ExportLog.objects.filter(pk=log.pk).update(progress=min(99, 100 * done // max(total, 1)))


def export_finished(*, log: ExportLog, name: str, data: bytes, row_count: int) -> ExportLog:
    """Keep the built file on the log row, for the download link."""
    log.file.save(name, ContentFile(data), save=False)
    log.row_count = row_count
    log.status = ExportStatus.DONE
    log.progress = 100
    log.finished_at = timezone.now()
    log.save(update_fields=["file", "row_count", "status", "progress", "finished_at"])
    return log


def export_failed(*, log: ExportLog, error: Exception | str) -> None:
    ExportLog.objects.filter(pk=log.pk).update(
        status=ExportStatus.FAILED, error=str(error)[:300], finished_at=timezone.now()
    )


def export_job_kind(*, app: str, name: str, task) -> JobKind:
    """One app's background exports, for the sweep that re-sends or fails stale jobs
    (``core.jobs``); ``task`` returns the Celery task that builds one log's file."""

    def logs(*statuses):
        return lambda: ExportLog.objects.filter(app=app, status__in=statuses)

    def fail(pk: int, message: str) -> None:
        ExportLog.objects.filter(
            pk=pk, status__in=(ExportStatus.PENDING, ExportStatus.RUNNING)
        ).update(status=ExportStatus.FAILED, error=str(message)[:300], finished_at=timezone.now())

    return JobKind(
        name=name,
        unfinished=logs(ExportStatus.PENDING, ExportStatus.RUNNING),
        pending=logs(ExportStatus.PENDING),
        task=task,
        fail=fail,
    )
