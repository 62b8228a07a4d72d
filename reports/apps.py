from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Work ledger and reports")

    def ready(self) -> None:
        from reports.handover import handover_open_items
        from teams.handover_items import register

        register(handover_open_items)

        from core.jobs import register as register_job
        from reports.jobs import KINDS

        for kind in KINDS:
            register_job(kind)
