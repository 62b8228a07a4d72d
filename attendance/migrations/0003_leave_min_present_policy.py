"""The fewest cadres a team keeps in the village before an approver is warned (R21)."""

from datetime import date

from django.db import migrations

REGULATION_DATE = date(2018, 2, 27)


def seed(apps, schema_editor):
    Policy = apps.get_model("teams", "Policy")
    Policy.objects.get_or_create(
        key="leave_min_present_cadres",
        effective_from=REGULATION_DATE,
        defaults={"value": 2, "description": "批准请假时，驻村干部在村人数少于此数即提醒审批人"},
    )


class Migration(migrations.Migration):
    dependencies = [("attendance", "0002_seed_policies_and_leave_chain")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
