from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance and leave")

    def ready(self) -> None:
        from attendance import figures
        from core.figures import register as register_figures
        from core.models import register_export_kinds

        register_figures("attendance", team=figures.team_figures, cadre=figures.cadre_figures)
        register_export_kinds(
            {
                "attendance_sheet": _("Monthly attendance sheet"),
                "allowance_summary": _("Allowance summary"),
                "city_month_sheet": _("Every team's month sheet"),
            }
        )
