"""Excel exports (openpyxl), scoped to the user and logged (who, what, when).

Small exports are built in the request; larger ones (policy ``export_async_rows``) run as a
Celery task that reports progress on the ExportLog row and leaves a download link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.errors import DomainError
from core.exports import (
    export_failed,
    export_finished,
    export_progress,
    export_running,
    export_started,
)
from core.jobs import enqueue_on_commit
from core.models import ExportLog
from core.params import date_param, int_param
from core.periods import QUARTER, parse_period, period_containing
from core.spreadsheets import table_workbook
from reports.compliance import compliance_for_teams
from reports.models import ExportKind, LedgerRecord, Report
from teams import policies
from teams.models import Team
from teams.policies import policy_int

PROGRESS_EVERY = 500


@dataclass
class Sheet:
    headers: list[str]
    count: int
    rows: Callable[[], Iterable[list]]
    # Columns to total under the table (core.spreadsheets): "auto" for every numeric one.
    totals: Iterable[int] | None | str = "auto"


def _parse_date(value) -> date | None:
    return date_param(value)


def _ledger(user, params: dict) -> Sheet:
    records = (
        LedgerRecord.objects.visible_to(user)
        .select_related("team__village", "cadre")
        .annotate(
            n_participants=Count("participants", distinct=True),
            n_attachments=Count("attachments", distinct=True),
        )
        .order_by("team_id", "date", "pk")
    )
    if team_id := int_param(params.get("team")):
        records = records.filter(team_id=team_id)
    if params.get("kind"):
        records = records.filter(kind=params["kind"])
    if start := _parse_date(params.get("start")):
        records = records.filter(date__gte=start)
    if end := _parse_date(params.get("end")):
        records = records.filter(date__lte=end)
    headers = [
        _("Team"),
        _("Village"),
        _("Kind"),
        _("Date"),
        _("Title"),
        _("Notes"),
        _("Cadres taking part"),
        _("Other participants"),
        _("Number of participants"),
        _("Cadre concerned"),
        _("Project"),
        _("Amount (yuan)"),
        _("Source of funds"),
        _("Households benefiting"),
        _("Households in the village"),
        _("Case status"),
        _("Attachments"),
    ]

    def rows():
        for r in records.iterator(chunk_size=1000):
            yield [
                r.team.name,
                r.team.village.name,
                r.get_kind_display(),
                r.date,
                r.title,
                r.text,
                r.n_participants,
                r.other_participants,
                r.participant_count,
                r.cadre.name if r.cadre else "",
                r.project_name,
                r.amount,
                r.funding_source,
                r.households_benefiting,
                r.village_households,
                r.get_case_status_display() if r.case_status else "",
                r.n_attachments,
            ]

    # Totals where a sum means something: people, money, households, attachments.
    return Sheet(headers, records.count(), rows, totals=[6, 8, 11, 13, 16])


def _report_status(user, params: dict) -> Sheet:
    reports = (
        Report.objects.visible_to(user)
        .select_related("team__village", "team__unit")
        .order_by("-period_start", "kind", "team_id")
    )
    if period := parse_period(str(params.get("period", ""))):
        reports = reports.filter(period_start__gte=period.start, period_end__lte=period.end)
    if params.get("kind"):
        reports = reports.filter(kind=params["kind"])
    today = timezone.localdate()
    headers = [
        _("Team"),
        _("Village"),
        _("Dispatching unit"),
        _("Report"),
        _("Period"),
        _("Deadline"),
        _("Status"),
        _("Submitted at"),
        _("Late"),
    ]

    def rows():
        for r in reports.iterator(chunk_size=1000):
            yield [
                r.team.name,
                r.team.village.name,
                r.team.unit.name,
                r.get_kind_display(),
                r.period_label,
                r.deadline,
                r.get_status_display(),
                timezone.localtime(r.submitted_at).replace(tzinfo=None) if r.submitted_at else "",
                _("Yes") if r.is_late_on(today) else "",
            ]

    return Sheet(headers, reports.count(), rows)


def _compliance(user, params: dict) -> Sheet:
    period = parse_period(str(params.get("period", ""))) or period_containing(
        QUARTER, timezone.localdate()
    )
    teams = Team.objects.visible_to(user).stationed().select_related("village").order_by("pk")
    headers = [
        _("Team"),
        _("Village"),
        _("Period"),
        _("Rule"),
        _("Achieved"),
        pgettext("minimum", "Required"),
    ]
    headers.append(_("Status"))

    def rows():
        for row in compliance_for_teams(teams=teams, period=period):
            for result in row.results:
                yield [
                    row.team.name,
                    row.team.village.name,
                    period.key,
                    f"{result.rule} {result.label}",
                    result.actual,
                    result.required,
                    result.status_label,
                ]

    return Sheet(headers, teams.count() * 6, rows, totals=None)


BUILDERS = {
    ExportKind.LEDGER: _ledger,
    ExportKind.REPORT_STATUS: _report_status,
    ExportKind.COMPLIANCE: _compliance,
}


def export_start(*, user, kind: str, params: dict) -> ExportLog:
    """Log the export; build it now when small, else queue it (the page shows progress)."""
    if kind not in BUILDERS:
        raise DomainError(_("Unknown export."))
    params = {key: str(value) for key, value in params.items() if value}
    sheet = BUILDERS[kind](user, params)
    log = export_started(user=user, app="reports", kind=kind, params=params, row_count=sheet.count)
    if sheet.count > policy_int(policies.EXPORT_ASYNC_ROWS):
        from reports.tasks import run_export

        enqueue_on_commit(run_export, log.pk)
    else:
        export_run(export_id=log.pk)
        log.refresh_from_db()
    return log


def export_run(*, export_id: int) -> ExportLog:
    log = ExportLog.objects.select_related("user").get(pk=export_id)
    if log.is_done:
        return log  # a retried task does not build the file twice
    export_running(log=log)
    try:
        sheet = BUILDERS[log.kind](log.user, log.params)
        title = _("%(kind)s, exported %(when)s") % {
            "kind": ExportKind(log.kind).label,
            "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        }
        data, written = table_workbook(
            title=title,
            sheet_name=str(ExportKind(log.kind).label),
            headers=sheet.headers,
            rows=sheet.rows(),
            total_columns=sheet.totals,
            on_progress=lambda done: export_progress(log=log, done=done, total=sheet.count),
            progress_every=PROGRESS_EVERY,
        )
    except Exception as error:
        export_failed(log=log, error=error)
        raise
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return export_finished(log=log, name=f"{log.kind}-{stamp}.xlsx", data=data, row_count=written)
