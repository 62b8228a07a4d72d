"""Celery tasks: thin, each calls one service; safe to run twice (notify is once per key)."""

from celery import shared_task

from assessments import services


@shared_task
def remind_adjustment_deadlines() -> int:
    return services.adjustment_reminders_send()


@shared_task
def compute_scores(plan_id: int) -> int:
    """Recompute a year's open results in the background (a city takes seconds)."""
    from assessments.models import Plan

    return services.scores_compute(plan=Plan.objects.get(pk=plan_id))
