"""Seed the beat row of the nightly visit-coverage refresh (issue 12), so that the city
coverage page's kept rows are computed before the first visitor of the day."""

from django.db import migrations

# name, task, (minute, hour, day_of_week, day_of_month, month_of_year), description
SCHEDULE = [
    ("走访覆盖率夜间刷新 nightly visit coverage", "households.tasks.refresh_village_coverage",
     ("10", "0", "*", "*", "*"), "R13-R15: recompute each village's kept visit coverage"),
]


def seed(apps, schema_editor):
    from core.beat import seed as seed_schedule

    seed_schedule(apps, SCHEDULE)


def unseed(apps, schema_editor):
    from core.beat import unseed as unseed_schedule

    unseed_schedule(apps, SCHEDULE)


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0007_merge_20261126_1608"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
