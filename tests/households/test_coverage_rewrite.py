"""The single-pass coverage (visits aggregated per household, then grouped by village)
equals the full computation done household by household in Python (R13-R15), with the
deadlines of ``households.deadlines`` (R14 pro-rated after the R13 window)."""

import random
from datetime import date, timedelta

import pytest

from households.compliance import Period, coverage, coverage_by, due_date, with_compliance
from households.deadlines import year_schedule
from households.models import Household, PovertyStatus
from tests.factories import TeamFactory
from tests.households.factories import HouseholdFactory, VillageFactory, VisitFactory

pytestmark = pytest.mark.django_db


def full_computation(households, on: date) -> dict[int, dict]:
    """Per village: R13-R15 counted from each household's visit dates, in Python."""
    period = Period.for_day(on)
    rows: dict[int, dict] = {}
    for household in households:
        dates = sorted(v.date for v in household.visits.all() if v.date <= on)
        team = (
            household.village.teams.filter(status="active", term_start__lte=on)
            .order_by("pk")
            .first()
        )
        term_start = team.term_start if team else None
        year = [d for d in dates if d >= period.year_start]
        quarter = [d for d in dates if d >= period.quarter_start]
        initial_last = term_start + timedelta(days=period.initial_days - 1) if term_start else None
        in_term = [d for d in dates if term_start and d >= term_start]
        initial = any(d <= initial_last for d in in_term)
        required, deadlines = year_schedule(
            term_start=term_start,
            year=on.year,
            initial_days=period.initial_days,
            per_year=period.per_year,
        )
        passed = sum(1 for day in deadlines if day < on)
        overdue = (term_start is not None and not in_term and initial_last < on) or len(
            year
        ) < passed
        row = rows.setdefault(
            household.village_id,
            dict.fromkeys(
                ["total", "initial", "yearly", "key_total", "key_quarter", "overdue"], 0
            ),
        )
        row["total"] += 1
        row["initial"] += initial
        row["yearly"] += len(year) >= required
        row["key_total"] += household.is_key
        row["key_quarter"] += household.is_key and len(quarter) >= period.per_quarter
        row["overdue"] += overdue
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_single_pass_coverage_equals_the_household_by_household_computation(seed):
    rng = random.Random(seed)
    on = date(2026, rng.randint(1, 12), rng.randint(1, 28))
    villages = []
    for index in range(4):
        village = VillageFactory()
        villages.append(village)
        if index == 0:  # a team arriving this year: R14 pro-rated after its R13 window
            TeamFactory(village=village, term_start=on - timedelta(days=rng.randint(0, 60)))
        elif index < 3:  # one village has no stationed team
            TeamFactory(village=village, term_start=on - timedelta(days=rng.randint(0, 500)))
    for _ in range(40):
        household = HouseholdFactory(
            village=rng.choice(villages),
            poverty_status=rng.choice(PovertyStatus.values),
            is_dispute=rng.random() < 0.2,
        )
        for _ in range(rng.randint(0, 6)):
            VisitFactory(household=household, date=on - timedelta(days=rng.randint(-20, 500)))
    households = Household.objects.all()
    expected = full_computation(households.prefetch_related("visits"), on)
    got = {
        row["village_id"]: {k: row[k] for k in expected[row["village_id"]]}
        for row in coverage_by(households, on=on, fields=["village_id"])
    }
    assert got == expected
    # The city total and the per-household overdue flag agree with the same computation.
    total = coverage(households, on=on)
    assert total["overdue"] == sum(row["overdue"] for row in expected.values())
    assert total["overdue"] == sum(row.overdue for row in with_compliance(households, on=on))
    assert all(
        (due_date(row) is not None) or not row.overdue
        for row in with_compliance(households, on=on)
    )


def test_coverage_of_no_households_is_zero():
    result = coverage(Household.objects.none(), on=date(2026, 3, 1))
    assert result["total"] == 0
    assert result["initial_pct"] is None


def test_kept_village_coverage_equals_the_full_computation_after_random_writes():
    """VillageCoverage rows stay correct after every write: visits added and deleted,
    households changed, moved and added (R13-R15; issue 12)."""
    from households.compliance import village_coverage
    from households.models import VillageCoverage, Visit

    rng = random.Random(12)
    on = date(2026, 8, 20)
    villages = [VillageFactory() for _ in range(3)]
    for village in villages:
        TeamFactory(village=village, term_start=date(2025, 3, 1))
    households = [
        HouseholdFactory(village=rng.choice(villages), is_dispute=rng.random() < 0.3)
        for _ in range(20)
    ]
    ids = [v.pk for v in villages]

    def full():
        rows = coverage_by(Household.objects.all(), on=on, fields=["village_id"])
        counts = {vid: dict.fromkeys(["total", "initial", "yearly"], 0) for vid in ids}
        for row in rows:
            counts[row["village_id"]] = {k: row[k] for k in row if k in COUNT_NAMES}
        return counts

    for step in range(30):
        village_coverage(ids, on=on)  # keeps rows
        action = rng.choice(["visit", "visit", "delete", "household", "move", "new"])
        if action == "visit":
            VisitFactory(
                household=rng.choice(households), date=on - timedelta(days=rng.randint(0, 400))
            )
        elif action == "delete" and Visit.objects.exists():
            Visit.objects.order_by("?").first().delete()
        elif action == "household":
            household = rng.choice(households)
            household.poverty_status = rng.choice(PovertyStatus.values)
            household.save()
        elif action == "move":
            household = rng.choice(households)
            household.village = rng.choice(villages)
            household.save()
        elif action == "new":
            households.append(HouseholdFactory(village=rng.choice(villages)))
        kept = village_coverage(ids, on=on)
        expected = full()
        for vid in ids:
            assert {k: kept[vid][k] for k in COUNT_NAMES} == {
                k: expected[vid].get(k, 0) for k in COUNT_NAMES
            }, (step, action)
    assert VillageCoverage.objects.count() == len(ids)


COUNT_NAMES = ("total", "initial", "yearly", "key_total", "key_quarter", "overdue")


def test_nightly_coverage_refresh_is_a_seeded_beat_row():
    """The kept coverage is recomputed after midnight by beat (a row the office edits)."""
    from django_celery_beat.models import PeriodicTask

    from households.tasks import refresh_village_coverage

    task = PeriodicTask.objects.get(task="households.tasks.refresh_village_coverage")
    assert task.crontab.hour == "0" and task.enabled
    village = VillageFactory()
    HouseholdFactory(village=village)
    assert refresh_village_coverage() >= 1
