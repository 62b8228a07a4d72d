"""Seed how old a record made offline on the phone may be when it reaches the server."""

from datetime import date

from django.db import migrations

POLICIES = [
    (
        "offline_capture_max_days",
        7,
        date(2018, 2, 27),
        "Phone app: days a record made offline may wait on the phone before it is refused",
    ),
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
    dependencies = [("teams", "0002_seed_policies_and_tags")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
