"""Thin Celery tasks of the bottom floor."""

from celery import shared_task


@shared_task(name="core.tasks.sweep_jobs")
def sweep_jobs() -> dict:
    """Every minute: re-send jobs the broker lost, fail the ones past their timeout."""
    from core.jobs import sweep

    return sweep()
