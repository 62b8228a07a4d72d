"""The cockpit's pages: thin adapters over ``dashboards.cockpit``."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.generic import TemplateView

from accounts.mixins import RoleRequiredMixin
from core.exports import export_logged
from core.params import int_param
from dashboards import cockpit as cockpit_selectors
from dashboards.exports import cockpit_workbook


class CockpitMixin(RoleRequiredMixin):
    def allows(self, roles) -> bool:
        return (
            roles.is_office or roles.is_supervisor or roles.is_unit_contact or roles.is_area_staff
        )

    def cockpit(self):
        params = self.request.GET
        return cockpit_selectors.cockpit(
            user=self.request.user,
            level=params.get("level", cockpit_selectors.CITY),
            pk=int_param(params.get("id")),
        )


class CockpitView(CockpitMixin, TemplateView):
    """The city (or one's own scope) in one screen, drilling down to one team."""

    template_name = "dashboards/cockpit.html"

    def get(self, request, *args, **kwargs):
        data = self.cockpit()
        if request.GET.get("format") == "xlsx":
            export_logged(
                user=request.user,
                app="dashboards",
                kind="cockpit",
                params={"level": data.node.level, "id": data.node.pk or ""},
                row_count=len(data.rows),
            )
            response = HttpResponse(
                cockpit_workbook(data),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            name = f"cockpit-{data.node.level}-{data.node.pk or 'all'}-{data.today:%Y%m%d}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return self.render_to_response(
            self.get_context_data(
                data=data,
                chart=data.chart_data(),
                labels=cockpit_selectors.column_labels(),
                columns=cockpit_selectors.table_columns(),
                **kwargs,
            )
        )
