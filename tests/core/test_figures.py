"""core.figures: every app's figures of a team or cadre, hand-counted on small fixtures."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from attendance.models import AttendanceDay, CheckIn, DaySource, DayStatus
from core.figures import cadre_figures, team_figures
from households.models import Pairing, PovertyStatus
from reports.models import CaseStatus, Errand, ErrandStatus, LedgerKind, ReportStatus
from teams.models import Membership, MembershipRole
from tests import factories
from tests.households.factories import HouseholdFactory, VisitFactory
from tests.reports.factories import LedgerRecordFactory, ReportFactory

pytestmark = pytest.mark.django_db
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
Q1 = (date(2026, 1, 1), date(2026, 3, 31))
TZ = ZoneInfo("Asia/Shanghai")


def _cadres(team):
    leader = team.memberships.get(role=MembershipRole.LEADER).cadre
    member = team.memberships.filter(role=MembershipRole.MEMBER).order_by("pk").first().cadre
    return leader, member


def _days(team, cadre, first: date, count: int, status: str) -> None:
    AttendanceDay.objects.bulk_create(
        AttendanceDay(
            team=team,
            cadre=cadre,
            date=first + timedelta(days=i),
            status=status,
            source=DaySource.LEADER,
        )
        for i in range(count)
    )


@pytest.fixture
def team(db):
    return factories.staffed_team(members=1)


@pytest.fixture
def attendance(team):
    """March 2026: the leader 22 service days (20 in village, 2 official), one day of leave,
    one absence; the member 5 days; a newcomer from 17 March (15 of 31 days) 10 days."""
    leader, member = _cadres(team)
    newcomer = factories.MembershipFactory(team=team, start_date=date(2026, 3, 17)).cadre
    _days(team, leader, date(2026, 3, 1), 20, DayStatus.IN_VILLAGE)
    _days(team, leader, date(2026, 3, 21), 2, DayStatus.OFFICIAL)
    _days(team, leader, date(2026, 3, 23), 1, DayStatus.LEAVE_PERSONAL)
    _days(team, leader, date(2026, 3, 24), 1, DayStatus.ABSENT)
    _days(team, member, date(2026, 3, 1), 5, DayStatus.IN_VILLAGE)
    _days(team, newcomer, date(2026, 3, 17), 10, DayStatus.IN_VILLAGE)
    for cadre, day in ((leader, 1), (leader, 2), (member, 1)):
        CheckIn.objects.create(
            team=team,
            cadre=cadre,
            date=date(2026, 3, day),
            at=datetime(2026, 3, day, 9, tzinfo=TZ),
        )
    # Another team's days never leak into this one's figures.
    other = factories.staffed_team(members=0)
    _days(other, _cadres_leader(other), date(2026, 3, 1), 3, DayStatus.IN_VILLAGE)
    return leader, member, newcomer


def _cadres_leader(team):
    return team.memberships.get(role=MembershipRole.LEADER).cadre


def test_r20_team_attendance_figures(team, attendance):
    figures = team_figures(team_ids=[team.pk], start=MARCH[0], end=MARCH[1])[team.pk]
    assert figures["attendance.service_days"] == 37  # 22 + 5 + 10
    # R20: 20 + 20 + 20 x 15/31 (a membership from the 17th) rounded = 50.
    assert figures["attendance.required_days"] == Decimal(50)
    assert figures["attendance.months"] == 1
    assert figures["attendance.months_met_r20"] == 0  # the member missed March
    assert figures["attendance.leave_days"] == 1
    assert figures["attendance.unapproved_absence_days"] == 1
    assert figures["attendance.checkin_days"] == 3


def test_r20_cadre_attendance_figures(team, attendance):
    leader, member, newcomer = attendance
    figures = cadre_figures(
        cadre_ids=[leader.pk, member.pk, newcomer.pk], start=MARCH[0], end=MARCH[1]
    )
    assert figures[leader.pk]["attendance.service_days"] == 22
    assert figures[leader.pk]["attendance.required_days"] == Decimal(20)
    assert figures[leader.pk]["attendance.months_met_r20"] == 1
    assert figures[leader.pk]["attendance.checkin_days"] == 2
    assert figures[member.pk]["attendance.months_met_r20"] == 0
    assert figures[newcomer.pk]["attendance.required_days"] == Decimal(10)
    assert figures[newcomer.pk]["attendance.months_met_r20"] == 1


def test_official_business_stops_counting_when_the_policy_says_so(team, attendance):
    from teams.models import Policy

    Policy.objects.create(key="attendance_official_counts", value=0, effective_from=MARCH[0])
    figures = team_figures(team_ids=[team.pk], start=MARCH[0], end=MARCH[1])[team.pk]
    assert figures["attendance.service_days"] == 35  # the leader's 2 official days drop


@pytest.fixture
def households(team):
    """Four households; R13 window 1-15 January (term from 1 January)."""
    leader, member = _cadres(team)
    plain = HouseholdFactory(village=team.village)
    poor_paired = HouseholdFactory(village=team.village, poverty_status=PovertyStatus.REGISTERED)
    HouseholdFactory(village=team.village, poverty_status=PovertyStatus.MONITORED)  # unpaired
    dispute = HouseholdFactory(village=team.village, is_dispute=True)
    Pairing.objects.create(household=poor_paired, cadre=leader, start_date=date(2026, 1, 10))
    first = VisitFactory(household=plain, team=team, date=date(2026, 1, 5))
    first.visitors.set([leader])
    VisitFactory(household=plain, team=team, date=date(2026, 3, 10)).visitors.set([member])
    VisitFactory(household=poor_paired, team=team, date=date(2026, 1, 20)).visitors.set([leader])
    VisitFactory(household=dispute, team=team, date=date(2026, 2, 1))
    # Elsewhere: another village's household and visit.
    VisitFactory(date=date(2026, 2, 2))
    return leader, member


def test_r13_r15_r33_team_household_figures(team, households):
    figures = team_figures(team_ids=[team.pk], start=Q1[0], end=Q1[1])[team.pk]
    assert figures["households.households"] == 4
    assert figures["households.visits"] == 4
    assert figures["households.r13_met"] == 1  # only the visit of 5 January is in time
    assert figures["households.r13_due"] == 4
    assert figures["households.r14_coverage"] == 0.25  # one household has its 2 visits
    assert figures["households.r15_key_met"] == 2  # poor paired and dispute, not the other
    assert figures["households.r15_key_due"] == 3
    assert figures["households.poor_total"] == 2
    assert figures["households.poor_unpaired"] == 1


def test_cadre_household_figures(team, households):
    leader, member = households
    figures = cadre_figures(cadre_ids=[leader.pk, member.pk], start=Q1[0], end=Q1[1])
    assert figures[leader.pk]["households.visits"] == 2
    assert figures[leader.pk]["households.paired_households"] == 1
    assert figures[member.pk]["households.visits"] == 1
    assert figures[member.pk]["households.paired_households"] == 0


@pytest.fixture
def ledger(team):
    leader, member = _cadres(team)
    record = LedgerRecordFactory
    studies = [
        record(team=team, kind=LedgerKind.STUDY, date=date(2026, 1, 5)),
        record(team=team, kind=LedgerKind.STUDY, date=date(2026, 1, 20)),
        record(team=team, kind=LedgerKind.STUDY, date=date(2026, 2, 5)),
        record(team=team, kind=LedgerKind.STUDY, date=date(2026, 3, 5)),
        record(team=team, kind=LedgerKind.STUDY, date=date(2026, 3, 25)),
    ]
    for study in studies[:2]:
        study.participants.set([leader])
    record(team=team, kind=LedgerKind.SERVICE_DAY, date=date(2026, 1, 6))
    record(team=team, kind=LedgerKind.SERVICE_DAY, date=date(2026, 1, 13))
    record(team=team, kind=LedgerKind.SERVICE_DAY, date=date(2026, 4, 1))  # after Q1
    record(team=team, kind=LedgerKind.DIARY, date=date(2026, 2, 1))
    record(team=team, kind=LedgerKind.RESEARCH, date=date(2026, 2, 1), cadre=leader)
    record(team=team, kind=LedgerKind.TRAINING, date=date(2026, 1, 15))
    record(team=team, kind=LedgerKind.TRAINING, date=date(2026, 3, 15))
    record(team=team, kind=LedgerKind.COLLECTIVE, date=date(2026, 2, 1), is_stable_income=True)
    record(team=team, kind=LedgerKind.COLLECTIVE, date=date(2026, 2, 2))
    for benefiting in (80, 79):  # R30: 80% reaches the share, 79% does not
        record(
            team=team,
            kind=LedgerKind.PRACTICAL,
            date=date(2026, 2, 3),
            households_benefiting=benefiting,
            village_households=100,
        )
    record(
        team=team,
        kind=LedgerKind.DISPUTE,
        date=date(2026, 1, 3),
        case_status=CaseStatus.RESOLVED,
        resolved_on=date(2026, 2, 10),
    )
    record(team=team, kind=LedgerKind.DISPUTE, date=date(2026, 3, 5))
    Errand.objects.create(
        team=team,
        requester="村民甲",
        description="代办低保材料",
        accepted_on=date(2026, 1, 10),
        status=ErrandStatus.DONE,
        done_on=date(2026, 2, 1),
    )
    Errand.objects.create(
        team=team,
        requester="村民乙",
        description="咨询医保",
        accepted_on=date(2026, 3, 1),
        status=ErrandStatus.IN_PROGRESS,
    )
    Errand.objects.create(
        team=team, requester="村民丙", description="四月的事", accepted_on=date(2026, 4, 5)
    )
    ReportFactory(
        team=team,
        kind="work_plan",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        deadline=date(2026, 1, 10),
        status=ReportStatus.SUBMITTED,
        submitted_at=datetime(2026, 1, 9, 10, tzinfo=TZ),
    )
    ReportFactory(
        team=team,
        kind="quarterly",
        period_start=date(2025, 10, 1),
        period_end=date(2025, 12, 31),
        deadline=date(2026, 3, 10),
        status=ReportStatus.SUBMITTED,
        submitted_at=datetime(2026, 3, 12, 10, tzinfo=TZ),
    )
    ReportFactory(
        team=team,
        kind="half_year",
        period_start=date(2025, 7, 1),
        period_end=date(2025, 12, 31),
        deadline=date(2026, 3, 20),
    )
    return leader, member


def test_r10_r12_r16_r19_r26_r29_r30_team_ledger_figures(team, ledger):
    figures = team_figures(team_ids=[team.pk], start=Q1[0], end=Q1[1])[team.pk]
    assert figures["reports.r10_months_met"] == 2  # February had one study, not two
    assert figures["reports.r10_months"] == 3
    assert figures["reports.r12_service_weeks_met"] == 2
    assert figures["reports.r12_service_weeks"] == 13  # Mondays 5 January .. 30 March
    assert figures["reports.diary_entries"] == 1
    assert figures["reports.research_reports"] == 1
    assert figures["reports.trainings"] == 2
    assert figures["reports.collective_projects"] == 1
    assert figures["reports.practical_projects"] == 1
    assert figures["reports.errands_open"] == 1
    assert figures["reports.errands_done"] == 1
    assert figures["reports.disputes_open"] == 1
    assert figures["reports.disputes_resolved"] == 1
    assert figures["reports.reports_on_time"] == 1
    assert figures["reports.reports_late"] == 2  # one submitted late, one never


def test_cadre_ledger_figures(team, ledger):
    leader, member = ledger
    figures = cadre_figures(cadre_ids=[leader.pk, member.pk], start=Q1[0], end=Q1[1])
    assert figures[leader.pk]["reports.research_reports"] == 1
    assert figures[leader.pk]["reports.ledger_records"] == 2
    assert figures[member.pk]["reports.ledger_records"] == 0


def test_figures_of_many_teams_cost_a_constant_number_of_queries(
    django_assert_max_num_queries, team, attendance, households, ledger
):
    teams = [team] + [factories.staffed_team(members=2) for _ in range(5)]
    ids = [t.pk for t in teams]
    with django_assert_max_num_queries(30):
        figures = team_figures(team_ids=ids, start=Q1[0], end=Q1[1])
    assert set(figures) == set(ids)
    cadre_ids = list(Membership.objects.filter(team__in=teams).values_list("cadre_id", flat=True))
    with django_assert_max_num_queries(15):
        by_cadre = cadre_figures(cadre_ids=cadre_ids, start=Q1[0], end=Q1[1])
    assert set(by_cadre) == set(cadre_ids)
