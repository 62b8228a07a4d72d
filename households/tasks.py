"""Thin Celery tasks; each calls a service and is safe to run twice."""

from celery import shared_task


@shared_task(name="households.tasks.import_roster")
def import_roster(job_id: int) -> str:
    from households.roster import roster_import_run

    return roster_import_run(job_id=job_id).status


@shared_task(name="households.tasks.export_roster")
def export_roster(job_id: int) -> int:
    from households.roster import roster_export_run

    return roster_export_run(job_id=job_id).row_count


@shared_task(name="households.tasks.remind_overdue_visits")
def remind_overdue_visits() -> int:
    """Weekly: each stationed team's leader gets a digest of overdue visits (R13-R15)."""
    from households.reminders import remind_overdue_visits as run

    return run()


@shared_task(name="households.tasks.remind_unpaired_poor_households")
def remind_unpaired_poor_households() -> int:
    """Daily: the office hears once about each poor household without a cadre (R33)."""
    from households.reminders import remind_unpaired_poor_households as run

    return run()


@shared_task(name="households.tasks.remind_diary_gaps")
def remind_diary_gaps() -> int:
    """Daily: R16, cadres with no diary entry in the policy number of days, once per gap."""
    from households.reminders import remind_diary_gaps as run

    return run()


@shared_task(name="households.tasks.refresh_village_coverage")
def refresh_village_coverage() -> int:
    """Nightly, after midnight: the city page's kept coverage for the new day, so that
    the first visitor of the day does not wait for the full computation (issue 12)."""
    from django.utils import timezone

    from households.compliance import village_coverage
    from teams.models import Village

    return len(
        village_coverage(Village.objects.values_list("pk", flat=True), on=timezone.localdate())
    )
