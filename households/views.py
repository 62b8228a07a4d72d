"""Thin views: parse input, call a selector or a service, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from accounts.errors import DomainError
from accounts.mixins import RoleRequiredMixin
from accounts.roles import get_roles
from core.models import ExportLog, ExportStatus
from core.params import date_param, int_param
from core.redirects import safe_next
from households import roster, selectors, services
from households.compliance import FAR_FUTURE, Period, due_date
from households.forms import (
    DiaryForm,
    HouseholdForm,
    IncomeCheckForm,
    MemberForm,
    PairingForm,
    RosterUploadForm,
    VisitForm,
    ZoneOverrideForm,
)
from households.models import (
    Household,
    ImportStatus,
    PovertyStatus,
    RosterImport,
    VisitPhoto,
    Zone,
)
from households.querysets import stationed_village_ids
from teams.models import Banner, Team, Village

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(value: str | None) -> date:
    return date_param(value) or timezone.localdate()


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class HouseholdListView(RoleRequiredMixin, ListView):
    template_name = "households/household_list.html"
    paginate_by = 50

    def filters(self) -> dict:
        params = self.request.GET
        village = params.get("village", "")
        return {
            "search": params.get("q", "").strip(),
            "poverty_status": params.get("poverty", ""),
            "zone": params.get("zone", ""),
            "key_only": params.get("key") == "1",
            "village_id": int_param(village),
        }

    def get_queryset(self):
        return selectors.household_list(user=self.request.user, **self.filters())

    def get_context_data(self, **kwargs):
        roles = get_roles(self.request.user)
        return super().get_context_data(
            poverty_statuses=PovertyStatus.choices,
            zones=Zone.choices,
            can_create=roles.is_office or bool(roles.team_ids),
            can_import=roster.can_import(self.request.user),
            **kwargs,
        )


class HouseholdDetailView(RoleRequiredMixin, DetailView):
    template_name = "households/household_detail.html"
    context_object_name = "household"

    def get_object(self, queryset=None):
        return selectors.household_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        household = self.object
        user = self.request.user
        editable = Household.objects.editable_by(user).filter(pk=household.pk).exists()
        status = selectors.household_compliance(household=household)
        can_visit = services.stationed_team_of(user=user, village=household.village) is not None
        return super().get_context_data(
            can_edit=editable,
            can_visit=can_visit,
            status=status,
            due=due_date(status),
            can_pair=household.is_poor and services.can_pair(user=user, household=household),
            open_pairing=next((p for p in household.pairings.all() if not p.end_date), None),
            income_form=IncomeCheckForm() if editable else None,
            zone_form=ZoneOverrideForm() if editable else None,
            pairing_form=PairingForm() if household.is_poor else None,
            **kwargs,
        )


class HouseholdFormView(RoleRequiredMixin, FormView):
    template_name = "households/household_form.html"
    form_class = HouseholdForm
    household = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        roles = get_roles(self.request.user)
        villages = Village.objects.all()
        if not roles.is_office:
            villages = villages.filter(pk__in=stationed_village_ids(self.request.user))
        kwargs["villages"] = villages.select_related("township")
        if "pk" in self.kwargs:
            # Scoped by who may edit, not who may see: the form holds whole ID numbers.
            self.household = get_object_or_404(
                Household.objects.editable_by(self.request.user), pk=self.kwargs["pk"]
            )
            kwargs["instance"] = self.household
        return kwargs

    def form_valid(self, form):
        fields = {k: v for k, v in form.cleaned_data.items() if k != "village"}
        try:
            if self.household:
                household = services.household_update(
                    user=self.request.user, household=self.household, **fields
                )
            else:
                household = services.household_create(
                    user=self.request.user, village=form.cleaned_data["village"], **fields
                )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Household saved."))
        return redirect(household.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(household=self.household, **kwargs)


class MemberCreateView(RoleRequiredMixin, FormView):
    template_name = "households/member_form.html"
    form_class = MemberForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.household = get_object_or_404(
                Household.objects.editable_by(request.user).select_related("village"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.member_add(
                user=self.request.user, household=self.household, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.household.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(household=self.household, **kwargs)


class ToVisitView(RoleRequiredMixin, ListView):
    """R13-R15: the cadre's list of households with a visit due, most urgent first."""

    template_name = "households/to_visit.html"
    paginate_by = 50

    def allows(self, roles) -> bool:
        return roles.is_cadre

    def get_queryset(self):
        self.on = timezone.localdate()
        self.period = Period.for_day(self.on)
        return selectors.to_visit(
            user=self.request.user,
            on=self.on,
            period=self.period,
            overdue_only=self.request.GET.get("overdue") == "1",
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            on=self.on,
            far_future=FAR_FUTURE,
            period=self.period,
            first_visits=selectors.personal_first_visits(user=self.request.user, on=self.on),
            **kwargs,
        )


class VisitCreateView(RoleRequiredMixin, FormView):
    template_name = "households/visit_form.html"
    form_class = VisitForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # 404 for a household outside the user's villages (another team's, by URL).
            self.household = get_object_or_404(
                Household.objects.visible_to(request.user).select_related("village"),
                pk=kwargs["pk"],
            )
            self.team = services.stationed_team_of(
                user=request.user, village=self.household.village
            )
            if self.team is None:
                raise PermissionDenied(
                    _("Only cadres of the team stationed in this village may log visits.")
                )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "team": self.team,
            "cadre_id": get_roles(self.request.user).cadre_id,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.visit_log(
                user=self.request.user,
                household=self.household,
                date=data["date"],
                kind=data["kind"],
                visitor_ids=[c.pk for c in data["visitors"]],
                findings=data["findings"],
                help_given=data["help_given"],
                follow_up_needed=data["follow_up_needed"],
                follow_up=data["follow_up"],
                photos=data["photos"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Visit to %(name)s saved.") % {"name": self.household.head_name}
        )
        return redirect(safe_next(self.request, "households:to_visit"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(household=self.household, **kwargs)


class VisitDetailView(RoleRequiredMixin, DetailView):
    template_name = "households/visit_detail.html"
    context_object_name = "visit"

    def get_object(self, queryset=None):
        return selectors.visit_detail(user=self.request.user, pk=self.kwargs["pk"])


class PhotoView(RoleRequiredMixin, View):
    """Photos are served through scoping, never from a public media folder."""

    def get(self, request, pk):
        photo = get_object_or_404(
            VisitPhoto.objects.filter(visit__in=selectors.Visit.objects.visible_to(request.user)),
            pk=pk,
        )
        try:
            return FileResponse(photo.image.open("rb"), content_type="image/jpeg")
        except FileNotFoundError as error:
            raise Http404 from error


class HouseholdActionView(RoleRequiredMixin, View):
    """POST-only actions on one visible household; refusals become messages or 403."""

    form_class = None

    def post(self, request, pk):
        household = get_object_or_404(
            Household.objects.visible_to(request.user).select_related("village"), pk=pk
        )
        form = self.form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(household.get_absolute_url())
        try:
            self.act(household, form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
        return redirect(household.get_absolute_url())


class PairView(HouseholdActionView):
    form_class = PairingForm

    def act(self, household, data):
        services.pairing_assign(user=self.request.user, household=household, cadre=data["cadre"])
        for warning in services.pairing_warnings(household=household, cadre=data["cadre"]):
            messages.warning(self.request, warning)


class IncomeCheckView(HouseholdActionView):
    form_class = IncomeCheckForm

    def act(self, household, data):
        services.income_check_record(user=self.request.user, household=household, **data)


class ZoneOverrideView(HouseholdActionView):
    form_class = ZoneOverrideForm

    def act(self, household, data):
        services.zone_override(
            user=self.request.user, household=household, zone=data["zone"], reason=data["reason"]
        )


class TeamCoverageView(RoleRequiredMixin, TemplateView):
    """R13-R15: one team's coverage and its overdue households."""

    template_name = "households/team_coverage.html"

    def get_context_data(self, **kwargs):
        team = selectors.visible_team(user=self.request.user, pk=self.kwargs["pk"])
        on = _day(self.request.GET.get("on"))
        period = Period.for_day(on)
        overdue = selectors.team_overdue_households(team=team, on=on, period=period)
        return super().get_context_data(
            team=team,
            on=on,
            coverage=selectors.team_visit_coverage(team, on, period=period),
            overdue=overdue[:200],
            **kwargs,
        )


class MyCoverageView(RoleRequiredMixin, View):
    def get(self, request):
        team_ids = get_roles(request.user).team_ids
        team = Team.objects.filter(pk__in=team_ids).order_by("-term_start").first()
        if team is None:
            raise Http404
        return redirect("households:team_coverage", pk=team.pk)


class CityCoverageView(RoleRequiredMixin, TemplateView):
    """R13-R15: coverage by banner and village (the office sees the whole city)."""

    template_name = "households/city_coverage.html"
    paginate_by = 100

    def get_context_data(self, **kwargs):
        params = self.request.GET
        banner = params.get("banner", "")
        on = _day(params.get("on"))
        data = selectors.city_coverage(user=self.request.user, on=on, banner_id=int_param(banner))
        # 800 villages are not one page (issue 12): the banners sum them all, the village
        # table shows a page at a time.
        page_obj = Paginator(data.pop("by_village"), self.paginate_by).get_page(params.get("page"))
        return super().get_context_data(
            on=on,
            banners=Banner.objects.visible_to(self.request.user),
            by_village=page_obj.object_list,
            page_obj=page_obj,
            paginator=page_obj.paginator,
            is_paginated=page_obj.has_other_pages(),
            **data,
            **kwargs,
        )


class UnpairedView(RoleRequiredMixin, ListView):
    """R33: poor and monitored households without a paired cadre (an alert)."""

    template_name = "households/unpaired.html"
    paginate_by = 100

    def get_queryset(self):
        return selectors.unpaired_poor_households(user=self.request.user)


class RosterImportView(RoleRequiredMixin, FormView):
    template_name = "households/roster_import.html"
    form_class = RosterUploadForm

    def allows(self, roles) -> bool:
        return roster.can_import(self.request.user)

    def form_valid(self, form):
        try:
            job = roster.roster_import_start(
                user=self.request.user, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        return redirect("households:import_status", pk=job.pk)

    def get_context_data(self, **kwargs):
        jobs = RosterImport.objects.filter(user=self.request.user).order_by("-created_at")[:10]
        return super().get_context_data(jobs=jobs, **kwargs)


class RosterImportStatusView(RoleRequiredMixin, DetailView):
    template_name = "households/roster_import_status.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        jobs = RosterImport.objects.all()
        if not get_roles(self.request.user).is_office:
            jobs = jobs.filter(user=self.request.user)
        return get_object_or_404(jobs, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        running = self.object.status in (ImportStatus.PENDING, ImportStatus.RUNNING)
        return super().get_context_data(running=running, **kwargs)


class RosterTemplateView(RoleRequiredMixin, View):
    def get(self, request):
        return _xlsx_response(roster.template_workbook(), "roster-template.xlsx")


class RosterExportView(HouseholdListView):
    """Queue an export of the visible households, as filtered on the list.

    A POST, because it creates a job: opening a URL writes nothing (issue 11, item 15).
    """

    def get(self, request, *args, **kwargs):
        query = request.GET.urlencode()
        return redirect(reverse("households:household_list") + (f"?{query}" if query else ""))

    def post(self, request, *args, **kwargs):
        job = roster.roster_export_start(
            user=request.user,
            filters=self.filters(),
            description=f"roster export {request.GET.urlencode()}".strip(),
        )
        return redirect("households:export_status", pk=job.pk)


class RosterExportStatusView(RoleRequiredMixin, DetailView):
    template_name = "households/roster_export_status.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        return get_object_or_404(
            ExportLog.objects.filter(user=self.request.user, app="households"),
            pk=self.kwargs["pk"],
        )


class RosterExportDownloadView(RoleRequiredMixin, View):
    """Only the user who asked for an export may download it."""

    def get(self, request, pk):
        job = get_object_or_404(
            ExportLog.objects.filter(
                user=request.user, app="households", status=ExportStatus.DONE
            ),
            pk=pk,
        )
        response = FileResponse(job.file.open("rb"), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="roster-{job.created_at:%Y%m%d}-{job.pk}.xlsx"'
        )
        return response


class DiaryView(RoleRequiredMixin, ListView):
    """R16: the village diary of the user's stationed village(s)."""

    template_name = "households/diary.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.diary_entries(user=self.request.user)

    def village(self) -> Village | None:
        return Village.objects.filter(pk__in=stationed_village_ids(self.request.user)).first()

    def get_context_data(self, **kwargs):
        village = self.village()
        return super().get_context_data(
            village=village, form=DiaryForm() if village else None, **kwargs
        )

    def post(self, request):
        village = self.village()
        form = DiaryForm(request.POST)
        if village is None:
            raise PermissionDenied(_("Only cadres of a stationed team keep a village diary."))
        if form.is_valid():
            try:
                services.diary_entry_create(
                    user=request.user, village=village, **form.cleaned_data
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Diary entry saved."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect("households:diary")
