"""Seed the Celery beat schedule (django-celery-beat rows the office edits in admin).

The reports app's own tasks; attendance and households seed theirs (each app owns the
beat rows of the tasks it runs).
"""

from django.db import migrations

# name, task, (minute, hour, day_of_week, day_of_month, month_of_year), description
SCHEDULE = [
    ("报告截止提醒 report deadlines", "reports.tasks.remind_report_deadlines",
     ("0", "8", "*", "*", "*"), "R19: report deadlines approaching and missed"),
    ("学习次数提醒 study sessions", "reports.tasks.remind_study_sessions",
     ("0", "9", "*", "*", "*"), "R10: study sessions below the minimum by the policy day"),
    ("任期与保险到期提醒 terms and insurance", "reports.tasks.remind_terms_and_insurance",
     ("30", "8", "*", "*", "*"), "R7/R35: terms and insurance ending soon"),
    ("队长季度会议提醒 leader meeting", "reports.tasks.remind_leader_meeting",
     ("0", "9", "*", "1", "1,4,7,10"), "R32: the quarterly meeting with team leaders"),
]


def seed(apps, schema_editor):
    from core.beat import seed as seed_schedule

    seed_schedule(apps, SCHEDULE)


def unseed(apps, schema_editor):
    from core.beat import unseed as unseed_schedule

    unseed_schedule(apps, SCHEDULE)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_seed_policies"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
