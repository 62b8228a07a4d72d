from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

OFFICE_GROUP = "office"


class User(AbstractUser):
    """A login. What the person may see follows from data (see accounts.roles)."""

    full_name = models.CharField(_("full name"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)
