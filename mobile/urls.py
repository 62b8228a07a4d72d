from django.urls import path

from mobile import views

app_name = "mobile"
urlpatterns = [
    path("", views.WorkbenchView.as_view(), name="workbench"),
    path("data/", views.OfflineDataView.as_view(), name="data"),
    path("sync/", views.SyncView.as_view(), name="sync"),
]
