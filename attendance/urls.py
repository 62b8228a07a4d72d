from django.urls import path

from attendance import views

app_name = "attendance"
MONTH = "teams/<int:team_id>/<int:year>/<int:month>/"
urlpatterns = [
    path("", views.MyAttendanceView.as_view(), name="me"),
    path("checkin/", views.CheckInView.as_view(), name="checkin"),
    path("leave/", views.LeaveListView.as_view(), name="leave_list"),
    path("leave/calendar/", views.LeaveCalendarView.as_view(), name="leave_calendar"),
    path("leave/new/", views.LeaveCreateView.as_view(), name="leave_create"),
    path("leave/<int:pk>/", views.LeaveDetailView.as_view(), name="leave_detail"),
    path("leave/<int:pk>/<slug:action>/", views.LeaveActionView.as_view(), name="leave_action"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("team/", views.MyTeamMonthView.as_view(), name="my_team_month"),
    path(MONTH, views.TeamMonthView.as_view(), name="team_month"),
    path(MONTH + "export.xlsx", views.TeamMonthExportView.as_view(), name="team_month_export"),
    path(MONTH + "scan/", views.TeamMonthScanView.as_view(), name="team_month_scan"),
    path(MONTH + "<slug:action>/", views.TeamMonthActionView.as_view(), name="team_month_action"),
    path("sheets/", views.SheetListView.as_view(), name="sheet_list"),
    path("sheets/<int:pk>/pay/", views.SheetPaymentView.as_view(), name="sheet_pay"),
    path("sheets/city.xlsx", views.CityMonthExportView.as_view(), name="city_month_export"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("allowance/", views.AllowanceView.as_view(), name="allowance"),
]
