"""The roster's background jobs, registered with core's sweep (issue 11, finding 11)."""

from __future__ import annotations

from core.exports import export_job_kind
from core.jobs import JobKind


def _task(name):
    def get():
        from households import tasks

        return getattr(tasks, name)

    return get


def _fail_import(pk: int, message: str) -> None:
    from households.roster import roster_import_fail

    roster_import_fail(job_id=pk, message=message)


def _imports(*statuses):
    def get():
        from households.models import RosterImport

        return RosterImport.objects.filter(status__in=statuses)

    return get


KINDS = [
    JobKind(
        name="roster_import",
        unfinished=_imports("pending", "running"),
        pending=_imports("pending"),
        task=_task("import_roster"),
        fail=_fail_import,
    ),
    export_job_kind(app="households", name="roster_export", task=_task("export_roster")),
]
