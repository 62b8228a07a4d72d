from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households and visits")

    def ready(self) -> None:
        from core.figures import register as register_figures
        from core.models import register_export_kinds
        from households import figures
        from households.rotation import (
            personal_work_carry_over,
            roster_household_counts,
            team_households_carry_over,
        )
        from teams.handover_items import register_personal_carrier, register_team_carrier
        from teams.village_figures import register_household_counter

        register_figures("households", team=figures.team_figures, cadre=figures.cadre_figures)
        register_team_carrier(team_households_carry_over)
        register_personal_carrier(personal_work_carry_over)
        register_household_counter(roster_household_counts)
        register_export_kinds({"roster": _("Household roster")})
        from core.jobs import register
        from households.jobs import KINDS

        for kind in KINDS:
            register(kind)
        from households import signals  # noqa: F401  (keeps VillageCoverage correct)
