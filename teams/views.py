from django.views.generic import DetailView, ListView

from accounts.mixins import RoleRequiredMixin
from teams import selectors
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
            banner_id=int(banner) if banner.isdigit() else None,
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
        return super().get_context_data(
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
