"""Beat runs the job sweep every minute (issue 11, finding 11)."""

from django.db import migrations

NAME = "后台任务巡检 job sweep"


def seed(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "core.tasks.sweep_jobs",
            "interval": every_minute,
            "description": "Re-send jobs the broker lost; fail jobs past their timeout",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_export_log"), ("django_celery_beat", "0018_improve_crontab_helptext")]
    operations = [migrations.RunPython(seed, unseed)]
