"""Seed the Celery beat rows of the attendance app's tasks (edited by the office in admin).

Until this migration they were seeded by reports 0003; ``seed`` skips rows that exist.
"""

from django.db import migrations

# name, task, (minute, hour, day_of_week, day_of_month, month_of_year), description
SCHEDULE = [
    ("请假待批提醒 pending leave", "attendance.tasks.remind_pending_leave",
     ("0", "*", "*", "*", "*"), "R21: leave pending past policy"),
    ("考勤表未提交提醒 unsubmitted sheets", "attendance.tasks.remind_unsubmitted_sheets",
     ("0", "9", "*", "*", "*"), "R34: monthly sheet not submitted by the policy day"),
]


def seed(apps, schema_editor):
    from core.beat import seed as seed_schedule

    seed_schedule(apps, SCHEDULE)


def unseed(apps, schema_editor):
    from core.beat import unseed as unseed_schedule

    unseed_schedule(apps, SCHEDULE)


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0002_seed_policies_and_leave_chain"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
