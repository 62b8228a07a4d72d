"""R34 (Art 18): the day statuses the allowance pays for, a policy separate from R20's
service days. Official business is not paid by default: travel is reimbursed separately."""

from datetime import date

from django.db import migrations

REGULATION_DATE = date(2018, 2, 27)

PAID = [
    ("in_village", 1),
    ("official", 0),
    ("leave_personal", 0),
    ("leave_sick", 0),
    ("rest", 0),
    ("absent", 0),
]


def seed(apps, schema_editor):
    Policy = apps.get_model("teams", "Policy")
    for status, value in PAID:
        Policy.objects.get_or_create(
            key=f"allowance_pays_{status}",
            effective_from=REGULATION_DATE,
            defaults={"value": value, "description": f"R34: allowance paid for '{status}' (1/0)"},
        )


class Migration(migrations.Migration):
    dependencies = [("attendance", "0003_allowance_payment")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
