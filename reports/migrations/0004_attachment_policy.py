"""The largest attachment a ledger record accepts (phones on weak networks)."""

from datetime import date

from django.db import migrations


def seed(apps, schema_editor):
    Policy = apps.get_model("teams", "Policy")
    Policy.objects.get_or_create(
        key="attachment_max_mb",
        effective_from=date(2018, 2, 27),
        defaults={"value": 20, "description": "R17: largest photo or document (MB)"},
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_seed_beat_schedule")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
