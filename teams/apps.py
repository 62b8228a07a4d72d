from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Teams and cadres")

    def ready(self) -> None:
        from accounts.roles import register_facts
        from teams.roles import team_role_facts

        register_facts(team_role_facts)
