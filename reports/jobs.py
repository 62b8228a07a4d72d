"""The reports' background exports, registered with core's sweep (issue 11, finding 11)."""

from __future__ import annotations

from core.exports import export_job_kind


def _task():
    from reports.tasks import run_export

    return run_export


KINDS = [export_job_kind(app="reports", name="report_export", task=_task)]
