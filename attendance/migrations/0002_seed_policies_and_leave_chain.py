"""Seed attendance numbers (R20, R21, R34) and the leave chain of R21 from the regulation."""

from datetime import date

from django.db import migrations

REGULATION_DATE = date(2018, 2, 27)

POLICIES = [
    ("attendance_min_service_days", 20, "R20: service days a cadre needs each month"),
    ("attendance_official_counts", 1, "R20: official business counts as a service day (1/0)"),
    ("attendance_daily_allowance", 100, "R34: allowance in yuan per day actually stationed"),
    ("attendance_checkin_required", 0, "Daily check-in required (1) or optional evidence (0)"),
    ("leave_overdue_hours", 48, "R21: hours a leave step may wait before it is overdue"),
    ("sheet_submit_due_day", 5, "R23: day of the month by which last month's sheet is due"),
]

# R21: (requester role, up to days or None for any, approvers in order)
CHAIN = [
    ("member", 1, "leader", "R21: a member's leave of 1 day, by the leader"),
    ("member", 3, "supervision_group", "R21: a member's 2-3 days, by the supervision group"),
    ("member", None, "office", "R21: anyone's leave over 3 days, by the office"),
    ("leader", 3, "supervision_group", "R21: a leader's leave up to 3 days"),
    ("leader", None, "office", "R21: anyone's leave over 3 days, by the office"),
]


def seed(apps, schema_editor):
    Policy = apps.get_model("teams", "Policy")
    Rule = apps.get_model("attendance", "LeaveChainRule")
    for key, value, description in POLICIES:
        Policy.objects.get_or_create(
            key=key,
            effective_from=REGULATION_DATE,
            defaults={"value": value, "description": description},
        )
    for role, max_days, steps, description in CHAIN:
        Rule.objects.get_or_create(
            requester_role=role,
            max_days=max_days,
            effective_from=REGULATION_DATE,
            defaults={"steps": steps, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0001_initial"),
        ("teams", "0002_seed_policies_and_tags"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
