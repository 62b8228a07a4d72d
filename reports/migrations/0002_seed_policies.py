"""Seed the reports app's numbers: the regulation's minimums and the reminder policy."""

from datetime import date

from django.db import migrations

REGULATION_DATE = date(2018, 2, 27)

POLICIES = [
    ("study_sessions_min_per_month", 2, "R10: group study sessions a month"),
    ("service_days_min_per_week", 1, "R12: fixed service days a week"),
    ("research_reports_min_per_year", 1, "R16: research reports a year per cadre"),
    ("trainings_min_per_year", 2, "R26: villager trainings a year"),
    ("collective_projects_min", 1, "R29: stable collective-economy projects per village"),
    ("practical_projects_min_per_year", 1, "R30: practical projects a year"),
    ("practical_project_min_share_pct", 80, "R30: % of the village's households benefiting"),
    ("report_deadline_days", 10, "R19: days after a period ends that its report is due"),
    ("work_plan_deadline_days", 31, "R5: days after the year starts that the plan is due"),
    ("report_reminder_days", 3, "R19: days before a deadline the leader is reminded"),
    ("study_reminder_day", 25, "R10: day of the month to remind teams below the minimum"),
    ("export_async_rows", 2000, "Exports larger than this run in the background"),
]


def seed(apps, schema_editor):
    Policy = apps.get_model("teams", "Policy")
    for key, value, description in POLICIES:
        Policy.objects.get_or_create(
            key=key,
            effective_from=REGULATION_DATE,
            defaults={"value": value, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("teams", "0002_seed_policies_and_tags")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
