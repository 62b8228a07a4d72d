"""Every change to the ledger, feedback and reports, and the reminders the beat sends."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError, NotAllowed, full_clean_or_refuse
from accounts.models import User
from accounts.roles import get_roles
from core.figures import team_figures
from core.notifications import Reminder, notify, notify_many, office_users
from core.periods import (
    HALF,
    MONTH,
    QUARTER,
    YEAR,
    Period,
    period_between,
    period_containing,
)
from core.roles import is_leader_of, is_office
from core.uploads import DOCUMENT_KINDS, IMAGE_KINDS, require_kind
from reports.compliance import compliance_for_teams
from reports.models import (
    FEEDBACK_ORDER,
    OPEN_REPORT_STATUSES,
    Attachment,
    CaseStatus,
    Errand,
    ErrandStatus,
    Feedback,
    FeedbackCategory,
    FeedbackEvent,
    FeedbackStatus,
    LedgerKind,
    LedgerRecord,
    Report,
    ReportEvent,
    ReportKind,
    ReportStatus,
)
from reports.selectors import open_disputes, open_errands
from teams import policies
from teams.models import Cadre, Membership, MembershipRole, SupervisionGroup, Team
from teams.policies import policy_int
from teams.statuses import STATIONED_STATUSES

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp")
REPORT_PERIOD_KIND = {
    ReportKind.WORK_PLAN: YEAR,
    ReportKind.QUARTERLY: QUARTER,
    ReportKind.HALF_YEAR: HALF,
}


def _require_team_cadre(user, team: Team) -> None:
    roles = get_roles(user)
    if team.pk not in roles.team_ids:
        raise NotAllowed(_("Only the team's own cadres record its work."))


def can_edit_record(*, user, record: LedgerRecord) -> bool:
    """The author, or the leader of the record's team (issue 11, finding 8)."""
    roles = get_roles(user)
    if record.team_id not in roles.team_ids:
        return False
    return record.created_by_id == user.pk or record.team_id in roles.led_team_ids


def _refuse_future(record: LedgerRecord) -> None:
    """A record tells what was done: a future date would count toward R10 in advance."""
    if record.date and record.date > timezone.localdate():
        raise DomainError(_("A record cannot be dated in the future."))


def _require_leader(user, team: Team) -> None:
    if not is_leader_of(user, team):
        raise NotAllowed(_("Only the team's leader may do this."))


def _require_office(user) -> None:
    if not is_office(user):
        raise NotAllowed(_("Only the office may do this."))


def can_write_report(user, report: Report) -> bool:
    """R19: the team's leader writes and submits a report while it is open."""
    return is_leader_of(user, report.team) and report.status in OPEN_REPORT_STATUSES


def can_review_report(user, report: Report) -> bool:
    """The office accepts or returns a submitted report."""
    return is_office(user) and report.status == ReportStatus.SUBMITTED


# --- Work ledger --------------------------------------------------------------------------


def _check_people(team: Team, cadre_id: int | None, participants: list) -> None:
    """Cadres named on a record belong to the team (at any time of its term)."""
    team_cadres = set(Membership.objects.filter(team=team).values_list("cadre_id", flat=True))
    if cadre_id and cadre_id not in team_cadres:
        raise DomainError(_("The cadre concerned must belong to the team."))
    if any(cadre.pk not in team_cadres for cadre in participants):
        raise DomainError(_("Participants must be cadres of the team."))


@transaction.atomic
def ledger_record_create(
    *, user, team: Team, data: dict, participants=(), files=()
) -> LedgerRecord:
    """Record one piece of the team's work with its photos and documents (R17)."""
    _require_team_cadre(user, team)
    record = LedgerRecord(team=team, created_by=user, **data)
    _refuse_future(record)
    participants = list(participants)
    _check_people(team, record.cadre_id, participants)
    full_clean_or_refuse(record)
    record.save()
    if participants:
        record.participants.set(participants)
    for upload in files:
        attachment_add(user=user, record=record, upload=upload)
    return record


@transaction.atomic
def ledger_record_update(
    *, user, record: LedgerRecord, data: dict, participants=(), files=()
) -> LedgerRecord:
    """Correct a record; its team and kind stay as they were."""
    if not can_edit_record(user=user, record=record):
        raise NotAllowed(_("Only the record's author or the team's leader may change it."))
    for field, value in data.items():
        if field not in ("team", "kind", "created_by"):
            setattr(record, field, value)
    _refuse_future(record)
    participants = list(participants)
    _check_people(record.team, record.cadre_id, participants)
    full_clean_or_refuse(record)
    record.save()
    record.participants.set(participants)
    for upload in files:
        attachment_add(user=user, record=record, upload=upload)
    return record


@transaction.atomic
def attachment_add(*, user, record: LedgerRecord, upload) -> Attachment:
    _require_team_cadre(user, record.team)
    name = getattr(upload, "name", "file")
    limit_mb = policy_int(policies.ATTACHMENT_MAX_MB)
    if upload.size > limit_mb * 1024 * 1024:
        raise DomainError(_("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": limit_mb})
    # The content decides (issue 11, finding 4): an .exe named .jpg or HTML named .pdf is
    # refused, and only a real raster image is ever shown inline.
    kind = require_kind(upload, DOCUMENT_KINDS)
    attachment = Attachment(
        record=record,
        file=upload,
        name=name[:200],
        is_image=kind in IMAGE_KINDS,
        uploaded_by=user,
    )
    attachment.save()
    return attachment


@transaction.atomic
def errand_create(
    *, user, team: Team, requester: str, description: str, accepted_on: date, service_day=None
) -> Errand:
    """R12: an errand a villager entrusted on a service day, from accepted to done."""
    _require_team_cadre(user, team)
    if service_day is not None and service_day.team_id != team.pk:
        raise DomainError(_("The service day belongs to another team."))
    errand = Errand(
        team=team,
        service_day=service_day,
        requester=requester,
        description=description,
        accepted_on=accepted_on,
    )
    full_clean_or_refuse(errand)
    errand.save()
    return errand


@transaction.atomic
def errand_advance(*, user, errand: Errand, result: str = "", on: date | None = None) -> Errand:
    """Move an errand one step: accepted -> in progress -> done."""
    _require_team_cadre(user, errand.team)
    if errand.status == ErrandStatus.DONE:
        raise DomainError(_("This errand is already done."))
    if errand.status == ErrandStatus.ACCEPTED:
        errand.status = ErrandStatus.IN_PROGRESS
    else:
        errand.status = ErrandStatus.DONE
        errand.done_on = on or timezone.localdate()
        errand.result = result or errand.result
    full_clean_or_refuse(errand)
    errand.save()
    return errand


@transaction.atomic
def dispute_advance(*, user, record: LedgerRecord, on: date | None = None) -> LedgerRecord:
    """R41: a dispute moves from reported to being mediated to resolved."""
    _require_team_cadre(user, record.team)
    if record.kind != LedgerKind.DISPUTE:
        raise DomainError(_("Only a dispute has a mediation status."))
    if record.case_status == CaseStatus.RESOLVED:
        raise DomainError(_("This dispute is already resolved."))
    if record.case_status == CaseStatus.MEDIATING:
        record.case_status = CaseStatus.RESOLVED
        record.resolved_on = on or timezone.localdate()
    else:
        record.case_status = CaseStatus.MEDIATING
    full_clean_or_refuse(record)
    record.save()
    return record


# --- Feedback to the office (R18) ---------------------------------------------------------


@transaction.atomic
def feedback_send(*, user, team: Team, category: str, subject: str, text: str) -> Feedback:
    _require_team_cadre(user, team)
    feedback = Feedback(team=team, sender=user, category=category, subject=subject, text=text)
    full_clean_or_refuse(feedback)
    feedback.save()
    notify(
        users=office_users(),
        key=f"feedback:{feedback.pk}",
        title=_("New feedback from %(team)s") % {"team": team.name},
        body=str(FeedbackCategory(category).label),
        url=feedback.get_absolute_url(),
    )
    return feedback


@transaction.atomic
def feedback_update(*, user, feedback: Feedback, status: str, office_note: str = "") -> Feedback:
    """The office marks feedback received or handled; the sender sees the status change.

    R18: handling moves forward only (sent -> received -> handled) and every step is kept
    with who, when and the note; a note alone may be added at the current status."""
    _require_office(user)
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    new = FeedbackStatus(status)
    if FEEDBACK_ORDER.index(new) < FEEDBACK_ORDER.index(feedback.status):
        raise DomainError(_("Handling moves forward only; it cannot go back."))
    if new == feedback.status and office_note.strip() == feedback.office_note.strip():
        return feedback
    feedback.status = new
    feedback.office_note = office_note
    full_clean_or_refuse(feedback)
    feedback.save()
    FeedbackEvent.objects.create(
        feedback=feedback, status=new, actor=user, comment=office_note.strip()
    )
    return feedback


# --- R8: the outgoing team's open work passes to the incoming team -------------------------


@transaction.atomic
def team_work_carry_over(*, outgoing: Team, incoming: Team, on: date) -> str:
    """R8: open errands, open disputes and report drafts move to the incoming team, keeping
    their dates, status and history, and saying where they came from."""
    errands = open_errands(outgoing).update(team=incoming, carried_from=outgoing)
    disputes = open_disputes(outgoing).update(team=incoming, carried_from=outgoing)
    drafts = 0
    taken = set(Report.objects.filter(team=incoming).values_list("kind", "period_start"))
    events = []
    for report in Report.objects.filter(team=outgoing, status__in=OPEN_REPORT_STATUSES):
        if (report.kind, report.period_start) in taken:
            continue  # the incoming team already has its own report for that period
        report.team, report.carried_from = incoming, outgoing
        report.save(update_fields=["team", "carried_from"])
        events.append(
            ReportEvent(
                report=report,
                action=report.status,
                comment=_("Carried over from %(team)s at rotation.") % {"team": outgoing},
            )
        )
        drafts += 1
    ReportEvent.objects.bulk_create(events)
    if not (errands or disputes or drafts):
        return ""
    return _(
        "%(errands)d open errands, %(disputes)d open disputes and %(drafts)d report drafts "
        "passed to %(team)s."
    ) % {"errands": errands, "disputes": disputes, "drafts": drafts, "team": incoming}


# --- Reports (R5, R19) ---------------------------------------------------------------------


def report_deadline(*, kind: str, period: Period) -> date:
    """Policy: a report is due N days after its period ends; the work plan N days into it."""
    if kind == ReportKind.WORK_PLAN:
        return period.due_after_start(policy_int(policies.WORK_PLAN_DEADLINE_DAYS, period.start))
    return period.due_after_end(policy_int(policies.REPORT_DEADLINE_DAYS, period.end))


def _team_periods(team: Team, on: date) -> list[tuple[str, Period]]:
    wanted = []
    last = min(on, team.term_end)
    for kind, period_kind in REPORT_PERIOD_KIND.items():
        period = period_containing(period_kind, team.term_start)
        while period.start <= last:
            wanted.append((kind, period))
            period = period.next()
    return wanted


@transaction.atomic
def reports_ensure(*, teams, on: date | None = None) -> int:
    """Create the draft report of every period each team's term has reached; idempotent."""
    on = on or timezone.localdate()
    teams = list(teams)
    existing = set(
        Report.objects.filter(team__in=[t.pk for t in teams]).values_list(
            "team_id", "kind", "period_start"
        )
    )
    deadlines: dict[tuple[str, Period], date] = {}
    rows = []
    for team in teams:
        for kind, period in _team_periods(team, on):
            if (team.pk, kind, period.start) in existing:
                continue
            if (kind, period) not in deadlines:
                deadlines[kind, period] = report_deadline(kind=kind, period=period)
            rows.append(
                Report(
                    team=team,
                    kind=kind,
                    period_start=period.start,
                    period_end=period.end,
                    deadline=deadlines[kind, period],
                )
            )
    created = Report.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(created)


def report_appendix(report: Report) -> dict:
    """The period's figures, so the leader writes only the narrative (R19).

    A submitted report shows its snapshot; a draft shows the figures as they are now.
    """
    if report.appendix is not None and report.status != ReportStatus.DRAFT:
        return report.appendix
    return appendix_compute(team=report.team, start=report.period_start, end=report.period_end)


def appendix_compute(*, team: Team, start: date, end: date) -> dict:
    records = LedgerRecord.objects.filter(team=team, date__range=(start, end))
    counts = dict(records.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    funds = records.filter(kind=LedgerKind.COORDINATION).aggregate(total=Sum("amount"))["total"]
    errands = Errand.objects.filter(team=team).aggregate(
        accepted=Count("pk", filter=Q(accepted_on__range=(start, end))),
        done=Count("pk", filter=Q(done_on__range=(start, end))),
        open=Count("pk", filter=~Q(status=ErrandStatus.DONE) & Q(accepted_on__lte=end)),
    )
    disputes = records.filter(kind=LedgerKind.DISPUTE).aggregate(
        reported=Count("pk"), resolved=Count("pk", filter=Q(case_status=CaseStatus.RESOLVED))
    )
    period = period_between(start, end)
    compliance = compliance_for_teams(teams=[team], period=period)[0]
    appendix = {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "ledger": [{"kind": kind, "count": counts.get(kind, 0)} for kind in LedgerKind.values],
        "funds_secured": str(funds or Decimal("0")),
        "errands": errands,
        "disputes": disputes,
        "compliance": [
            {
                "rule": r.rule,
                "actual": r.actual,
                "required": r.required,
                "status": r.status,
            }
            for r in compliance.results
        ],
        "attendance": None,
        "visits": None,
    }
    # Figures the attendance and households apps own, through the core registry.
    on = max(start, min(end, timezone.localdate()))
    figures = team_figures(team_ids=[team.pk], start=start, end=on)[team.pk]
    if "attendance.service_days" in figures:
        appendix["attendance"] = _attendance_part(team, start, end, figures)
    if "households.households" in figures:
        appendix["visits"] = _visits_part(figures)
    return appendix


def _attendance_part(team: Team, start: date, end: date, figures: dict) -> dict:
    """Service days per cadre of the team in the period (R20), leader first."""
    by_cadre = figures["attendance.service_days_by_cadre"]
    memberships = (
        Membership.objects.filter(team=team, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("cadre")
        .order_by("role", "cadre__name")
    )
    cadres, seen = [], set()
    for membership in memberships:
        if membership.cadre_id in seen:
            continue
        seen.add(membership.cadre_id)
        cadres.append(
            {
                "cadre_id": membership.cadre_id,
                "name": membership.cadre.name,
                "service_days": by_cadre.get(membership.cadre_id, 0),
            }
        )
    return {"cadres": cadres, "total": sum(row["service_days"] for row in cadres)}


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _visits_part(figures: dict) -> dict:
    """R13-R15 coverage of the team's village."""
    row = {
        "total": figures["households.households"],
        "initial": figures["households.r13_met"],
        "yearly": figures["households.r14_met"],
        "key_total": figures["households.r15_key_due"],
        "key_quarter": figures["households.r15_key_met"],
        "overdue": figures["households.overdue"],
    }
    row["initial_pct"] = _pct(row["initial"], row["total"])
    row["yearly_pct"] = _pct(row["yearly"], row["total"])
    row["key_quarter_pct"] = _pct(row["key_quarter"], row["key_total"])
    return row


@transaction.atomic
def report_update(*, user, report: Report, narrative: str) -> Report:
    report = Report.objects.select_for_update().select_related("team").get(pk=report.pk)
    _require_leader(user, report.team)
    if report.status not in OPEN_REPORT_STATUSES:
        raise DomainError(_("A submitted or accepted report can no longer be edited."))
    report.narrative = narrative
    full_clean_or_refuse(report)
    report.save(update_fields=["narrative"])
    return report


@transaction.atomic
def report_submit(*, user, report: Report, narrative: str | None = None) -> Report:
    """R19: the leader submits; the appendix is frozen as it stands now."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_leader(user, report.team)
    if report.status not in OPEN_REPORT_STATUSES:
        raise DomainError(_("This report has already been submitted."))
    if narrative is not None:
        report.narrative = narrative
    if not report.narrative.strip():
        raise DomainError(_("Write the report's narrative before submitting it."))
    report.appendix = appendix_compute(
        team=report.team, start=report.period_start, end=report.period_end
    )
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    full_clean_or_refuse(report)
    report.save()
    ReportEvent.objects.create(report=report, action=ReportStatus.SUBMITTED, actor=user)
    recipients = list(office_users())
    if report.kind == ReportKind.QUARTERLY:
        # R19: quarterly reports go to the leading group and the dispatching unit.
        recipients += list(report.team.unit.contacts.all())
    notify(
        users=recipients,
        key=f"report-submitted:{report.pk}:{report.submitted_at:%Y%m%d%H%M%S}",
        title=_("%(team)s submitted %(report)s")
        % {"team": report.team.name, "report": report.get_kind_display()},
        body=report.period_label,
        url=report.get_absolute_url(),
    )
    return report


@transaction.atomic
def report_return(*, user, report: Report, comment: str) -> Report:
    """The office returns a report for revision, with a comment the leader reads."""
    report = Report.objects.select_for_update().select_related("team").get(pk=report.pk)
    _require_office(user)
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError(_("Only a submitted report can be returned."))
    if not comment.strip():
        raise DomainError(_("Say what to revise when returning a report."))
    report.status = ReportStatus.RETURNED
    report.review_comment = comment
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.submitted_at = None
    report.save()
    ReportEvent.objects.create(
        report=report, action=ReportStatus.RETURNED, actor=user, comment=comment
    )
    notify(
        users=_leaders_of([report.team_id]).get(report.team_id, []),
        key=f"report-returned:{report.pk}:{report.reviewed_at:%Y%m%d%H%M%S}",
        title=_("Report returned for revision: %(report)s") % {"report": report.period_label},
        body=comment,
        url=report.get_absolute_url(),
    )
    return report


@transaction.atomic
def report_accept(*, user, report: Report, comment: str = "") -> Report:
    report = Report.objects.select_for_update().select_related("team").get(pk=report.pk)
    _require_office(user)
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError(_("Only a submitted report can be accepted."))
    report.status = ReportStatus.ACCEPTED
    report.review_comment = comment
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.save()
    ReportEvent.objects.create(
        report=report, action=ReportStatus.ACCEPTED, actor=user, comment=comment
    )
    return report


# --- Reminders (called by reports.tasks) ------------------------------------------------


def _leaders_of(team_ids, on: date | None = None) -> dict[int, list[User]]:
    on = on or timezone.localdate()
    leaders: dict[int, list[User]] = {}
    rows = (
        Membership.objects.current(on)
        .filter(team_id__in=team_ids, role=MembershipRole.LEADER, cadre__user__isnull=False)
        .select_related("cadre__user")
    )
    for membership in rows:
        leaders.setdefault(membership.team_id, []).append(membership.cadre.user)
    return leaders


def report_deadline_reminders_send(*, on: date | None = None) -> int:
    """R19: remind leaders of deadlines within the policy window, and flag missed ones to the
    leader and the supervision group. Once per report and kind of reminder."""
    on = on or timezone.localdate()
    teams = list(Team.objects.stationed())
    reports_ensure(teams=teams, on=on)
    window = policy_int(policies.REPORT_REMINDER_DAYS, on)
    open_reports = list(
        Report.objects.filter(
            team__in=[t.pk for t in teams],
            status__in=OPEN_REPORT_STATUSES,
            deadline__lte=on + timedelta(days=window),
            period_end__lt=on,
        )
        .select_related("team__supervision_group")
        .order_by("deadline", "pk")
    )
    leaders = _leaders_of({r.team_id for r in open_reports}, on)
    group_ids = {r.team.supervision_group_id for r in open_reports if r.team.supervision_group_id}
    group_members = {
        group.pk: list(group.members.all())
        for group in SupervisionGroup.objects.filter(pk__in=group_ids).prefetch_related("members")
    }
    reminders: list[Reminder] = []
    for report in open_reports:
        args = {"report": report.get_kind_display(), "period": report.period_label}
        if report.deadline < on:
            reminders.append(
                Reminder(
                    users=leaders.get(report.team_id, [])
                    + group_members.get(report.team.supervision_group_id, []),
                    key=f"report-late:{report.pk}",
                    title=_("Late: %(report)s %(period)s") % args + f" · {report.team.name}",
                    body=_("The deadline was %(day)s.") % {"day": report.deadline.isoformat()},
                    url=report.get_absolute_url(),
                )
            )
        else:
            reminders.append(
                Reminder(
                    users=leaders.get(report.team_id, []),
                    key=f"report-due:{report.pk}",
                    title=_("Due soon: %(report)s %(period)s") % args,
                    body=_("Submit it by %(day)s.") % {"day": report.deadline.isoformat()},
                    url=report.get_absolute_url(),
                )
            )
    return notify_many(reminders)


def study_session_reminders_send(*, on: date | None = None) -> int:
    """R10: from the policy day of the month, remind leaders whose team is below the minimum."""
    on = on or timezone.localdate()
    if on.day < policy_int(policies.STUDY_REMINDER_DAY, on):
        return 0
    month = period_containing(MONTH, on)
    minimum = policy_int(policies.STUDY_SESSIONS_MIN_PER_MONTH, on)
    teams = Team.objects.stationed().annotate(
        studies=Count(
            "ledger_records",
            filter=Q(
                ledger_records__kind=LedgerKind.STUDY,
                ledger_records__date__range=(month.start, month.end),
            ),
        )
    )
    below = {team.pk: team for team in teams if team.studies < minimum}
    leaders = _leaders_of(below, on)
    reminders: list[Reminder] = []
    for team_id, team in below.items():
        reminders.append(
            Reminder(
                users=leaders.get(team_id, []),
                key=f"study-below:{team_id}:{month.key}",
                title=_("Study sessions this month: %(count)s of %(minimum)s")
                % {"count": team.studies, "minimum": minimum},
                body=_("Hold and record the month's group study sessions."),
                url=reverse("reports:ledger_create") + f"?kind={LedgerKind.STUDY}",
            )
        )
    return notify_many(reminders)


def term_and_insurance_reminders_send(*, on: date | None = None) -> int:
    """R7/R35: terms and accident insurance ending within the policy window."""
    on = on or timezone.localdate()
    days = policy_int(policies.TERM_ENDING_WARNING_DAYS, on)
    horizon = on + timedelta(days=days)
    teams = list(Team.objects.stationed().filter(term_end__lte=horizon))
    leaders = _leaders_of([t.pk for t in teams], on)
    reminders: list[Reminder] = []
    for team in teams:
        reminders.append(
            Reminder(
                users=leaders.get(team.pk, []),
                key=f"term-ending:{team.pk}:{team.term_end.isoformat()}",
                title=_("The team's term ends on %(day)s") % {"day": team.term_end.isoformat()},
                body=_("Prepare the rotation and the handover."),
                url=team.get_absolute_url(),
            )
        )
    stationed = Membership.objects.current(on).filter(team__status__in=STATIONED_STATUSES)
    cadres = list(
        Cadre.objects.filter(pk__in=stationed.values("cadre_id"), user__isnull=False)
        .filter(Q(insurance_end__isnull=True) | Q(insurance_end__lte=horizon))
        .select_related("user")
    )
    for cadre in cadres:
        end = cadre.insurance_end.isoformat() if cadre.insurance_end else "none"
        reminders.append(
            Reminder(
                users=[cadre.user],
                key=f"insurance-ending:{cadre.pk}:{end}",
                title=_("Your accident insurance ends on %(day)s") % {"day": end}
                if cadre.insurance_end
                else _("No accident insurance is recorded for you"),
                body=_("Renew the accident insurance for the term."),
            )
        )
    if teams or cadres:
        week = on.isocalendar()
        reminders.append(
            Reminder(
                users=office_users(),
                key=f"terms-insurance-digest:{week.year}-W{week.week:02d}",
                title=_("%(teams)s terms and %(cadres)s insurances end within %(days)s days")
                % {"teams": len(teams), "cadres": len(cadres), "days": days},
                url=reverse("teams:team_list"),
            )
        )
    return notify_many(reminders)


def leader_meeting_reminder_send(*, on: date | None = None) -> int:
    """R32: the leading group meets the team leaders every quarter."""
    on = on or timezone.localdate()
    quarter = period_containing(QUARTER, on)
    leaders = _leaders_of(Team.objects.stationed().values_list("pk", flat=True), on)
    users = list(office_users()) + [user for users in leaders.values() for user in users]
    return notify(
        users=users,
        key=f"leader-meeting:{quarter.key}",
        title=_("Quarterly meeting of the leading group with team leaders: %(q)s")
        % {"q": quarter.key},
        body=_("The office schedules it; leaders attend and report."),
    )
