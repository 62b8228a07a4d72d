"""Seeding Celery beat rows (django-celery-beat, edited by the office in admin).

Each app's data migration seeds the entries of its own tasks with ``seed``; beat sends by
task name, so the row and the task live in the same app.
"""

TZ = "Asia/Shanghai"


def seed(apps, schedule) -> None:
    """Create the rows of ``schedule`` that do not exist yet (by name); idempotent."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, (minute, hour, dow, dom, moy), description in schedule:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=dow,
            day_of_month=dom,
            month_of_year=moy,
            timezone=TZ,
        )
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": task, "crontab": crontab, "description": description},
        )
    # Tell a running beat that the schedule changed.
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schedule) -> None:
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[row[0] for row in schedule]).delete()
