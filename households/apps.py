from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households and visits")

    def ready(self) -> None:
        from households import signals  # noqa: F401  (keeps VillageCoverage correct)
