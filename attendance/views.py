"""Thin views: parse input, call one service or selector, render."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.errors import DomainError
from accounts.mixins import OfficeRequiredMixin, RoleRequiredMixin
from accounts.roles import get_roles
from attendance import exports, selectors, services
from attendance.forms import (
    AllowancePaymentForm,
    CheckInForm,
    CommentForm,
    ExtensionForm,
    LeaveForm,
    ReopenForm,
    ReturnForm,
    ScanForm,
)
from attendance.models import (
    DAY_MARKS,
    PAYABLE_SHEET_STATUSES,
    AttendanceSheet,
    CheckIn,
    DayStatus,
    LeaveStatus,
    SheetStatus,
)
from core import periods
from core import roles as roles_
from core.exports import export_logged
from core.params import int_param, year_in_range
from teams import policies
from teams.models import Banner, DispatchingUnit
from teams.policies import policy_int


def _month(year: int, month: int) -> date:
    try:
        day = date(year, month, 1)
    except ValueError as error:
        raise Http404 from error
    if not year_in_range(year):  # /teams/1/1/1/ overflowed the month arithmetic
        raise Http404
    return day


def _run(request, service, **kwargs):
    """Call a service; 403 on NotAllowed, a message on any other refusal."""
    try:
        result = service(**kwargs)
    except DomainError as error:
        messages.error(request, error.message)
        return None, False
    return result, True


def _xlsx(filename: str, workbook_bytes: bytes) -> HttpResponse:
    response = HttpResponse(
        workbook_bytes,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CadreMixin(RoleRequiredMixin):
    def allows(self, roles) -> bool:
        return roles.is_cadre


class MyAttendanceView(RoleRequiredMixin, TemplateView):
    """The cadre's phone page: today's check-in and the own month."""

    template_name = "attendance/me.html"

    def get(self, request, *args, **kwargs):
        roles = get_roles(request.user)
        if not roles.is_cadre:
            return redirect("attendance:sheet_list")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        month = selectors.parse_month(self.request.GET.get("month"), today)
        roles = get_roles(self.request.user)
        return super().get_context_data(
            month=month,
            prev_month=periods.previous_month(month),
            next_month=periods.month_end(month) + timedelta(days=1),
            row=selectors.my_month(user=self.request.user, month=month),
            today_checkin=CheckIn.objects.filter(cadre_id=roles.cadre_id, date=today).first(),
            checkin_required=bool(policy_int(policies.ATTENDANCE_CHECKIN_REQUIRED, today)),
            checkin_form=CheckInForm(),
            marks=DAY_MARKS,
            statuses=DayStatus.choices,
            led_team_ids=sorted(roles.led_team_ids),
            weekdays=[date(2024, 1, 1) + timedelta(days=i) for i in range(7)],  # Mon..Sun
            **kwargs,
        )


class CheckInView(CadreMixin, View):
    def post(self, request):
        form = CheckInForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The location could not be read; try again."))
            return redirect("attendance:me")
        checkin, ok = _run(
            request, services.checkin_record, user=request.user, **form.cleaned_data
        )
        if ok:
            if checkin.flag:
                messages.warning(
                    request,
                    _("Checked in at %(time)s, flagged: %(flag)s.")
                    % {
                        "time": f"{timezone.localtime(checkin.at):%H:%M}",
                        "flag": checkin.get_flag_display(),
                    },
                )
            else:
                messages.success(
                    request,
                    _("Checked in at %(time)s.")
                    % {"time": f"{timezone.localtime(checkin.at):%H:%M}"},
                )
        return redirect("attendance:me")


class LeaveListView(RoleRequiredMixin, ListView):
    template_name = "attendance/leave_list.html"
    paginate_by = 50

    def get_queryset(self):
        if self.request.GET.get("scope") == "all" or not get_roles(self.request.user).is_cadre:
            return selectors.leave_list(
                user=self.request.user, status=self.request.GET.get("status", "")
            )
        return selectors.my_leave(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(statuses=LeaveStatus.choices, **kwargs)


class LeaveCreateView(CadreMixin, View):
    template_name = "attendance/leave_form.html"

    def get(self, request):
        today = timezone.localdate()
        form = LeaveForm(initial={"start_date": today, "end_date": today})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = LeaveForm(request.POST)
        if form.is_valid():
            leave, ok = _run(
                request,
                services.leave_request_create,
                user=request.user,
                submit="save_draft" not in request.POST,
                **form.cleaned_data,
            )
            if ok:
                messages.success(request, _("Leave request saved."))
                for warning in services.leave_warnings(leave=leave):
                    messages.warning(request, warning)
                return redirect(leave)
        return render(request, self.template_name, {"form": form})


class LeaveDetailView(RoleRequiredMixin, TemplateView):
    template_name = "attendance/leave_detail.html"

    def get_context_data(self, **kwargs):
        leave = selectors.leave_detail(user=self.request.user, pk=self.kwargs["pk"])
        user = self.request.user
        is_owner = leave.cadre.user_id == user.pk
        today = timezone.localdate()
        return super().get_context_data(
            leave=leave,
            steps=leave.steps.select_related("actor"),
            extensions=leave.extensions.all(),
            is_owner=is_owner,
            may_decide=(may_decide := services.may_act_on(user, leave)),
            thin=_thin_team_warning(leave) if may_decide else "",
            overdue=leave.status == LeaveStatus.PENDING
            and leave.step_started_at
            and leave.step_started_at < services.overdue_cutoff(),
            may_withdraw=is_owner
            and (
                leave.status in (LeaveStatus.DRAFT, LeaveStatus.PENDING)
                or (leave.status == LeaveStatus.APPROVED and leave.start_date > today)
            ),
            may_return=leave.status == LeaveStatus.APPROVED
            and (is_owner or roles_.is_leader_of(user, leave.team)),
            comment_form=CommentForm(),
            return_form=ReturnForm(initial={"actual_end_date": min(leave.end_date, today)}),
            extension_form=ExtensionForm(),
            **kwargs,
        )


class LeaveActionView(RoleRequiredMixin, View):
    """POST one step of a leave: submit, withdraw, approve, reject, return, extend."""

    def post(self, request, pk, action):
        leave = selectors.leave_detail(user=request.user, pk=pk)
        user = request.user
        if action == "submit":
            result, ok = _run(request, services.leave_request_submit, leave=leave, user=user)
        elif action in ("approve", "reject", "withdraw"):
            form = CommentForm(request.POST)
            form.is_valid()
            comment = form.cleaned_data.get("comment", "")
            if action == "withdraw":
                result, ok = _run(
                    request,
                    services.leave_request_withdraw,
                    leave=leave,
                    user=user,
                    comment=comment,
                )
            else:
                result, ok = _run(
                    request,
                    services.leave_request_decide,
                    leave=leave,
                    user=user,
                    approve=action == "approve",
                    comment=comment,
                )
                if ok:
                    messages.success(request, _("Decision recorded."))
                    return redirect("attendance:inbox")
        elif action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the actual last day of leave."))
                return redirect(leave)
            result, ok = _run(
                request,
                services.leave_return_report,
                leave=leave,
                user=user,
                **form.cleaned_data,
            )
        elif action == "extend":
            form = ExtensionForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the new last day and the reason."))
                return redirect(leave)
            result, ok = _run(
                request,
                services.leave_extension_request,
                leave=leave,
                user=user,
                **form.cleaned_data,
            )
            if ok:
                messages.success(request, _("Extension requested."))
                return redirect(result)
        else:
            raise Http404
        if ok:
            messages.success(request, _("Done."))
        return redirect(leave)


def _thin_team_warning(leave) -> str:
    """The approver's warning when approving would leave the village thin (R21)."""
    present, day = selectors.presence_if_approved(leave)
    minimum = policy_int(policies.LEAVE_MIN_PRESENT_CADRES, leave.start_date)
    if present >= minimum:
        return ""
    return _(
        "If approved, only %(n)d cadre(s) of the team would be in the village on %(day)s "
        "(at least %(min)d should be)."
    ) % {"n": present, "day": f"{day:%Y-%m-%d}", "min": minimum}


class InboxView(RoleRequiredMixin, ListView):
    """R21: the approver's inbox; overdue requests come first and are marked."""

    template_name = "attendance/inbox.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.leave_inbox(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            overdue_cutoff=services.overdue_cutoff(),
            sheets=selectors.sheets_to_act(user=self.request.user),
            bulk_ids=set(
                selectors.one_day_leader_requests(user=self.request.user).values_list(
                    "pk", flat=True
                )
            ),
            **kwargs,
        )

    def post(self, request):
        """Bulk approve the leader's one-day requests that were ticked."""
        ids = [n for n in map(int_param, request.POST.getlist("leave")) if n]
        count, ok = _run(
            request, services.leave_requests_approve_one_day, user=request.user, leave_ids=ids
        )
        if ok:
            messages.success(request, _("%(n)d request(s) approved.") % {"n": count})
        return redirect("attendance:inbox")


class LeaveCalendarView(RoleRequiredMixin, TemplateView):
    """R21/R22: a team calendar of who is away, so leave can be planned."""

    template_name = "attendance/leave_calendar.html"

    def get_context_data(self, **kwargs):
        month = selectors.parse_month(self.request.GET.get("month"))
        team = self.request.GET.get("team", "")
        calendars = selectors.leave_calendar(
            user=self.request.user, month=month, team_id=int_param(team)
        )
        return super().get_context_data(
            month=month,
            prev_month=periods.previous_month(month),
            next_month=(month + timedelta(days=32)).replace(day=1),
            calendars=calendars,
            minimum=policy_int(policies.LEAVE_MIN_PRESENT_CADRES, month),
            **kwargs,
        )


class MyTeamMonthView(RoleRequiredMixin, View):
    """Shortcut from the menu: the leader's (or member's) team, current month."""

    def get(self, request):
        roles = get_roles(request.user)
        team_ids = sorted(roles.led_team_ids or roles.team_ids)
        if not team_ids:
            return redirect("attendance:sheet_list")
        month = selectors.parse_month(request.GET.get("month"))
        return redirect("attendance:team_month", team_ids[0], month.year, month.month)


class TeamMonthView(RoleRequiredMixin, View):
    """The month grid (cadres x days) with the sheet's state and actions (R20, R23, R34)."""

    template_name = "attendance/team_month.html"

    def _context(self, request, team_id, month):
        data = selectors.team_month(user=request.user, team_id=team_id, month=month)
        user, team = request.user, data.team
        sheet = data.sheet
        editable = sheet is None or sheet.is_editable
        return {
            "data": data,
            "team": team,
            "month": data.month,
            "sheet": sheet,
            "prev_month": periods.previous_month(data.month),
            "next_month": periods.month_end(data.month) + timedelta(days=1),
            "may_edit": editable and services.can_edit_grid(user, team),
            "statuses": DayStatus.choices,
            "marks": DAY_MARKS,
            "is_leader": roles_.is_leader_of(user, team),
            "may_submit": services.can_submit(user, sheet)
            or (sheet is None and services.can_start_sheet(user, team, data.month)),
            "may_confirm_village": services.can_confirm_village(user, sheet),
            "may_confirm_township": services.can_confirm_township(user, sheet),
            "may_upload": services.can_upload_scan(user, sheet),
            "may_issue": services.can_issue(user, sheet),
            "may_lock": services.can_lock(user, sheet),
            "may_reopen": services.can_reopen(user, sheet),
            "reopen_form": ReopenForm(),
            "scan_form": ScanForm(),
        }

    def get(self, request, team_id, year, month):
        # A GET writes nothing: the month shows from its days; the leader's first POST
        # starts the sheet (pre-filled, R23).
        context = self._context(request, team_id, _month(year, month))
        if context["sheet"] is not None:
            events, changes = selectors.sheet_history(sheet=context["sheet"], user=request.user)
            context.update(events=events, changes=changes)
        return render(request, self.template_name, context)

    def post(self, request, team_id, year, month):
        """Save the grid: fields ``c-<cadre>-<YYYYMMDD>`` with a status or empty."""
        month_date = _month(year, month)
        team = selectors.visible_team(user=request.user, team_id=team_id)
        cells = {}
        for name, value in request.POST.items():
            if not name.startswith("c-"):
                continue
            try:
                _prefix, cadre_id, stamp = name.split("-")
                day = date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]))
                cells[(int(cadre_id), day)] = value or None
            except ValueError:
                continue
        services.attendance_sheet_start(user=request.user, team=team, month=month_date)
        changed, ok = _run(
            request,
            services.attendance_days_update,
            user=request.user,
            team=team,
            month=month_date,
            cells=cells,
        )
        if ok:
            messages.success(request, _("%(n)d days changed.") % {"n": changed})
        return redirect("attendance:team_month", team.pk, year, month)


class TeamMonthActionView(RoleRequiredMixin, View):
    def post(self, request, team_id, year, month, action):
        month_date = _month(year, month)
        team = selectors.visible_team(user=request.user, team_id=team_id)
        user = request.user
        services.attendance_sheet_start(user=user, team=team, month=month_date)
        if action == "fill":
            result, ok = _run(
                request, services.attendance_fill_blanks, user=user, team=team, month=month_date
            )
            if ok:
                messages.success(request, _("%(n)d blank days filled.") % {"n": result})
            return redirect("attendance:team_month", team.pk, year, month)
        sheet = AttendanceSheet.objects.visible_to(user).filter(team=team, month=month_date)
        sheet = sheet.first()
        if sheet is None:
            raise Http404
        if action == "submit":
            result, ok = _run(request, services.attendance_sheet_submit, sheet=sheet, user=user)
        elif action in ("confirm_village", "confirm_township"):
            result, ok = _run(
                request,
                services.attendance_sheet_confirm,
                sheet=sheet,
                user=user,
                level=action.removeprefix("confirm_"),
            )
        elif action == "upload":
            form = ScanForm(request.POST, request.FILES)
            if not form.is_valid():
                for error in form.errors.get("scan", []):
                    messages.error(request, error)
                return redirect("attendance:team_month", team.pk, year, month)
            result, ok = _run(
                request,
                services.attendance_sheet_upload_scan,
                sheet=sheet,
                user=user,
                scan=form.cleaned_data["scan"],
            )
        elif action == "issue":
            result, ok = _run(request, services.attendance_sheet_issue, sheet=sheet, user=user)
        elif action == "lock":
            result, ok = _run(request, services.attendance_sheet_lock, sheet=sheet, user=user)
        elif action == "reopen":
            form = ReopenForm(request.POST)
            reason = form.data.get("reason", "")
            result, ok = _run(
                request, services.attendance_sheet_reopen, sheet=sheet, user=user, reason=reason
            )
        else:
            raise Http404
        if ok:
            messages.success(
                request, _("Sheet: %(status)s.") % {"status": result.get_status_display()}
            )
        return redirect("attendance:team_month", team.pk, year, month)


class TeamMonthExportView(RoleRequiredMixin, View):
    """R34: the sheet as offices print it (openpyxl)."""

    def get(self, request, team_id, year, month):
        data = selectors.team_month(user=request.user, team_id=team_id, month=_month(year, month))
        export_logged(
            user=request.user,
            app="attendance",
            kind="attendance_sheet",
            params={"team": team_id, "month": f"{data.month:%Y-%m}"},
            row_count=len(data.rows),
        )
        content = exports.sheet_workbook(data)
        return _xlsx(f"attendance-{data.team.pk}-{data.month:%Y-%m}.xlsx", content)


class CityMonthExportView(OfficeRequiredMixin, View):
    """R20, R34: every team's month in one workbook, as the office prints it for the
    leading group."""

    def get(self, request):
        month = selectors.parse_month(request.GET.get("month"), selectors.last_month())
        rows = list(selectors.city_month_rows(user=request.user, month=month))
        export_logged(
            user=request.user,
            app="attendance",
            kind="city_month_sheet",
            params={"month": f"{month:%Y-%m}"},
            row_count=len(rows),
        )
        content, _count = exports.city_month_workbook(rows, month, periods.month_days(month))
        return _xlsx(f"attendance-city-{month:%Y-%m}.xlsx", content)


class TeamMonthScanView(RoleRequiredMixin, View):
    """The signed paper sheet, served only to those who may see the team (never as media)."""

    def get(self, request, team_id, year, month):
        team = selectors.visible_team(user=request.user, team_id=team_id)
        sheet = AttendanceSheet.objects.filter(team=team, month=_month(year, month)).first()
        if sheet is None or not sheet.signed_scan:
            raise Http404
        return FileResponse(sheet.signed_scan.open("rb"), as_attachment=True)


class SheetListView(RoleRequiredMixin, ListView):
    """The sheets visible to the user, with what waits for them (confirm, issue)."""

    template_name = "attendance/sheet_list.html"
    paginate_by = 50

    def get_queryset(self):
        month = self.request.GET.get("month")
        return selectors.sheet_list(
            user=self.request.user,
            month=selectors.parse_month(month) if month else None,
            status=self.request.GET.get("status", ""),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=SheetStatus.choices,
            payable_statuses=PAYABLE_SHEET_STATUSES,
            to_act=selectors.sheets_to_act(user=self.request.user),
            **kwargs,
        )


class SheetPaymentView(RoleRequiredMixin, View):
    """R34: the dispatching unit records that it paid a sheet."""

    def post(self, request, pk):
        sheet = get_object_or_404(AttendanceSheet.objects.visible_to(request.user), pk=pk)
        form = AllowancePaymentForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        else:
            try:
                services.allowance_payment_record(
                    sheet=sheet, user=request.user, **form.cleaned_data
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The payment is recorded."))
        return redirect("attendance:sheet_list")


class NotCadreOnlyMixin(RoleRequiredMixin):
    """Pages for the people above the teams (office, supervisors, units, area staff)."""

    def allows(self, roles) -> bool:
        return (
            roles.is_office or roles.is_supervisor or roles.is_unit_contact or roles.is_area_staff
        )


class ComplianceView(NotCadreOnlyMixin, TemplateView):
    """R20: city-wide service days against the minimum, by banner, unit and month."""

    template_name = "attendance/compliance.html"
    paginate_by = 200

    def get_context_data(self, **kwargs):
        params = self.request.GET
        month = selectors.parse_month(params.get("month"), selectors.last_month())
        banner = params.get("banner", "")
        unit = params.get("unit", "")
        rows = selectors.compliance_list(
            user=self.request.user,
            month=month,
            banner_id=int_param(banner),
            unit_id=int_param(unit),
        )
        counts = {
            "total": len(rows),
            "met": sum(1 for row in rows if row.has_sheet and row.met),
            "below": sum(1 for row in rows if row.below),
            "no_sheet": sum(1 for row in rows if not row.has_sheet),
        }
        # The check-in column only when the city requires check-in: blank otherwise.
        show_unchecked = any(row.unchecked_days for row in rows) or bool(
            policy_int(policies.ATTENDANCE_CHECKIN_REQUIRED, month)
        )
        if params.get("only") == "unmet":
            rows = [row for row in rows if row.below]
        elif params.get("only") == "no_sheet":
            rows = [row for row in rows if not row.has_sheet]
        paginator = Paginator(rows, self.paginate_by)
        page_obj = paginator.get_page(params.get("page"))
        return super().get_context_data(
            rows=page_obj.object_list,
            total=len(rows),
            counts=counts,
            show_unchecked=show_unchecked,
            page_obj=page_obj,
            paginator=paginator,
            is_paginated=page_obj.has_other_pages(),
            month=month,
            unmet=counts["below"],
            banners=Banner.objects.visible_to(self.request.user),
            units=DispatchingUnit.objects.visible_to(self.request.user),
            **kwargs,
        )


class AllowanceView(NotCadreOnlyMixin, TemplateView):
    """R34: the per-unit allowance summary from issued sheets, on screen or in Excel."""

    template_name = "attendance/allowance.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if request.GET.get("format") == "xlsx":
            export_logged(
                user=request.user,
                app="attendance",
                kind="allowance_summary",
                params={"month": f"{context['month']:%Y-%m}", "unit": request.GET.get("unit", "")},
                row_count=len(context["units"]),
            )
            content = exports.allowance_workbook(context["units"], context["month"])
            return _xlsx(f"allowance-{context['month']:%Y-%m}.xlsx", content)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        params = self.request.GET
        month = selectors.parse_month(
            params.get("month"),
            selectors.latest_payable_month(user=self.request.user) or selectors.last_month(),
        )
        unit = params.get("unit", "")
        units = selectors.allowance_summary(
            user=self.request.user, month=month, unit_id=int_param(unit)
        )
        return super().get_context_data(
            month=month,
            units=units,
            # One unit's cadres at a time: the whole city is 3,000 rows (issue 12).
            show_rows=len(units) <= 1 or unit.isdigit(),
            total_days=sum(u.days for u in units),
            total_amount=sum(u.amount for u in units),
            unit_choices=DispatchingUnit.objects.visible_to(self.request.user),
            **kwargs,
        )
