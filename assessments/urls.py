from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("<int:year>/", views.AnnualTableView.as_view(), name="annual"),
    path("<int:year>/step/<slug:step>/", views.PlanStepView.as_view(), name="plan_step"),
    path("<int:year>/export/", views.ResultsExportView.as_view(), name="export"),
    path("<int:year>/published/", views.PublishedView.as_view(), name="published"),
    path("<int:year>/circular/", views.CircularView.as_view(), name="circular"),
    path(
        "<int:year>/recommendations/",
        views.RecommendationListView.as_view(),
        name="recommendations",
    ),
    path("<int:year>/routine/", views.RoutineView.as_view(), name="routine"),
    path("<int:year>/summary/", views.WorkSummaryView.as_view(), name="summary"),
    path("<int:year>/ratings/", views.RatingRoundsView.as_view(), name="rating_rounds"),
    path("<int:year>/village-review/", views.VillageReviewView.as_view(), name="village_review"),
    path("a/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("a/<int:pk>/propose/", views.ProposeView.as_view(), name="propose"),
    path("a/<int:pk>/calibrate/", views.CalibrateView.as_view(), name="calibrate"),
    path("a/<int:pk>/<slug:step>/", views.AssessmentStepView.as_view(), name="assessment_step"),
    path("rounds/<int:pk>/", views.SlipsView.as_view(), name="slips"),
    path("r/<str:code>/", views.PublicRatingView.as_view(), name="rate"),
    path("adjustments/", views.AdjustmentListView.as_view(), name="adjustment_list"),
    path("adjustments/<int:pk>/", views.AdjustmentDetailView.as_view(), name="adjustment_detail"),
    path("cadres/<int:pk>/dossier/", views.DossierView.as_view(), name="dossier"),
]
