"""Thin Celery tasks of the teams app; safe to run twice (notify is once per key)."""

from celery import shared_task


@shared_task(name="teams.tasks.remind_health_checks")
def remind_health_checks() -> int:
    """R35: health checks overdue, once a year per cadre."""
    from teams.reminders import health_check_reminders_send

    return health_check_reminders_send()
