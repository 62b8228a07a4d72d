"""Reads of the ledger, feedback and reports, scoped to the user and shaped against N+1."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import get_roles
from core.models import ExportLog
from core.periods import Period
from reports.compliance import compliance_for_teams, rollup
from reports.models import (
    OPEN_REPORT_STATUSES,
    Attachment,
    CaseStatus,
    Errand,
    ErrandStatus,
    Feedback,
    LedgerKind,
    LedgerRecord,
    Report,
    ReportEvent,
    ReportStatus,
)
from teams.models import Team


def own_teams(user) -> QuerySet[Team]:
    """The teams the user belongs to as a cadre (where they record work)."""
    return Team.objects.filter(pk__in=get_roles(user).team_ids).select_related("village")


def ledger_list(
    *, user, team_id: int | None = None, kind: str = "", search: str = ""
) -> QuerySet[LedgerRecord]:
    records = (
        LedgerRecord.objects.visible_to(user)
        .select_related("team__village", "cadre")
        .annotate(n_attachments=Count("attachments"))
        .order_by("-date", "-pk")
    )
    if team_id:
        records = records.filter(team_id=team_id)
    if kind:
        records = records.filter(kind=kind)
    if search:
        records = records.filter(Q(title__icontains=search) | Q(text__icontains=search))
    return records


def ledger_detail(*, user, pk: int) -> LedgerRecord:
    records = (
        LedgerRecord.objects.visible_to(user)
        .select_related("team__village", "cadre", "created_by")
        .prefetch_related("participants", "attachments", "errands")
    )
    return get_object_or_404(records, pk=pk)


def attachment_detail(*, user, pk: int) -> Attachment:
    return get_object_or_404(Attachment.objects.visible_to(user), pk=pk)


def errand_list(*, user, open_only: bool = False) -> QuerySet[Errand]:
    errands = Errand.objects.visible_to(user).select_related("team", "service_day")
    if open_only:
        errands = errands.exclude(status="done")
    return errands


def errand_detail(*, user, pk: int) -> Errand:
    return get_object_or_404(Errand.objects.visible_to(user).select_related("team"), pk=pk)


def open_errands(team: Team) -> QuerySet[Errand]:
    """R8: errands not yet done, which the outgoing team hands over. Not scoped: the
    handover page passes a team its user already sees."""
    return Errand.objects.filter(team=team).exclude(status=ErrandStatus.DONE)


def open_disputes(team: Team) -> QuerySet[LedgerRecord]:
    """R8/R41: disputes not yet resolved, for the handover checklist (not scoped)."""
    return LedgerRecord.objects.filter(team=team, kind=LedgerKind.DISPUTE).exclude(
        case_status=CaseStatus.RESOLVED
    )


def feedback_list(*, user) -> QuerySet[Feedback]:
    return Feedback.objects.visible_to(user).select_related("team", "sender")


def feedback_detail(*, user, pk: int) -> Feedback:
    return get_object_or_404(feedback_list(user=user), pk=pk)


def report_list(
    *,
    user,
    kind: str = "",
    status: str = "",
    late_only: bool = False,
    period: Period | None = None,
    team_id: int | None = None,
    on: date | None = None,
) -> QuerySet[Report]:
    on = on or timezone.localdate()
    reports = (
        Report.objects.visible_to(user)
        .select_related("team__village", "team__unit", "submitted_by")
        .order_by("-period_end", "kind", "team__name", "pk")
    )
    if kind:
        reports = reports.filter(kind=kind)
    if status:
        reports = reports.filter(status=status)
    if team_id:
        reports = reports.filter(team_id=team_id)
    if period:
        reports = reports.filter(period_start__gte=period.start, period_end__lte=period.end)
    if late_only:
        reports = reports.filter(status__in=OPEN_REPORT_STATUSES, deadline__lt=on)
    return reports


def report_detail(*, user, pk: int) -> Report:
    reports = (
        Report.objects.visible_to(user)
        .select_related("team__village", "team__unit", "submitted_by", "reviewed_by")
        .prefetch_related(Prefetch("events", queryset=ReportEvent.objects.select_related("actor")))
    )
    return get_object_or_404(reports, pk=pk)


def report_counts(*, user, period: Period | None = None, on: date | None = None) -> dict:
    """For the office: how many reports are submitted, accepted, returned, open, late."""
    on = on or timezone.localdate()
    reports = report_list(user=user, period=period, on=on)
    return reports.aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
        accepted=Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
        returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
        late=Count("pk", filter=Q(status__in=OPEN_REPORT_STATUSES, deadline__lt=on)),
    )


def compliance_overview(*, user, period: Period, team_id: int | None = None):
    teams = Team.objects.visible_to(user).stationed().select_related("village").order_by("pk")
    if team_id:
        teams = teams.filter(pk=team_id)
    rows = compliance_for_teams(teams=teams, period=period)
    return rows, rollup(rows)


def export_list(*, user) -> QuerySet[ExportLog]:
    return ExportLog.objects.visible_to(user).select_related("user")


def export_detail(*, user, pk: int) -> ExportLog:
    return get_object_or_404(ExportLog.objects.filter(user=user), pk=pk)
