"""Seed the Celery beat schedule (django-celery-beat rows the office edits in admin).

Tasks of other apps are referenced by name only; beat sends by name, so a task that is not
yet deployed only logs an unregistered-task error instead of breaking the schedule.
"""

from django.db import migrations

TZ = "Asia/Shanghai"

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
    ("请假待批提醒 pending leave", "attendance.tasks.remind_pending_leave",
     ("0", "*", "*", "*", "*"), "R21: leave pending past policy"),
    ("考勤表未提交提醒 unsubmitted sheets", "attendance.tasks.remind_unsubmitted_sheets",
     ("0", "9", "*", "*", "*"), "R34: monthly sheet not submitted by the policy day"),
    ("走访逾期周报 overdue visits", "households.tasks.remind_overdue_visits",
     ("0", "8", "1", "*", "*"), "R13-R15: overdue visits digest for each leader"),
    ("贫困户未结对提醒 unpaired poor households",
     "households.tasks.remind_unpaired_poor_households",
     ("0", "8", "*", "*", "*"), "R33: registered poor households without a paired cadre"),
]


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, (minute, hour, dow, dom, moy), description in SCHEDULE:
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


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[row[0] for row in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_seed_policies"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
