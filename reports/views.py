"""Thin views: parse input, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.errors import DomainError
from accounts.mixins import RoleRequiredMixin
from core.models import ExportStatus
from core.params import int_param
from core.periods import MONTH, PERIOD_KINDS, QUARTER, parse_period, period_containing
from core.redirects import safe_next
from reports import exports, selectors, services
from reports.compliance import RULES, STATUS_LABELS
from reports.forms import (
    ErrandForm,
    ExportForm,
    FeedbackForm,
    FeedbackUpdateForm,
    LedgerRecordForm,
    ReportNarrativeForm,
    ReportReviewForm,
)
from reports.models import (
    OPEN_REPORT_STATUSES,
    LedgerKind,
    ReportKind,
    ReportStatus,
)
from teams.models import Team


def _int(value) -> int | None:
    return int_param(value)


class CadreRequiredMixin(RoleRequiredMixin):
    def allows(self, roles) -> bool:
        return bool(roles.team_ids)


class ReportsHomeView(RoleRequiredMixin, TemplateView):
    """The leader's and the office's starting point: this period's compliance and reports."""

    template_name = "reports/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        month = period_containing(MONTH, today)
        quarter = period_containing(QUARTER, today)
        own = list(selectors.own_teams(user))
        services.reports_ensure(teams=own, on=today)
        rows, totals = (
            selectors.compliance_overview(user=user, period=month, team_id=own[0].pk)
            if own
            else ([], {})
        )
        return super().get_context_data(
            month=month,
            quarter=quarter,
            own_teams=own,
            compliance_rows=rows,
            open_reports=selectors.report_list(user=user).filter(
                team__in=own, status__in=OPEN_REPORT_STATUSES, period_start__lte=today
            )[:6]
            if own
            else [],
            counts=selectors.report_counts(user=user, on=today),
            today=today,
            **kwargs,
        )


# --- Ledger ------------------------------------------------------------------------------


class LedgerListView(RoleRequiredMixin, ListView):
    template_name = "reports/ledger_list.html"
    paginate_by = 30

    def get_queryset(self):
        params = self.request.GET
        return selectors.ledger_list(
            user=self.request.user,
            team_id=_int(params.get("team")),
            kind=params.get("kind", ""),
            search=params.get("q", "").strip(),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kinds=LedgerKind.choices,
            teams=Team.objects.visible_to(self.request.user).stationed().order_by("name")[:200],
            can_record=bool(selectors.own_teams(self.request.user)),
            **kwargs,
        )


class LedgerCreateView(CadreRequiredMixin, View):
    template_name = "reports/ledger_form.html"

    def _kind(self):
        kind = self.request.GET.get("kind", "")
        return kind if kind in LedgerKind.values else None

    def _form(self, kind, data=None, files=None):
        teams = selectors.own_teams(self.request.user)
        return LedgerRecordForm(
            data, files, kind=kind, teams=teams, initial={"date": timezone.localdate()}
        )

    def get(self, request):
        kind = self._kind()
        if kind is None:
            return render(request, "reports/ledger_kinds.html", {"kinds": LedgerKind.choices})
        form = self._form(kind)
        return render(
            request, self.template_name, {"form": form, "kind_label": LedgerKind(kind).label}
        )

    def post(self, request):
        kind = self._kind()
        if kind is None:
            raise Http404
        form = self._form(kind, request.POST, request.FILES)
        if form.is_valid():
            try:
                record = services.ledger_record_create(
                    user=request.user, team=form.cleaned_data["team"], **form.service_arguments()
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Recorded."))
                return redirect(record)
        return render(
            request, self.template_name, {"form": form, "kind_label": LedgerKind(kind).label}
        )


class LedgerUpdateView(CadreRequiredMixin, View):
    template_name = "reports/ledger_form.html"

    def _form(self, record, data=None, files=None):
        teams = selectors.own_teams(self.request.user).filter(pk=record.team_id)
        if not teams:
            raise Http404
        if not services.can_edit_record(user=self.request.user, record=record):
            raise PermissionDenied(
                _("Only the record's author or the team's leader may change it.")
            )
        return LedgerRecordForm(data, files, instance=record, kind=record.kind, teams=teams)

    def get(self, request, pk):
        record = selectors.ledger_detail(user=request.user, pk=pk)
        form = self._form(record)
        return render(
            request, self.template_name, {"form": form, "kind_label": record.get_kind_display()}
        )

    def post(self, request, pk):
        record = selectors.ledger_detail(user=request.user, pk=pk)
        form = self._form(record, request.POST, request.FILES)
        if form.is_valid():
            try:
                services.ledger_record_update(
                    user=request.user, record=record, **form.service_arguments()
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Saved."))
                return redirect(record)
        return render(
            request, self.template_name, {"form": form, "kind_label": record.get_kind_display()}
        )


class LedgerDetailView(RoleRequiredMixin, View):
    def get(self, request, pk):
        record = selectors.ledger_detail(user=request.user, pk=pk)
        return render(
            request,
            "reports/ledger_detail.html",
            {
                "record": record,
                "can_edit": services.can_edit_record(user=request.user, record=record),
                "errand_form": ErrandForm(initial={"accepted_on": record.date}),
            },
        )


class LedgerActionView(RoleRequiredMixin, View):
    """POST actions on a record: upload, add an errand, advance a dispute."""

    def post(self, request, pk, action):
        record = selectors.ledger_detail(user=request.user, pk=pk)
        try:
            if action == "attach":
                for upload in request.FILES.getlist("files"):
                    services.attachment_add(user=request.user, record=record, upload=upload)
            elif action == "errand":
                form = ErrandForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("Fill in who asked, the errand and the date."))
                services.errand_create(
                    user=request.user, team=record.team, service_day=record, **form.cleaned_data
                )
            elif action == "dispute":
                services.dispute_advance(user=request.user, record=record)
            else:
                raise Http404
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(record)


class AttachmentView(RoleRequiredMixin, View):
    """Attachments are served through scoping, never from a public media URL."""

    def get(self, request, pk):
        attachment = selectors.attachment_detail(user=request.user, pk=pk)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=not attachment.is_image,
            filename=attachment.name,
        )


class ErrandListView(RoleRequiredMixin, ListView):
    template_name = "reports/errand_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.errand_list(
            user=self.request.user, open_only=self.request.GET.get("open") == "1"
        )


class ErrandAdvanceView(RoleRequiredMixin, View):
    def post(self, request, pk):
        errand = selectors.errand_detail(user=request.user, pk=pk)
        try:
            services.errand_advance(
                user=request.user, errand=errand, result=request.POST.get("result", "")
            )
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(safe_next(request, "reports:errand_list"))


# --- Feedback (R18) ----------------------------------------------------------------------


class FeedbackListView(RoleRequiredMixin, ListView):
    template_name = "reports/feedback_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.feedback_list(user=self.request.user)


class FeedbackCreateView(CadreRequiredMixin, View):
    def _form(self, data=None):
        return FeedbackForm(data, teams=selectors.own_teams(self.request.user))

    def get(self, request):
        return render(request, "reports/feedback_form.html", {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                feedback = services.feedback_send(
                    user=request.user,
                    team=form.cleaned_data["team"],
                    category=form.cleaned_data["category"],
                    subject=form.cleaned_data["subject"],
                    text=form.cleaned_data["text"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Sent to the office."))
                return redirect(feedback)
        return render(request, "reports/feedback_form.html", {"form": form})


class FeedbackDetailView(RoleRequiredMixin, View):
    def get(self, request, pk, form=None):
        feedback = selectors.feedback_detail(user=request.user, pk=pk)
        readable = feedback.body_readable_by(request.user)
        return render(
            request,
            "reports/feedback_detail.html",
            {
                "feedback": feedback,
                "readable": readable,
                "form": form
                or FeedbackUpdateForm(
                    initial={"status": feedback.status, "office_note": feedback.office_note}
                ),
            },
        )

    def post(self, request, pk):
        feedback = selectors.feedback_detail(user=request.user, pk=pk)
        form = FeedbackUpdateForm(request.POST)
        if not form.is_valid():
            return self.get(request, pk, form=form)
        try:
            services.feedback_update(user=request.user, feedback=feedback, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
        return redirect(feedback)


# --- Reports (R5, R19) ---------------------------------------------------------------------


class ReportListView(RoleRequiredMixin, ListView):
    template_name = "reports/report_list.html"
    paginate_by = 50

    def get_queryset(self):
        params = self.request.GET
        services.reports_ensure(teams=selectors.own_teams(self.request.user))
        return selectors.report_list(
            user=self.request.user,
            kind=params.get("kind", ""),
            status=params.get("status", ""),
            late_only=params.get("late") == "1",
            period=parse_period(params.get("period", "")),
            team_id=_int(params.get("team")),
        ).filter(period_start__lte=timezone.localdate())

    def get_context_data(self, **kwargs):
        params = self.request.GET
        return super().get_context_data(
            kinds=ReportKind.choices,
            statuses=ReportStatus.choices,
            today=timezone.localdate(),
            counts=selectors.report_counts(
                user=self.request.user, period=parse_period(params.get("period", ""))
            ),
            **kwargs,
        )


def _rule_units(appendix) -> dict[str, str]:
    """What each appendix figure counts ("months met / months"), so no rule number shows."""
    period = (appendix or {}).get("period") or {}
    monthly = period.get("start", "")[:7] == period.get("end", "")[:7]
    return {
        "R10": _("sessions / required") if monthly else _("months met / months"),
        "R12": _("weeks with a service day / weeks"),
        "R16": _("cadres with a research report / cadres"),
        "R26": _("trainings / required"),
        "R29": _("stable projects / required"),
        "R30": _("projects reaching the share / required"),
    }


class ReportDetailView(RoleRequiredMixin, View):
    template_name = "reports/report_detail.html"

    def _context(self, report, **extra):
        user = self.request.user
        today = timezone.localdate()
        appendix = services.report_appendix(report)
        return {
            "report": report,
            "appendix": appendix,
            "ledger_labels": dict(LedgerKind.choices),
            "rule_labels": RULES,
            "rule_units": _rule_units(appendix),
            "status_labels": STATUS_LABELS,
            "is_late": report.is_late_on(today),
            "can_write": services.can_write_report(user, report),
            "can_review": services.can_review_report(user, report),
            "form": extra.pop("form", None)
            or ReportNarrativeForm(initial={"narrative": report.narrative}),
            "review_form": extra.pop("review_form", None) or ReportReviewForm(),
            **extra,
        }

    def get(self, request, pk):
        report = selectors.report_detail(user=request.user, pk=pk)
        return render(request, self.template_name, self._context(report))

    def post(self, request, pk):
        report = selectors.report_detail(user=request.user, pk=pk)
        action = request.POST.get("action", "")
        form = ReportNarrativeForm(request.POST)
        review_form = ReportReviewForm(request.POST)
        try:
            if action in ("save", "submit"):
                form.is_valid()
                narrative = form.cleaned_data.get("narrative", "")
                if action == "save":
                    services.report_update(user=request.user, report=report, narrative=narrative)
                    messages.success(request, _("Draft saved."))
                else:
                    services.report_submit(user=request.user, report=report, narrative=narrative)
                    messages.success(request, _("Report submitted."))
            elif action in ("return", "accept"):
                review_form.is_valid()
                comment = review_form.cleaned_data.get("comment", "")
                if action == "return":
                    services.report_return(user=request.user, report=report, comment=comment)
                    messages.success(request, _("Report returned for revision."))
                else:
                    services.report_accept(user=request.user, report=report, comment=comment)
                    messages.success(request, _("Report accepted."))
            else:
                raise Http404
        except DomainError as error:
            messages.error(request, error.message)
            report.refresh_from_db()
            return render(
                request,
                self.template_name,
                self._context(report, form=form, review_form=review_form),
            )
        return redirect(report)


# --- Compliance ------------------------------------------------------------------------------


class ComplianceView(RoleRequiredMixin, TemplateView):
    template_name = "reports/compliance.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        today = timezone.localdate()
        period_kind = params.get("kind", MONTH)
        if period_kind not in dict(PERIOD_KINDS):
            period_kind = MONTH
        period = parse_period(params.get("period", "")) or period_containing(period_kind, today)
        rows, totals = selectors.compliance_overview(
            user=self.request.user, period=period, team_id=_int(params.get("team"))
        )
        page_obj = Paginator(rows, 50).get_page(params.get("page"))
        return super().get_context_data(
            page_obj=page_obj,
            paginator=page_obj.paginator,
            is_paginated=page_obj.has_other_pages(),
            team_count=len(rows),
            period=period,
            previous=period.previous(),
            next=period.next() if period.end < today else None,
            period_kinds=PERIOD_KINDS,
            rows=rows,
            totals=[(rule, RULES[rule], totals.get(rule, {})) for rule in RULES],
            rules=RULES,
            **kwargs,
        )


# --- Exports ---------------------------------------------------------------------------------


class ExportListView(RoleRequiredMixin, View):
    def _form(self, data=None):
        teams = Team.objects.visible_to(self.request.user).order_by("name")
        return ExportForm(data, teams=teams)

    def get(self, request, form=None):
        return render(
            request,
            "reports/export_list.html",
            {
                "form": form or self._form(),
                "exports": selectors.export_list(user=request.user)[:30],
            },
        )

    def post(self, request):
        form = self._form(request.POST)
        if not form.is_valid():
            return self.get(request, form=form)
        try:
            log = exports.export_start(
                user=request.user, kind=form.cleaned_data["kind"], params=form.params()
            )
        except DomainError as error:
            messages.error(request, error.message)
            return self.get(request, form=form)
        if log.status == ExportStatus.DONE:
            return redirect("reports:export_download", pk=log.pk)
        return redirect("reports:export_detail", pk=log.pk)


class ExportDetailView(RoleRequiredMixin, View):
    def get(self, request, pk):
        log = selectors.export_detail(user=request.user, pk=pk)
        return render(request, "reports/export_detail.html", {"export": log})


class ExportDownloadView(RoleRequiredMixin, View):
    def get(self, request, pk):
        log = selectors.export_detail(user=request.user, pk=pk)
        if log.status != ExportStatus.DONE or not log.file:
            raise Http404
        return FileResponse(
            log.file.open("rb"), as_attachment=True, filename=log.file.name.rsplit("/", 1)[-1]
        )
