"""Thin views: the manifest, the service worker, the phone workbench, its offline data and
the sync endpoint that stores each phone record once."""

from __future__ import annotations

import hashlib
import os

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from accounts.errors import DomainError, NotAllowed
from accounts.mixins import RoleRequiredMixin
from accounts.roles import get_roles
from households.forms import VisitForm
from households.models import VisitKind
from mobile import selectors, services
from mobile.forms import LedgerDraftForm
from reports import selectors as report_selectors

# Static files the service worker keeps for offline use: only the look and the app's code.
APP_SHELL = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "css/site.css",
    "mobile/app.js",
    "mobile/queue.js",
    "mobile/photos.js",
    "mobile/workbench.js",
    "mobile/icons/icon-192.png",
]

RECORD_URLS = {
    "attendance.CheckIn": "attendance:me",
    "households.Visit": "households:visit_detail",
    "households.DiaryEntry": "households:diary",
    "reports.LedgerRecord": "reports:ledger_detail",
}


@require_GET
def manifest(request):
    """The web app manifest: installable from the phone's browser (issue 14, item 1)."""
    data = {
        "name": _("Village stationing"),
        "short_name": "驻村工作",
        "description": _("Visits, check-in and the village diary, also without a network."),
        "lang": "zh-CN",
        "id": "/m/",
        "start_url": "/m/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {
                "src": static(f"mobile/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ]
        + [
            {
                "src": static("mobile/icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            }
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def _shell_version() -> str:
    """Changes whenever a kept static file changes, so that phones fetch the new ones."""
    stamp = hashlib.sha256()
    for name in ["mobile/sw.js", *APP_SHELL]:
        path = finders.find(name)
        if path:
            info = os.stat(path)
            stamp.update(f"{name}:{info.st_mtime_ns}:{info.st_size};".encode())
    return stamp.hexdigest()[:12]


@require_GET
@never_cache
def service_worker(request):
    """The service worker, served from the root so that its scope covers every page."""
    path = finders.find("mobile/sw.js")
    if not path:
        raise Http404
    with open(path, encoding="utf-8") as handle:
        code = handle.read()
    shell = ",".join(f'"{static(name)}"' for name in APP_SHELL)
    code = (
        code.replace("/*APP_SHELL*/", shell)
        .replace("/*QUEUE_JS*/", static("mobile/queue.js"))
        .replace("/*VERSION*/", _shell_version())
    )
    response = HttpResponse(code, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


class CadreMixin(RoleRequiredMixin):
    def allows(self, roles) -> bool:
        return roles.is_cadre


class WorkbenchView(CadreMixin, TemplateView):
    """The phone app's page: it works from the phone's own copy when there is no network."""

    template_name = "mobile/workbench.html"

    def get_context_data(self, **kwargs):
        roles = get_roles(self.request.user)
        teams = report_selectors.own_teams(self.request.user)
        return super().get_context_data(
            visit_kinds=VisitKind.choices,
            visit_form=VisitForm(),
            ledger_form=LedgerDraftForm(teams=teams),
            ledger_team=teams[0] if teams else None,
            has_team=bool(roles.team_ids),
            **kwargs,
        )


class OfflineDataView(CadreMixin, View):
    """The data the phone keeps: own village only, expiring with the session."""

    def get(self, request):
        bundle = selectors.offline_bundle(
            user=request.user, session_expires=request.session.get_expiry_date()
        )
        response = JsonResponse(bundle, json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "no-store"
        return response


class SyncView(View):
    """One phone record in, one answer out: stored (201), already stored (200), or refused
    (422/403 with the server's message, which the phone keeps with the record)."""

    def post(self, request):
        if not request.user.is_authenticated:
            return JsonResponse(
                {"status": "login", "message": _("Log in again to send what is waiting.")},
                status=401,
            )
        try:
            client_key = services.parse_client_key(request.POST.get("client_key", ""))
            captured_at = parse_datetime(request.POST.get("captured_at", "") or "")
            if captured_at is not None and timezone.is_naive(captured_at):
                captured_at = timezone.make_aware(captured_at)
            result = services.phone_record_sync(
                user=request.user,
                record_type=request.POST.get("record_type", ""),
                client_key=client_key,
                captured_at=captured_at,
                sent_late=request.POST.get("sent_late") == "1",
                data=request.POST,
                files=request.FILES,
            )
        except NotAllowed as error:
            return JsonResponse({"status": "refused", "message": str(error.message)}, status=403)
        except DomainError as error:
            return JsonResponse({"status": "refused", "message": str(error.message)}, status=422)
        record = result.record
        url = reverse(
            RECORD_URLS[record._meta.label],
            args=[record.pk]
            if record._meta.label in ("households.Visit", "reports.LedgerRecord")
            else [],
        )
        return JsonResponse(
            {
                "status": "stored" if result.created else "duplicate",
                "id": record.pk,
                "url": url,
                "sent_late": result.sent_late,
            },
            status=201 if result.created else 200,
        )
