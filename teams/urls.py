from django.urls import path

from teams import views

app_name = "teams"
urlpatterns = [
    path("", views.TeamListView.as_view(), name="team_list"),
    path("<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("cadres/", views.CadreListView.as_view(), name="cadre_list"),
    path("cadres/<int:pk>/", views.CadreDetailView.as_view(), name="cadre_detail"),
    path(
        "cadres/<int:pk>/talks/",
        views.CadreRecordView.as_view(kind="talk"),
        name="talk_record",
    ),
    path(
        "cadres/<int:pk>/discipline/",
        views.CadreRecordView.as_view(kind="discipline"),
        name="discipline_record",
    ),
    path(
        "memberships/<int:pk>/replace/",
        views.RotationRequestView.as_view(),
        name="rotation_request",
    ),
    path("rotations/", views.RotationListView.as_view(), name="rotation_list"),
    path("rotations/<int:pk>/", views.RotationDetailView.as_view(), name="rotation_detail"),
    path("meetings/", views.LeadersMeetingView.as_view(), name="leaders_meetings"),
    path("villages/", views.VillageListView.as_view(), name="village_list"),
    path("monitor/", views.MonitorView.as_view(), name="monitor"),
    path("handovers/<int:pk>/", views.HandoverView.as_view(), name="handover"),
]
