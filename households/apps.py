from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households and visits")

    def ready(self) -> None:
        from core.jobs import register
        from households.jobs import KINDS

        for kind in KINDS:
            register(kind)
