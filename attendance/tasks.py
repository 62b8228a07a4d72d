"""Thin Celery tasks; the reports app registers them in the beat schedule by name."""

from celery import shared_task

from attendance import services


@shared_task(name="attendance.tasks.remind_pending_leave")
def remind_pending_leave() -> int:
    """R21: leave pending longer than policy allows; approvers are reminded once a step."""
    return services.remind_pending_leave()


@shared_task(name="attendance.tasks.remind_unsubmitted_sheets")
def remind_unsubmitted_sheets() -> int:
    """R23: last month's sheet not submitted by the due day; the leader is reminded once."""
    return services.remind_unsubmitted_sheets()


@shared_task(name="attendance.tasks.remind_service_pace")
def remind_service_pace() -> int:
    """R20: cadres behind the month's pace of service days, once a month each."""
    from attendance.monitor import service_pace_reminders_send

    return service_pace_reminders_send()


@shared_task(name="attendance.tasks.remind_return_reports")
def remind_return_reports() -> int:
    """R22: return reports (销假) overdue after the leave ended, once per leave."""
    from attendance.monitor import return_report_reminders_send

    return return_report_reminders_send()
