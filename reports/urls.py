from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportsHomeView.as_view(), name="home"),
    path("ledger/", views.LedgerListView.as_view(), name="ledger_list"),
    path("ledger/new/", views.LedgerCreateView.as_view(), name="ledger_create"),
    path("ledger/<int:pk>/", views.LedgerDetailView.as_view(), name="ledger_detail"),
    path("ledger/<int:pk>/edit/", views.LedgerUpdateView.as_view(), name="ledger_update"),
    path("ledger/<int:pk>/<str:action>/", views.LedgerActionView.as_view(), name="ledger_action"),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("errands/", views.ErrandListView.as_view(), name="errand_list"),
    path("errands/<int:pk>/advance/", views.ErrandAdvanceView.as_view(), name="errand_advance"),
    path("feedback/", views.FeedbackListView.as_view(), name="feedback_list"),
    path("feedback/new/", views.FeedbackCreateView.as_view(), name="feedback_create"),
    path("feedback/<int:pk>/", views.FeedbackDetailView.as_view(), name="feedback_detail"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("exports/", views.ExportListView.as_view(), name="export_list"),
    path("exports/<int:pk>/", views.ExportDetailView.as_view(), name="export_detail"),
    path("exports/<int:pk>/download/", views.ExportDownloadView.as_view(), name="export_download"),
]
