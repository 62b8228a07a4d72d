"""Issue 10: every MONITOR rule reminds. The policy numbers the new reminders read, and
their beat schedule rows (the office edits both)."""

from datetime import date

from django.db import migrations

REGULATION_DATE = date(2018, 2, 27)
TZ = "Asia/Shanghai"

POLICIES = [
    ("research_reminder_month", 10, "R16: month from which cadres without a research report are reminded"),
    ("diary_gap_days", 7, "R16: days without a village diary entry before a reminder"),
    ("midyear_check_month", 7, "R26/R29/R30: month from which teams behind are reminded"),
    ("attendance_pace_slack_days", 3, "R20: days behind the month's pace before a reminder"),
    ("return_report_grace_days", 1, "R22: days after a leave ends before the return report is overdue"),
    ("health_check_interval_days", 365, "R35: days between a cadre's health checks"),
]

SCHEDULE = [
    ("服务日缺失提醒 service days", "reports.tasks.remind_service_days",
     ("0", "8", "1", "*", "*"), "R12: no service day recorded last week"),
    ("调研报告提醒 research reports", "reports.tasks.remind_research_reports",
     ("0", "9", "*", "1", "*"), "R16: research report of the year still due"),
    ("年中进度提醒 mid-year tasks", "reports.tasks.remind_midyear_tasks",
     ("0", "9", "*", "1", "*"), "R26/R29/R30: trainings, collective and practical projects behind"),
    ("民情日记提醒 diary gaps", "households.tasks.remind_diary_gaps",
     ("0", "19", "*", "*", "*"), "R16: no village diary entry for the policy days"),
    ("驻村天数进度提醒 service-day pace", "attendance.tasks.remind_service_pace",
     ("0", "9", "*", "*", "*"), "R20: behind the month's pace of service days"),
    ("销假逾期提醒 return reports", "attendance.tasks.remind_return_reports",
     ("0", "9", "*", "*", "*"), "R22: return report overdue after the leave ended"),
    ("体检逾期提醒 health checks", "teams.tasks.remind_health_checks",
     ("0", "9", "*", "1", "*"), "R35: health check overdue"),
]


def seed(apps, schema_editor):
    Policy = apps.get_model("teams", "Policy")
    for key, value, description in POLICIES:
        Policy.objects.get_or_create(
            key=key,
            effective_from=REGULATION_DATE,
            defaults={"value": value, "description": description},
        )
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
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[row[0] for row in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_seed_confidential_categories"),
        ("teams", "0002_seed_policies_and_tags"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
