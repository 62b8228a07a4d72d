from django.urls import path

from teams import views

app_name = "teams"
urlpatterns = [
    path("", views.TeamListView.as_view(), name="team_list"),
    path("<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("cadres/", views.CadreListView.as_view(), name="cadre_list"),
    path("cadres/<int:pk>/", views.CadreDetailView.as_view(), name="cadre_detail"),
    path("villages/", views.VillageListView.as_view(), name="village_list"),
    path("monitor/", views.MonitorView.as_view(), name="monitor"),
    path("handovers/<int:pk>/", views.HandoverView.as_view(), name="handover"),
]
