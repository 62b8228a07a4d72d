"""Seed the visit rules' numbers (R13-R15) and default warning-zone thresholds (R27)."""

from datetime import date

from django.db import migrations

REGULATION_DATE = date(2018, 2, 27)

POLICIES = [
    ("visit_initial_days", 15, REGULATION_DATE, "R13: days after arrival to visit every household"),
    ("visits_per_year", 2, REGULATION_DATE, "R14: visits per household per calendar year"),
    ("key_visits_per_quarter", 1, REGULATION_DATE, "R15: visits per key household per quarter"),
    # R27: the office sets these per year (a row effective from 1 January of each year);
    # per-capita net income below the red line is red, below the yellow line (or with a
    # risk event) yellow. The defaults below are placeholders for the office to edit.
    ("zone_red_income_below", 4000, REGULATION_DATE, "R27: red zone below this income"),
    ("zone_yellow_income_below", 6000, REGULATION_DATE, "R27: yellow zone below this income"),
    ("zone_yellow_income_below", 7300, date(2023, 1, 1), "R27: yellow zone below this income"),
]


def seed(apps, schema_editor):
    Policy = apps.get_model("teams", "Policy")
    for key, value, effective_from, description in POLICIES:
        Policy.objects.get_or_create(
            key=key,
            effective_from=effective_from,
            defaults={"value": value, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0001_initial"),
        ("teams", "0002_seed_policies_and_tags"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
