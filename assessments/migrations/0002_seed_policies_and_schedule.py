"""Seed the assessment numbers (R37, R48) and the adjustment-deadline reminder (R48)."""

from datetime import date

from django.db import migrations

REGULATION_DATE = date(2018, 2, 27)

POLICIES = [
    ("assessment_excellent_share_pct", 20, "R37: at most this % of a year's cadres graded 优秀"),
    ("rating_sample_households", 30, "R37: villagers' rating slips printed per team"),
    ("rating_min_responses", 10, "R37: below this many ratings the villagers' rating is insufficient"),
    ("adjustment_deadline_days", 30, "R48: days the unit has to replace an unfit cadre"),
    ("adjustment_reminder_days", 5, "R48: days before the deadline the unit is reminded"),
]
SCHEDULE = [
    ("调整期限提醒 adjustment deadlines", "assessments.tasks.remind_adjustment_deadlines",
     ("15", "8", "*", "*", "*"), "R48: replacement deadline approaching"),
]


def seed(apps, schema_editor):
    Policy = apps.get_model("teams", "Policy")
    for key, value, description in POLICIES:
        Policy.objects.get_or_create(
            key=key,
            effective_from=REGULATION_DATE,
            defaults={"value": value, "description": description},
        )
    from core.beat import seed as seed_schedule

    seed_schedule(apps, SCHEDULE)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("teams", "0002_seed_policies_and_tags"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
