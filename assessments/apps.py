from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from assessments.services import end_of_term_problems
        from teams.end_checks import register

        register(end_of_term_problems)  # R37: team_end requires the end-of-term assessment
