"""Seed the Celery beat rows of the households app's tasks (edited by the office in admin).

Until this migration they were seeded by reports 0003; ``seed`` skips rows that exist.
"""

from django.db import migrations

# name, task, (minute, hour, day_of_week, day_of_month, month_of_year), description
SCHEDULE = [
    ("走访逾期周报 overdue visits", "households.tasks.remind_overdue_visits",
     ("0", "8", "1", "*", "*"), "R13-R15: overdue visits digest for each leader"),
    ("贫困户未结对提醒 unpaired poor households",
     "households.tasks.remind_unpaired_poor_households",
     ("0", "8", "*", "*", "*"), "R33: registered poor households without a paired cadre"),
]


def seed(apps, schema_editor):
    from core.beat import seed as seed_schedule

    seed_schedule(apps, SCHEDULE)


def unseed(apps, schema_editor):
    from core.beat import unseed as unseed_schedule

    unseed_schedule(apps, SCHEDULE)


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0004_roster_export_to_core"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
