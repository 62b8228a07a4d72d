"""R13-R15 visit compliance at the edges, computed in SQL."""

from datetime import date

import pytest

from households.compliance import coverage, due_date, with_compliance
from households.models import Household, PovertyStatus
from tests.households.factories import HouseholdFactory, VisitFactory

pytestmark = pytest.mark.django_db

TERM_START = date(2026, 1, 1)  # the `team` fixture's term_start: day 1 of the term


def annotated(household, on):
    return with_compliance(Household.objects.filter(pk=household.pk), on=on).get()


@pytest.fixture
def household(team):
    return HouseholdFactory(village=team.village)


def test_r13_visit_on_day_15_of_the_term_is_on_time(household):
    VisitFactory(household=household, date=date(2026, 1, 15))
    row = annotated(household, date(2026, 2, 1))
    assert row.initial_ok is True
    assert row.visited_in_term is True


def test_r13_visit_on_day_16_of_the_term_is_late(household):
    VisitFactory(household=household, date=date(2026, 1, 16))
    row = annotated(household, date(2026, 2, 1))
    assert row.initial_ok is False


def test_r13_unvisited_household_is_due_on_day_15_and_overdue_on_day_16(household):
    on_day_15 = annotated(household, date(2026, 1, 15))
    assert due_date(on_day_15) == date(2026, 1, 15)
    assert on_day_15.overdue is False
    on_day_16 = annotated(household, date(2026, 1, 16))
    assert on_day_16.overdue is True


def test_r13_visit_before_the_term_does_not_count(household):
    VisitFactory(household=household, date=date(2025, 12, 31))
    row = annotated(household, date(2026, 1, 20))
    assert row.initial_ok is False
    assert row.overdue is True


def test_r13_village_without_a_stationed_team_has_no_initial_due():
    household = HouseholdFactory()
    row = annotated(household, date(2026, 1, 20))
    assert row.term_start is None
    assert row.initial_due is None


def test_r14_first_visit_due_by_mid_year_second_by_year_end(household):
    VisitFactory(household=household, date=date(2026, 1, 5))
    assert annotated(household, date(2026, 1, 6)).year_visits == 1
    assert due_date(annotated(household, date(2026, 1, 6))) == date(2026, 12, 31)


def test_r14_no_visit_in_first_half_is_overdue_in_july(team):
    household = HouseholdFactory(village=team.village)
    VisitFactory(household=household, date=date(2025, 12, 20))  # last year's visit
    team.term_start = date(2025, 1, 1)
    team.term_end = date(2027, 1, 1)
    team.save()
    VisitFactory(household=household, date=date(2025, 1, 3))
    assert annotated(household, date(2026, 6, 30)).overdue is False
    row = annotated(household, date(2026, 7, 1))
    assert row.year_visits == 0
    assert row.overdue is True
    assert due_date(row) == date(2026, 6, 30)


def test_r14_year_boundary_resets_the_count(household):
    VisitFactory(household=household, date=date(2026, 1, 2))
    VisitFactory(household=household, date=date(2026, 12, 31))
    on_new_years_eve = annotated(household, date(2026, 12, 31))
    assert on_new_years_eve.year_visits == 2
    assert on_new_years_eve.year_ok is True
    assert due_date(on_new_years_eve) is None
    on_new_year = annotated(household, date(2027, 1, 1))
    assert on_new_year.year_visits == 0
    assert on_new_year.year_ok is False
    assert due_date(on_new_year) == date(2027, 6, 30)


def test_r15_key_flag_added_mid_quarter_makes_a_visit_due_by_quarter_end(household):
    VisitFactory(household=household, date=date(2026, 1, 3))
    VisitFactory(household=household, date=date(2026, 3, 20))  # last quarter
    before = annotated(household, date(2026, 5, 15))
    assert before.is_key_household is False
    assert before.quarter_due is None
    Household.objects.filter(pk=household.pk).update(is_dispute=True, key_since=date(2026, 5, 15))
    after = annotated(household, date(2026, 5, 15))
    assert after.is_key_household is True
    assert after.quarter_ok is False
    assert due_date(after) == date(2026, 6, 30)
    assert after.overdue is False


def test_r15_visit_earlier_in_the_quarter_counts_for_a_newly_key_household(household):
    VisitFactory(household=household, date=date(2026, 1, 3))
    VisitFactory(household=household, date=date(2026, 4, 2))
    Household.objects.filter(pk=household.pk).update(is_special_hardship=True)
    row = annotated(household, date(2026, 5, 15))
    assert row.quarter_ok is True
    assert row.quarter_due is None


def test_r15_registered_poor_household_is_key(household):
    Household.objects.filter(pk=household.pk).update(poverty_status=PovertyStatus.REGISTERED)
    VisitFactory(household=household, date=date(2026, 1, 3))
    row = annotated(household, date(2026, 4, 1))
    assert row.is_key_household is True
    assert due_date(row) == date(2026, 6, 30)


def test_coverage_percentages(team):
    visited = HouseholdFactory(village=team.village, is_dispute=True)
    HouseholdFactory(village=team.village)
    VisitFactory(household=visited, date=date(2026, 1, 10))
    VisitFactory(household=visited, date=date(2026, 2, 10))
    result = coverage(Household.objects.filter(village=team.village), on=date(2026, 3, 1))
    assert result["total"] == 2
    assert result["initial_pct"] == 50.0
    assert result["yearly_pct"] == 50.0
    assert result["key_quarter_pct"] == 100.0
    assert result["overdue"] == 1


@pytest.mark.parametrize(
    "on",
    [
        date(2026, 1, 15),
        date(2026, 1, 16),
        date(2026, 6, 30),
        date(2026, 7, 1),
        date(2026, 12, 31),
    ],
)
def test_coverage_overdue_count_matches_the_per_household_flag(team, on):
    """The aggregate's shortcut (compliance.overdue_q) agrees with due_sort < on."""
    plain = HouseholdFactory(village=team.village)
    key = HouseholdFactory(village=team.village, is_dispute=True)
    HouseholdFactory(village=team.village)
    VisitFactory(household=plain, date=date(2026, 1, 10))
    VisitFactory(household=key, date=date(2026, 1, 20))
    VisitFactory(household=key, date=date(2026, 7, 2))
    households = Household.objects.filter(village=team.village)
    expected = sum(row.overdue for row in with_compliance(households, on=on))
    assert coverage(households, on=on)["overdue"] == expected
