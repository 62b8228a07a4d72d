"""core.periods: the one calendar the rules' deadlines come from."""

from datetime import date

from core.periods import (
    MONTH,
    QUARTER,
    TERM,
    YEAR,
    month_days,
    parse_period,
    period_between,
    period_containing,
    previous_month,
)


def test_a_report_period_is_recognised_from_its_dates_not_guessed_from_its_length():
    assert period_between(date(2026, 1, 1), date(2026, 3, 31)).kind == QUARTER
    assert period_between(date(2026, 2, 1), date(2026, 2, 28)).kind == MONTH
    assert period_between(date(2026, 1, 1), date(2026, 12, 31)).kind == YEAR
    assert period_between(date(2026, 1, 3), date(2026, 3, 31)).kind == TERM


def test_r14_two_visits_a_year_are_due_by_30_june_and_31_december():
    year = period_containing(YEAR, date(2026, 5, 5))
    assert year.spread_deadline(0, 2) == date(2026, 6, 30)
    assert year.spread_deadline(1, 2) == date(2026, 12, 31)


def test_r19_deadlines_count_from_the_period():
    quarter = period_containing(QUARTER, date(2026, 2, 10))
    assert quarter.due_after_end(10) == date(2026, 4, 10)
    assert quarter.due_after_start(15) == date(2026, 1, 16)


def test_r13_window_and_r12_weeks():
    window = period_containing(MONTH, date(2026, 1, 1)).first_days(15)
    assert (window.start, window.end) == (date(2026, 1, 1), date(2026, 1, 15))
    weeks = period_containing(QUARTER, date(2026, 1, 1)).weeks()
    assert weeks[0] == (date(2026, 1, 5), date(2026, 1, 11)) and len(weeks) == 13


def test_month_helpers_and_keys_round_trip():
    assert len(month_days(date(2024, 2, 10))) == 29
    assert previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
    for key in ("2026-03", "2026Q1", "2026H2", "2026"):
        assert parse_period(key).key == key
    assert parse_period("nonsense") is None
