"""Seed the regulation's numbers (2018 measures) and Art. 6's village problems."""

from datetime import date

from django.db import migrations

REGULATION_DATE = date(2018, 2, 27)

POLICIES = [
    ("team_min_members", 2, "R1: members besides the leader a team needs"),
    ("team_term_years", 2, "R7: years a team's stationing term runs"),
    ("pairing_term_years", 3, "R7: years a unit's pairing with a township runs"),
    ("term_ending_warning_days", 60, "R7/R35: days ahead a term or insurance end is flagged"),
]

PROBLEM_TAGS = [
    ("weak-party-org", "基层组织软弱涣散", "party"),
    ("weak-industry", "产业基础薄弱、集体经济脆弱", "economic"),
    ("disputes", "矛盾纠纷突出", "social"),
    ("lagging-social", "社会发育滞后", "social"),
]


def seed(apps, schema_editor):
    Policy = apps.get_model("teams", "Policy")
    ProblemTag = apps.get_model("teams", "ProblemTag")
    Group = apps.get_model("auth", "Group")
    for key, value, description in POLICIES:
        Policy.objects.get_or_create(
            key=key,
            effective_from=REGULATION_DATE,
            defaults={"value": value, "description": description},
        )
    for code, name, expertise in PROBLEM_TAGS:
        ProblemTag.objects.get_or_create(
            code=code, defaults={"name": name, "needed_expertise": expertise}
        )
    Group.objects.get_or_create(name="office")


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
