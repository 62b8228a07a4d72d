from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households and visits")

    def ready(self) -> None:
        from core.figures import register as register_figures
        from households import figures

        register_figures("households", team=figures.team_figures, cadre=figures.cadre_figures)
