"""Celery tasks: thin, each calls one service; safe to run twice (notify is once per key)."""

from celery import shared_task

from reports import exports, services


@shared_task
def remind_report_deadlines() -> int:
    return services.report_deadline_reminders_send()


@shared_task
def remind_study_sessions() -> int:
    return services.study_session_reminders_send()


@shared_task
def remind_terms_and_insurance() -> int:
    return services.term_and_insurance_reminders_send()


@shared_task
def remind_leader_meeting() -> int:
    return services.leader_meeting_reminder_send()


@shared_task
def run_export(export_id: int) -> None:
    exports.export_run(export_id=export_id)


@shared_task(ignore_result=False)
def ping(token: str) -> str:
    """Round trip for the worker health check and the Redis integration test."""
    return token


@shared_task
def remind_service_days() -> int:
    from reports.monitor import service_day_missed_reminders_send

    return service_day_missed_reminders_send()


@shared_task
def remind_research_reports() -> int:
    from reports.monitor import research_report_reminders_send

    return research_report_reminders_send()


@shared_task
def remind_midyear_tasks() -> int:
    from reports.monitor import midyear_reminders_send

    return midyear_reminders_send()
