"""R13 and R14 together: the first-visit window comes first, the year's visits after it,
pro-rated for a team that arrives mid-year; R15 shows a missed quarter as missed."""

from datetime import date

import pytest

from households.compliance import coverage, due_date, with_compliance
from households.deadlines import visit_deadlines
from households.models import Household
from tests import factories
from tests.households.factories import HouseholdFactory, VisitFactory

pytestmark = pytest.mark.django_db


def _team(start: date):
    return factories.staffed_team(
        term_start=start, term_end=date(start.year + 2, start.month, start.day)
    )


def _row(household, on):
    return with_compliance(Household.objects.filter(pk=household.pk), on=on).get()


def test_deadlines_are_a_function_of_start_day_and_key_flag():
    july = visit_deadlines(
        term_start=date(2026, 7, 1), on=date(2026, 7, 1), key=True, initial_days=15, per_year=2
    )
    assert july.initial_last_day == date(2026, 7, 15)
    assert july.year_required == 1  # 169 of 365 days left after the window: 2 x 0.46 -> 1
    assert july.year_deadlines == (date(2026, 12, 31),)
    assert july.quarter_due == date(2026, 9, 30)
    december = visit_deadlines(
        term_start=date(2026, 12, 20), on=date(2026, 12, 21), key=True, initial_days=15, per_year=2
    )
    assert december.initial_last_day == date(2027, 1, 3)
    assert december.year_required == 0
    assert december.quarter_due is None  # the R13 window still runs at quarter end
    next_year = visit_deadlines(
        term_start=date(2026, 12, 20), on=date(2027, 1, 10), key=False, initial_days=15, per_year=2
    )
    assert next_year.year_required == 2
    assert next_year.year_deadlines == (date(2027, 6, 30), date(2027, 12, 31))


def test_r13_r14_team_arriving_on_1_july_is_not_overdue_on_day_1():
    team = _team(date(2026, 7, 1))
    household = HouseholdFactory(village=team.village)
    day_one = _row(household, date(2026, 7, 1))
    assert day_one.overdue is False
    assert due_date(day_one) == date(2026, 7, 15)  # the R13 window, not R14's 30 June
    assert day_one.year_required == 1
    VisitFactory(household=household, date=date(2026, 7, 10))
    later = _row(household, date(2026, 10, 1))
    assert later.initial_ok is True
    assert later.year_ok is True  # the pro-rated year asks for one visit
    assert due_date(later) is None
    assert _row(HouseholdFactory(village=team.village), date(2026, 7, 16)).overdue is True


def test_r13_r14_team_arriving_on_20_december():
    team = _team(date(2026, 12, 20))
    household = HouseholdFactory(village=team.village, is_dispute=True)
    on = date(2026, 12, 21)
    row = _row(household, on)
    assert row.overdue is False
    assert due_date(row) == date(2027, 1, 3)
    assert row.quarter_due is None and row.year_due is None
    assert coverage(Household.objects.filter(pk=household.pk), on=on)["overdue"] == 0
    VisitFactory(household=household, date=date(2027, 1, 2))
    january = _row(household, date(2027, 1, 10))
    assert january.initial_ok is True
    assert january.year_required == 2
    assert january.quarter_ok is True  # the window's visit counts for the quarter
    assert due_date(january) == date(2027, 12, 31)  # and as the first of the year's two
    assert january.missed_last_quarter is False  # the last quarter was the R13 window's


def test_r15_key_household_that_missed_last_quarter_shows_as_missed(team):
    household = HouseholdFactory(village=team.village, is_dispute=True)
    VisitFactory(household=household, date=date(2026, 1, 10))  # Q1 visited
    assert _row(household, date(2026, 4, 2)).missed_last_quarter is False
    row = _row(household, date(2026, 7, 2))  # nothing in Q2
    assert row.missed_last_quarter is True
    assert row.quarter_due == date(2026, 9, 30)


def test_r15_missed_last_quarter_is_on_the_to_visit_page(client, team):
    household = HouseholdFactory(village=team.village, is_dispute=True)
    VisitFactory(household=household, date=date(2026, 1, 10))
    from unittest import mock

    client.force_login(factories.leader_of(team))
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 7, 2)):
        page = client.get("/households/to-visit/").content.decode()
    assert 'data-testid="missed-last-quarter"' in page
