"""Compliance per period (R10, R12, R16, R26, R29, R30): computed from the ledger, at the
edges of each minimum."""

from datetime import date, timedelta

import pytest

from core.periods import MONTH, QUARTER, YEAR, period_containing
from reports.compliance import DUE, MET, MISSED, compliance_for_teams, rollup
from reports.models import LedgerKind
from tests import factories
from tests.reports.factories import LedgerRecordFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)
MARCH = period_containing(MONTH, date(2026, 3, 1))
YEAR_2026 = period_containing(YEAR, date(2026, 1, 1))


def result(team, period, rule, today=TODAY):
    return compliance_for_teams(teams=[team], period=period, today=today)[0].by_rule()[rule]


def test_r10_one_study_session_in_a_month_misses_the_minimum(team):
    LedgerRecordFactory(team=team, kind=LedgerKind.STUDY, date=date(2026, 3, 5))
    r10 = result(team, MARCH, "R10")
    assert (r10.actual, r10.required, r10.status) == (1, 2, MISSED)


def test_r10_two_study_sessions_in_a_month_meet_the_minimum(team):
    LedgerRecordFactory(team=team, kind=LedgerKind.STUDY, date=date(2026, 3, 5))
    LedgerRecordFactory(team=team, kind=LedgerKind.STUDY, date=date(2026, 3, 31))
    assert result(team, MARCH, "R10").status == MET


def test_r10_current_month_below_minimum_is_due_not_missed(team):
    LedgerRecordFactory(team=team, kind=LedgerKind.STUDY, date=date(2026, 11, 3))
    november = period_containing(MONTH, TODAY)
    assert result(team, november, "R10").status == DUE


def test_r10_quarter_counts_months_and_one_short_month_misses_it(team):
    for month in (1, 2, 3):
        LedgerRecordFactory(team=team, kind=LedgerKind.STUDY, date=date(2026, month, 2))
        if month != 2:
            LedgerRecordFactory(team=team, kind=LedgerKind.STUDY, date=date(2026, month, 20))
    q1 = result(team, period_containing(QUARTER, date(2026, 1, 1)), "R10")
    assert (q1.actual, q1.required, q1.status) == (2, 3, MISSED)


def test_r12_every_week_needs_a_service_day(team):
    # March 2026: Mondays 2, 9, 16, 23, 30 -> five weeks.
    for monday in (2, 9, 16, 23, 30):
        LedgerRecordFactory(team=team, kind=LedgerKind.SERVICE_DAY, date=date(2026, 3, monday))
    r12 = result(team, MARCH, "R12")
    assert (r12.actual, r12.required, r12.status) == (5, 5, MET)
    team.ledger_records.filter(date=date(2026, 3, 16)).delete()
    assert result(team, MARCH, "R12").status == MISSED


def test_r16_every_cadre_writes_a_research_report_a_year(team):
    cadres = [m.cadre for m in team.memberships.all()]
    for cadre in cadres[:-1]:
        LedgerRecordFactory(team=team, kind=LedgerKind.RESEARCH, cadre=cadre)
    r16 = result(team, YEAR_2026, "R16")
    assert (r16.actual, r16.required, r16.status) == (len(cadres) - 1, len(cadres), DUE)
    assert result(team, YEAR_2026, "R16", today=date(2027, 1, 1)).status == MISSED
    LedgerRecordFactory(team=team, kind=LedgerKind.RESEARCH, cadre=cadres[-1])
    assert result(team, YEAR_2026, "R16").status == MET


def test_r26_one_training_a_year_misses_two_meet(team):
    LedgerRecordFactory(team=team, kind=LedgerKind.TRAINING, training_topic="law")
    after_year = date(2027, 1, 5)
    assert result(team, YEAR_2026, "R26", today=after_year).status == MISSED
    LedgerRecordFactory(team=team, kind=LedgerKind.TRAINING, training_topic="policy")
    assert result(team, YEAR_2026, "R26", today=after_year).status == MET


def test_r29_needs_a_stable_collective_project_in_the_village(team):
    LedgerRecordFactory(team=team, kind=LedgerKind.COLLECTIVE, is_stable_income=False)
    assert result(team, YEAR_2026, "R29").status == DUE
    LedgerRecordFactory(team=team, kind=LedgerKind.COLLECTIVE, is_stable_income=True)
    assert result(team, YEAR_2026, "R29").status == MET


def test_r29_counts_a_project_of_the_previous_team_in_the_same_village(team):
    earlier = factories.TeamFactory(
        village=team.village,
        status="ended",
        term_start=date(2023, 1, 1),
        term_end=date(2025, 1, 1),
    )
    LedgerRecordFactory(
        team=earlier, kind=LedgerKind.COLLECTIVE, is_stable_income=True, date=date(2024, 5, 1)
    )
    assert result(team, YEAR_2026, "R29").status == MET


def test_r30_practical_project_at_79_percent_does_not_count(team):
    LedgerRecordFactory(
        team=team, kind=LedgerKind.PRACTICAL, households_benefiting=79, village_households=100
    )
    assert result(team, YEAR_2026, "R30", today=date(2027, 1, 1)).status == MISSED


def test_r30_practical_project_at_80_percent_counts(team):
    LedgerRecordFactory(
        team=team, kind=LedgerKind.PRACTICAL, households_benefiting=80, village_households=100
    )
    assert result(team, YEAR_2026, "R30").status == MET


def test_r30_share_is_a_policy_row(team):
    from teams.models import Policy

    Policy.objects.create(
        key="practical_project_min_share_pct", value=75, effective_from=date(2026, 1, 1)
    )
    LedgerRecordFactory(
        team=team, kind=LedgerKind.PRACTICAL, households_benefiting=76, village_households=100
    )
    assert result(team, YEAR_2026, "R30").status == MET


def test_rollup_counts_teams_per_status_with_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    teams = [factories.staffed_team() for _ in range(12)]
    for team in teams[:5]:
        for day in (3, 17):
            LedgerRecordFactory(team=team, kind=LedgerKind.STUDY, date=date(2026, 3, day))
        LedgerRecordFactory(team=team, kind=LedgerKind.SERVICE_DAY, date=date(2026, 3, 4))
    with django_assert_max_num_queries(14):
        rows = compliance_for_teams(teams=teams, period=MARCH, today=TODAY)
    totals = rollup(rows)
    assert totals["R10"][MET] == 5
    assert totals["R10"][MISSED] == 7


def test_months_before_the_term_are_not_counted():
    team = factories.staffed_team(term_start=date(2026, 3, 20), term_end=date(2028, 3, 20))
    q1 = result(team, period_containing(QUARTER, date(2026, 1, 1)), "R10")
    assert q1.required == 1
    assert result(team, MARCH, "R12").required == len(
        [d for d in range(20, 32) if (date(2026, 3, 1) + timedelta(days=d - 1)).weekday() == 0]
    )
