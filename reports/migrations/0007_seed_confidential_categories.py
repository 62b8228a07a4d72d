"""R18: misconduct leads and gang or clan leads are the office's alone."""

from django.db import migrations

CATEGORIES = [
    ("misconduct", "R18: village cadres may be the people implicated"),
    ("gangs", "R18: village staff may be the people implicated"),
]


def seed(apps, schema_editor):
    ConfidentialCategory = apps.get_model("reports", "ConfidentialCategory")
    for category, note in CATEGORIES:
        ConfidentialCategory.objects.get_or_create(category=category, defaults={"note": note})


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_rotation_carry_over_and_feedback_history")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
