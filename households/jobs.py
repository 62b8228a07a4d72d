"""The roster's background jobs, registered with core's sweep (issue 11, finding 11)."""

from __future__ import annotations

from django.utils import timezone

from core.jobs import JobKind


def _task(name):
    def get():
        from households import tasks

        return getattr(tasks, name)

    return get


def _fail_import(pk: int, message: str) -> None:
    from households.roster import roster_import_fail

    roster_import_fail(job_id=pk, message=message)


def _fail_export(pk: int, message: str) -> None:
    from households.models import RosterExport

    RosterExport.objects.filter(pk=pk, finished_at__isnull=True).update(
        error=str(message)[:300], finished_at=timezone.now()
    )


def _imports(*statuses):
    def get():
        from households.models import RosterImport

        return RosterImport.objects.filter(status__in=statuses)

    return get


def _unfinished_exports():
    from households.models import RosterExport

    return RosterExport.objects.filter(finished_at__isnull=True)


KINDS = [
    JobKind(
        name="roster_import",
        unfinished=_imports("pending", "running"),
        pending=_imports("pending"),
        task=_task("import_roster"),
        fail=_fail_import,
    ),
    JobKind(
        name="roster_export",
        unfinished=_unfinished_exports,
        pending=_unfinished_exports,
        task=_task("export_roster"),
        fail=_fail_export,
    ),
]
