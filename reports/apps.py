from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Work ledger and reports")

    def ready(self) -> None:
        from core.figures import register as register_figures
        from core.models import register_export_kinds
        from reports import figures
        from reports.handover import handover_open_items
        from reports.models import ExportKind
        from reports.services import team_work_carry_over
        from teams.handover_items import register, register_team_carrier

        register(handover_open_items)
        register_figures("reports", team=figures.team_figures, cadre=figures.cadre_figures)
        register_team_carrier(team_work_carry_over)
        register_export_kinds(dict(ExportKind.choices))

        from core.jobs import register as register_job
        from reports.jobs import KINDS

        for kind in KINDS:
            register_job(kind)
