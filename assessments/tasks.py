"""Celery tasks: thin, each calls one service; safe to run twice (notify is once per key)."""

from celery import shared_task

from assessments import services


@shared_task
def remind_adjustment_deadlines() -> int:
    return services.adjustment_reminders_send()
