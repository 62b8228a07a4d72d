from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from accounts.errors import DomainError
from accounts.mixins import OfficeRequiredMixin, RoleRequiredMixin
from accounts.roles import get_roles
from core.params import int_param
from teams import forms, selectors, services
from teams.handover_items import open_items
from teams.models import Banner, RotationStatus, SelectionStatus, TeamStatus
from teams.services import team_expertise_advice, team_strength_problems


class TeamListView(RoleRequiredMixin, ListView):
    template_name = "teams/team_list.html"
    paginate_by = 50

    def get_queryset(self):
        params = self.request.GET
        banner = params.get("banner", "")
        return selectors.team_list(
            user=self.request.user,
            search=params.get("q", "").strip(),
            status=params.get("status", ""),
            banner_id=int_param(banner),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=TeamStatus.choices,
            banners=Banner.objects.visible_to(self.request.user),
            **kwargs,
        )


class TeamDetailView(RoleRequiredMixin, DetailView):
    template_name = "teams/team_detail.html"
    context_object_name = "team"

    def get_object(self, queryset=None):
        return selectors.team_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        team = self.object
        handover = getattr(team, "handover_out", None) or team.handovers_in.first()
        return super().get_context_data(
            handover=handover,
            strength_problems=team_strength_problems(team) if team.is_stationed else [],
            expertise_advice=team_expertise_advice(team),
            **kwargs,
        )


class CadreListView(RoleRequiredMixin, ListView):
    template_name = "teams/cadre_list.html"
    paginate_by = 50

    def get_queryset(self):
        params = self.request.GET
        return selectors.cadre_list(
            user=self.request.user,
            search=params.get("q", "").strip(),
            selection_status=params.get("selection", ""),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(selection_statuses=SelectionStatus.choices, **kwargs)


class CadreDetailView(RoleRequiredMixin, DetailView):
    """The cadre's file: R4 review with rank and fitness, R36 talks, R25 discipline."""

    template_name = "teams/cadre_detail.html"
    context_object_name = "cadre"

    def get_object(self, queryset=None):
        return selectors.cadre_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user, cadre = self.request.user, self.object
        can_record = services.can_record_about(user=user, cadre=cadre)
        memberships = [
            (m, services.can_request_rotation(user=user, team=m.team))
            for m in cadre.memberships.all()
        ]
        return super().get_context_data(
            memberships=memberships,
            reviews=selectors.selection_reviews(user=user, cadre=cadre),
            talks=selectors.talks_about(user=user, cadre=cadre),
            discipline=selectors.discipline_about(user=user, cadre=cadre),
            can_record=can_record,
            talk_form=forms.TalkForm(prefix="talk") if can_record else None,
            discipline_form=forms.DisciplineForm(prefix="discipline") if can_record else None,
            **kwargs,
        )


class CadreRecordView(RoleRequiredMixin, View):
    """POST a talk (R36) or a discipline record (R25) about a cadre."""

    kind = "talk"

    def post(self, request, pk):
        cadre = selectors.cadre_detail(user=request.user, pk=pk)
        if self.kind == "talk":
            form = forms.TalkForm(request.POST, prefix="talk")
            service, done = services.talk_record, _("The talk is recorded.")
        else:
            form = forms.DisciplineForm(request.POST, prefix="discipline")
            service, done = services.discipline_record_create, _("The discipline record is saved.")
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect("teams:cadre_detail", pk=cadre.pk)
        try:
            service(user=request.user, cadre=cadre, **form.cleaned_data)
            messages.success(request, done)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("teams:cadre_detail", pk=cadre.pk)


class RotationRequestView(RoleRequiredMixin, View):
    """R9: ask for one cadre's replacement, naming the replacement and the reason."""

    template_name = "teams/rotation_request.html"

    def _context(self, request, membership, form):
        return {"membership": membership, "form": form}

    def get(self, request, pk):
        membership = selectors.membership_detail(user=request.user, pk=pk)
        form = forms.RotationRequestForm(
            replacements=selectors.replacement_candidates(team=membership.team)
        )
        return render(request, self.template_name, self._context(request, membership, form))

    def post(self, request, pk):
        membership = selectors.membership_detail(user=request.user, pk=pk)
        form = forms.RotationRequestForm(
            request.POST, replacements=selectors.replacement_candidates(team=membership.team)
        )
        if form.is_valid():
            try:
                rotation = services.individual_rotation_request(
                    membership=membership, by=request.user, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The request is sent to the office."))
                return redirect(rotation)
        return render(request, self.template_name, self._context(request, membership, form))


class RotationListView(RoleRequiredMixin, ListView):
    template_name = "teams/rotation_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.rotation_list(user=self.request.user)


class RotationDetailView(RoleRequiredMixin, View):
    """R9: the office approves (the replacement's arrival date) or rejects with a reason."""

    template_name = "teams/rotation_detail.html"

    def get(self, request, pk, form=None):
        rotation = selectors.rotation_detail(user=request.user, pk=pk)
        return render(
            request,
            self.template_name,
            {
                "rotation": rotation,
                "can_decide": get_roles(request.user).is_office
                and rotation.status == RotationStatus.REQUESTED,
                "form": form or forms.RotationDecisionForm(),
            },
        )

    def post(self, request, pk):
        rotation = selectors.rotation_detail(user=request.user, pk=pk)
        form = forms.RotationDecisionForm(request.POST)
        if not form.is_valid():
            return self.get(request, pk, form=form)
        data = form.cleaned_data
        try:
            if "reject" in request.POST:
                services.individual_rotation_reject(
                    rotation=rotation, by=request.user, note=data["note"]
                )
                messages.success(request, _("The request is rejected."))
            else:
                services.individual_rotation_approve(
                    rotation=rotation,
                    by=request.user,
                    arrival_date=data["arrival_date"],
                    note=data["note"],
                )
                messages.success(request, _("The replacement is approved."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("teams:rotation_detail", pk=rotation.pk)


class LeadersMeetingView(OfficeRequiredMixin, View):
    """R32: the office records the quarterly meeting with team leaders and attendance."""

    template_name = "teams/leaders_meetings.html"

    def get(self, request, form=None):
        leaders = selectors.current_leaders()
        return render(
            request,
            self.template_name,
            {
                "meetings": selectors.leaders_meetings(user=request.user)[:40],
                "form": form or forms.LeadersMeetingForm(leaders=leaders),
            },
        )

    def post(self, request):
        form = forms.LeadersMeetingForm(request.POST, leaders=selectors.current_leaders())
        if form.is_valid():
            try:
                services.leaders_meeting_record(user=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The meeting is recorded."))
                return redirect("teams:leaders_meetings")
        return self.get(request, form=form)


class VillageListView(RoleRequiredMixin, ListView):
    template_name = "teams/village_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.village_list(
            user=self.request.user, search=self.request.GET.get("q", "").strip()
        )


def _with_open_items(handover):
    """Each checklist item with what is still open of its kind in the outgoing team."""
    still_open = open_items(handover.outgoing_team)
    return [(item, still_open.get(item.kind)) for item in handover.items.all()]


class HandoverView(RoleRequiredMixin, View):
    """R8: the outgoing leader records each item; both leaders confirm."""

    template_name = "teams/handover.html"

    def get(self, request, pk):
        handover = selectors.handover_detail(user=request.user, pk=pk)
        return render(
            request,
            self.template_name,
            {
                "handover": handover,
                "items": _with_open_items(handover),
                "can_edit": services.can_edit_handover(request.user, handover),
                "can_confirm": services.can_confirm_handover(request.user, handover),
            },
        )

    def post(self, request, pk):
        handover = selectors.handover_detail(user=request.user, pk=pk)
        try:
            if "confirm" in request.POST:
                services.handover_confirm(handover=handover, user=request.user)
                messages.success(request, _("Handover confirmed."))
            else:
                item = get_object_or_404(handover.items, pk=request.POST.get("item"))
                services.handover_item_update(
                    item=item,
                    user=request.user,
                    done=request.POST.get("done") == "on",
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("Saved."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("teams:handover", pk=handover.pk)


class MonitorView(RoleRequiredMixin, TemplateView):
    """What needs the office's or supervisor's attention in teams (R1, R2, R4, R7, R8, R35)."""

    template_name = "teams/monitor.html"

    def allows(self, roles) -> bool:
        return (
            roles.is_office or roles.is_supervisor or roles.is_unit_contact or roles.is_area_staff
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            below_strength=selectors.teams_below_strength(user=user),
            missing_reason=selectors.teams_missing_leader_reason(user=user),
            awaiting_review=selectors.cadres_awaiting_review(user=user),
            terms_ending=selectors.terms_ending_soon(user=user),
            insurance_ending=selectors.insurance_ending_soon(user=user),
            handovers=selectors.handovers_in_progress(user=user),
            **kwargs,
        )
