"""R34: allowance = days actually stationed x the rate in force that day, issued sheets only."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from attendance import selectors, services
from attendance.models import DayStatus
from teams.models import Policy
from tests import factories
from tests.attendance.test_days_and_sheets import MONTH, _fill, _issued

pytestmark = pytest.mark.django_db


def test_r34_allowance_across_a_rate_change_mid_month(team):
    Policy.objects.create(
        key="attendance_daily_allowance", value=120, effective_from=date(2026, 10, 16)
    )
    leader = factories.leader_of(team)
    _fill(team)
    rest = {(leader.cadre.pk, MONTH): DayStatus.REST}  # one day at the old rate off
    services.attendance_days_update(user=leader, team=team, month=MONTH, cells=rest)
    row = selectors.team_month(user=leader, team_id=team.pk, month=MONTH).rows[0]
    # 14 days at 100 (Oct 2-15) + 16 days at 120 (Oct 16-31)
    assert row.service_days == 30
    assert row.allowance == Decimal(14 * 100 + 16 * 120)


def test_r34_leave_rest_and_absence_earn_nothing(team):
    leader = factories.leader_of(team)
    cells = {
        (leader.cadre.pk, MONTH + timedelta(days=i)): status
        for i, status in enumerate(
            [DayStatus.LEAVE_PERSONAL, DayStatus.LEAVE_SICK, DayStatus.REST, DayStatus.ABSENT]
        )
    }
    services.attendance_days_update(user=leader, team=team, month=MONTH, cells=cells)
    row = selectors.team_month(user=leader, team_id=team.pk, month=MONTH).rows[0]
    assert row.allowance == 0


def test_r34_unit_summary_reads_issued_sheets_only(team, other_team, office):
    _issued(team)
    _fill(other_team)  # filled but never issued
    units = selectors.allowance_summary(user=office, month=MONTH)
    cadres = {row["cadre"].pk for unit in units for row in unit.rows}
    assert cadres == set(team.memberships.values_list("cadre_id", flat=True))
    assert sum(unit.amount for unit in units) == Decimal(3 * 31 * 100)


def test_r34_unit_contact_sees_only_own_cadres(team, other_team):
    _issued(team)
    _issued(other_team)
    contact = factories.unit_contact_of(team.unit)
    units = selectors.allowance_summary(user=contact, month=MONTH)
    assert [unit.unit_name for unit in units] == [team.unit.name]


def test_r34_allowance_excel_from_the_page(client, team, office):
    _issued(team)
    client.force_login(office)
    response = client.get("/attendance/allowance/", {"month": "2026-10", "format": "xlsx"})
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    values = [cell.value for row in ws.iter_rows() for cell in row]
    assert 9300 in values


def test_r34_allowance_page_opens_on_the_newest_issued_month_of_the_units_cadres(client, team):
    """A unit contact comes to pay: the page starts on the newest month with issued sheets."""
    _issued(team)
    client.force_login(factories.unit_contact_of(team.unit))
    page = client.get("/attendance/allowance/")
    assert page.context["month"] == MONTH
    assert sum(unit.amount for unit in page.context["units"]) == Decimal(3 * 31 * 100)
