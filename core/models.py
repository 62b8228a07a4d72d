"""Rows that every app shares: the export log (DESIGN.md, Access: every export is logged)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ExportLogQuerySet(ScopedQuerySet):
    """The office sees every export; anyone else only their own."""

    def scope(self, user, roles) -> Q:
        return Q(user=user)


class ExportLog(models.Model):
    """Every export of every app: who, what, when; large ones keep their file here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="exports",
        verbose_name=_("user"),
    )
    app = models.CharField(_("application"), max_length=20)
    kind = models.CharField(_("export"), max_length=30)
    description = models.CharField(_("what"), max_length=200, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ExportLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="exportlog_user_created")]

    def __str__(self) -> str:
        return f"{self.user} {self.app}.{self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        # The export pages (list, progress, download) are the reports app's, for every app.
        return reverse("reports:export_detail", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.status == ExportStatus.DONE
