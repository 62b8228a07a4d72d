"""Reading the policy numbers (R-numbers' defaults) in force on a date.

Numbers from the regulation are ``teams.Policy`` rows with an effective date, seeded by
data migrations and edited by the office. Code never writes them as literals.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

# Every policy key the code reads, named once (R-number in the seed migration's description).
ADJUSTMENT_DEADLINE_DAYS = "adjustment_deadline_days"
ADJUSTMENT_REMINDER_DAYS = "adjustment_reminder_days"
ASSESSMENT_EXCELLENT_SHARE_PCT = "assessment_excellent_share_pct"
ATTACHMENT_MAX_MB = "attachment_max_mb"
ATTENDANCE_CHECKIN_REQUIRED = "attendance_checkin_required"
ATTENDANCE_DAILY_ALLOWANCE = "attendance_daily_allowance"
ATTENDANCE_MIN_SERVICE_DAYS = "attendance_min_service_days"
ATTENDANCE_OFFICIAL_COUNTS = "attendance_official_counts"
ATTENDANCE_PACE_SLACK_DAYS = "attendance_pace_slack_days"
COLLECTIVE_PROJECTS_MIN = "collective_projects_min"
DIARY_GAP_DAYS = "diary_gap_days"
EXPORT_ASYNC_ROWS = "export_async_rows"
HEALTH_CHECK_INTERVAL_DAYS = "health_check_interval_days"
KEY_VISITS_PER_QUARTER = "key_visits_per_quarter"
LEAVE_MIN_PRESENT_CADRES = "leave_min_present_cadres"
LEAVE_OVERDUE_HOURS = "leave_overdue_hours"
MIDYEAR_CHECK_MONTH = "midyear_check_month"
OFFLINE_CAPTURE_MAX_DAYS = "offline_capture_max_days"
PAIRING_TERM_YEARS = "pairing_term_years"
PRACTICAL_PROJECTS_MIN_PER_YEAR = "practical_projects_min_per_year"
PRACTICAL_PROJECT_MIN_SHARE_PCT = "practical_project_min_share_pct"
RATING_MIN_RESPONSES = "rating_min_responses"
RATING_SAMPLE_HOUSEHOLDS = "rating_sample_households"
REPORT_DEADLINE_DAYS = "report_deadline_days"
REPORT_REMINDER_DAYS = "report_reminder_days"
RESEARCH_REMINDER_MONTH = "research_reminder_month"
RESEARCH_REPORTS_MIN_PER_YEAR = "research_reports_min_per_year"
RETURN_REPORT_GRACE_DAYS = "return_report_grace_days"
SERVICE_DAYS_MIN_PER_WEEK = "service_days_min_per_week"
SHEET_SUBMIT_DUE_DAY = "sheet_submit_due_day"
STUDY_REMINDER_DAY = "study_reminder_day"
STUDY_SESSIONS_MIN_PER_MONTH = "study_sessions_min_per_month"
TEAM_MIN_MEMBERS = "team_min_members"
TEAM_TERM_YEARS = "team_term_years"
TERM_ENDING_WARNING_DAYS = "term_ending_warning_days"
TRAININGS_MIN_PER_YEAR = "trainings_min_per_year"
VISITS_PER_YEAR = "visits_per_year"
VISIT_INITIAL_DAYS = "visit_initial_days"
WORK_PLAN_DEADLINE_DAYS = "work_plan_deadline_days"
ZONE_RED_INCOME_BELOW = "zone_red_income_below"
ZONE_YELLOW_INCOME_BELOW = "zone_yellow_income_below"
POLICY_KEYS = [
    ADJUSTMENT_DEADLINE_DAYS,
    ADJUSTMENT_REMINDER_DAYS,
    ASSESSMENT_EXCELLENT_SHARE_PCT,
    ATTACHMENT_MAX_MB,
    ATTENDANCE_CHECKIN_REQUIRED,
    ATTENDANCE_DAILY_ALLOWANCE,
    ATTENDANCE_MIN_SERVICE_DAYS,
    ATTENDANCE_OFFICIAL_COUNTS,
    ATTENDANCE_PACE_SLACK_DAYS,
    COLLECTIVE_PROJECTS_MIN,
    DIARY_GAP_DAYS,
    EXPORT_ASYNC_ROWS,
    HEALTH_CHECK_INTERVAL_DAYS,
    KEY_VISITS_PER_QUARTER,
    LEAVE_MIN_PRESENT_CADRES,
    LEAVE_OVERDUE_HOURS,
    MIDYEAR_CHECK_MONTH,
    OFFLINE_CAPTURE_MAX_DAYS,
    PAIRING_TERM_YEARS,
    PRACTICAL_PROJECTS_MIN_PER_YEAR,
    PRACTICAL_PROJECT_MIN_SHARE_PCT,
    RATING_MIN_RESPONSES,
    RATING_SAMPLE_HOUSEHOLDS,
    REPORT_DEADLINE_DAYS,
    REPORT_REMINDER_DAYS,
    RESEARCH_REMINDER_MONTH,
    RESEARCH_REPORTS_MIN_PER_YEAR,
    RETURN_REPORT_GRACE_DAYS,
    SERVICE_DAYS_MIN_PER_WEEK,
    SHEET_SUBMIT_DUE_DAY,
    STUDY_REMINDER_DAY,
    STUDY_SESSIONS_MIN_PER_MONTH,
    TEAM_MIN_MEMBERS,
    TEAM_TERM_YEARS,
    TERM_ENDING_WARNING_DAYS,
    TRAININGS_MIN_PER_YEAR,
    VISITS_PER_YEAR,
    VISIT_INITIAL_DAYS,
    WORK_PLAN_DEADLINE_DAYS,
    ZONE_RED_INCOME_BELOW,
    ZONE_YELLOW_INCOME_BELOW,
]


class PolicyMissing(ImproperlyConfigured):
    pass


def policy_timeline(key: str) -> list[tuple[date, Decimal]]:
    """Every (effective_from, value) of ``key``, oldest first: one query for many days."""
    from teams.models import Policy

    rows = list(
        Policy.objects.filter(key=key)
        .order_by("effective_from")
        .values_list("effective_from", "value")
    )
    if not rows:
        raise PolicyMissing(f"No policy row for {key!r}; run migrations or add one in admin.")
    return rows


def value_on(timeline: list[tuple[date, Decimal]], day: date) -> Decimal:
    """The value of a timeline in force on ``day`` (the earliest one before any row)."""
    index = bisect_right([start for start, _ in timeline], day) - 1
    return timeline[max(index, 0)][1]


def policy_value(key: str, on: date | None = None) -> Decimal:
    return value_on(policy_timeline(key), on or timezone.localdate())


def policy_int(key: str, on: date | None = None) -> int:
    return int(policy_value(key, on))


def policy_ints(keys: list[str], on: date | None = None) -> dict[str, int]:
    """Several policy numbers in force on ``on``, in one query."""
    from teams.models import Policy

    on = on or timezone.localdate()
    timelines: dict[str, list[tuple[date, Decimal]]] = {key: [] for key in keys}
    for key, start, value in (
        Policy.objects.filter(key__in=keys)
        .order_by("effective_from")
        .values_list("key", "effective_from", "value")
    ):
        timelines[key].append((start, value))
    missing = [key for key, rows in timelines.items() if not rows]
    if missing:
        raise PolicyMissing(f"No policy row for {missing!r}; run migrations or add one in admin.")
    return {key: int(value_on(rows, on)) for key, rows in timelines.items()}
