from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config import views
from mobile import views as mobile_views

admin.site.site_header = _("Village stationing administration")
admin.site.site_title = _("Village stationing")
admin.site.index_title = _("Office administration")

urlpatterns = [
    path("", views.home, name="home"),
    # The phone app (issue 14): the service worker at the root, so its scope is every page.
    path("sw.js", mobile_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", mobile_views.manifest, name="manifest"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("teams/", include("teams.urls")),
    path("attendance/", include("attendance.urls")),
    path("households/", include("households.urls")),
    path("reports/", include("reports.urls")),
    path("assessments/", include("assessments.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("m/", include("mobile.urls")),
]
# Uploaded files (photos, scans, rosters) are never served as public media: each app
# serves its own through a view that applies the user's scope.
