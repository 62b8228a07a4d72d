from django.urls import path

from households import views

app_name = "households"
urlpatterns = [
    path("", views.HouseholdListView.as_view(), name="household_list"),
    path("new/", views.HouseholdFormView.as_view(), name="household_create"),
    path("<int:pk>/", views.HouseholdDetailView.as_view(), name="household_detail"),
    path("<int:pk>/edit/", views.HouseholdFormView.as_view(), name="household_edit"),
    path("<int:pk>/members/new/", views.MemberCreateView.as_view(), name="member_create"),
    path("<int:pk>/visit/", views.VisitCreateView.as_view(), name="visit_create"),
    path("<int:pk>/pair/", views.PairView.as_view(), name="pair"),
    path("<int:pk>/income/", views.IncomeCheckView.as_view(), name="income_check"),
    path("<int:pk>/zone/", views.ZoneOverrideView.as_view(), name="zone_override"),
    path("to-visit/", views.ToVisitView.as_view(), name="to_visit"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("diary/", views.DiaryView.as_view(), name="diary"),
    path("coverage/", views.CityCoverageView.as_view(), name="city_coverage"),
    path("coverage/mine/", views.MyCoverageView.as_view(), name="my_coverage"),
    path("coverage/team/<int:pk>/", views.TeamCoverageView.as_view(), name="team_coverage"),
    path("unpaired/", views.UnpairedView.as_view(), name="unpaired"),
    path("import/", views.RosterImportView.as_view(), name="import"),
    path("import/<int:pk>/", views.RosterImportStatusView.as_view(), name="import_status"),
    path("import/template/", views.RosterTemplateView.as_view(), name="import_template"),
    path("export/", views.RosterExportView.as_view(), name="export"),
    path("export/<int:pk>/", views.RosterExportStatusView.as_view(), name="export_status"),
    path(
        "export/<int:pk>/download/",
        views.RosterExportDownloadView.as_view(),
        name="export_download",
    ),
]
