from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from accounts.errors import DomainError
from accounts.mixins import RoleRequiredMixin
from accounts.roles import get_roles
from core.params import int_param
from teams import selectors, services
from teams.handover_items import open_items
from teams.models import Banner, SelectionStatus, TeamStatus
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
    template_name = "teams/cadre_detail.html"
    context_object_name = "cadre"

    def get_object(self, queryset=None):
        return selectors.cadre_detail(user=self.request.user, pk=self.kwargs["pk"])


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
        roles = get_roles(request.user)
        return render(
            request,
            self.template_name,
            {
                "handover": handover,
                "items": _with_open_items(handover),
                "can_edit": handover.outgoing_team_id in roles.led_team_ids
                and not handover.outgoing_confirmed_at,
                "can_confirm": (
                    handover.outgoing_team_id in roles.led_team_ids
                    and not handover.outgoing_confirmed_at
                )
                or (
                    handover.incoming_team_id in roles.led_team_ids
                    and handover.outgoing_confirmed_at
                    and not handover.incoming_confirmed_at
                ),
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
