"""The cockpit: its charts and its table are the same figures, and both equal what the
middle apps' own pages say; it drills from the city to one team inside the user's scope."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from attendance import selectors as attendance_selectors
from attendance.models import AttendanceDay, AttendanceSheet, DayStatus, SheetStatus
from dashboards.cockpit import cockpit
from households import selectors as household_selectors
from households.models import PovertyStatus, Zone
from tests import factories
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_MONTH = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)


@pytest.fixture
def city(team, other_team):
    """Two teams in two banners; households, zones, unpaired poor and last month's days."""
    for index, village in enumerate((team.village, other_team.village)):
        for n in range(3 + index):
            HouseholdFactory(
                village=village,
                zone=(Zone.RED, Zone.YELLOW, "")[n % 3],
                poverty_status=PovertyStatus.REGISTERED if n % 2 else PovertyStatus.GENERAL,
            )
    # R20: the team's cadres were in the village 22 days last month; its sheet is issued.
    AttendanceSheet.objects.create(team=team, month=LAST_MONTH, status=SheetStatus.ISSUED)
    memberships = list(team.memberships.all())
    days = [LAST_MONTH + timedelta(days=i) for i in range(22)]
    AttendanceDay.objects.bulk_create(
        AttendanceDay(
            cadre_id=membership.cadre_id,
            team=team,
            date=day,
            status=DayStatus.IN_VILLAGE,
            source="leader",
        )
        for membership in memberships[:2]
        for day in days
    )
    return team, other_team


def _page(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("dashboards:cockpit") + query)
    assert response.status_code == 200
    html = response.content.decode()
    chart = json.loads(re.search(r'id="cockpit-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    return html, chart


def _table(html):
    """The table's cells by row name and column, as the page shows them."""
    rows = {}
    for row in re.findall(r'<tr data-testid="cockpit-row".*?</tr>', html, re.S):
        name = re.search(r'<th[^>]*data-value="([^"]*)"', row).group(1)
        rows[name] = dict(re.findall(r'data-column="(\w+)" data-value="([^"]*)"', row))
    return rows


def test_charts_draw_the_table_figures(client, office, city):
    html, chart = _page(client, office)
    table = _table(html)
    assert chart["names"] and set(chart["names"]) == set(table)
    for index, name in enumerate(chart["names"]):
        row = table[name]
        assert chart["zones"]["red"][index] == int(row["red"])
        assert chart["zones"]["yellow"][index] == int(row["yellow"])
        assert chart["unpaired"][index] == int(row["unpaired"])
        assert chart["away"][index] == int(row["away_today"])
        assert chart["reports"]["late"][index] == int(row["reports_late"])
        coverage = chart["coverage"][index]
        assert (coverage is None and row["coverage_pct"] == "") or coverage == float(
            row["coverage_pct"]
        )


def test_cockpit_figures_equal_the_middle_apps_pages(office, city):
    data = cockpit(user=office)
    total = data.total.figures
    # R33: the unpaired list.
    assert total["unpaired"] == household_selectors.unpaired_poor_households(user=office).count()
    # R13-R15: the city coverage page.
    coverage = household_selectors.city_coverage(user=office)["by_banner"]
    assert total["households"] == sum(row["total"] for row in coverage) == 7
    assert total["visited_yearly"] == sum(row["yearly"] for row in coverage)
    # R20: the compliance page, with cadres of teams without a sheet apart (not failing).
    rows = attendance_selectors.compliance_list(user=office, month=LAST_MONTH)
    with_sheet = [row for row in rows if row.sheet_status]
    assert total["met"] == sum(1 for row in with_sheet if row.met) == 2
    assert total["below"] == sum(1 for row in with_sheet if not row.met) == 1
    assert total["no_sheet"] == len(rows) - len(with_sheet) == 3
    assert data.total.compliance_pct == round(100 * 2 / 3, 1)
    assert data.total.trend[-1] == data.total.compliance_pct


def test_total_row_sums_the_rows(client, office, city):
    data = cockpit(user=office)
    for column, value in data.total.figures.items():
        assert value == sum(row.figures[column] for row in data.rows), column


def test_office_drills_from_the_city_to_one_team(client, office, city):
    team, _other = city
    village = team.village
    html, chart = _page(client, office)
    assert chart["level"] == "banner" and village.township.banner_id in chart["keys"]
    html, chart = _page(client, office, f"?level=banner&id={village.township.banner_id}")
    assert chart["keys"] == [village.township_id]
    html, chart = _page(client, office, f"?level=township&id={village.township_id}")
    assert chart["keys"] == [village.pk]
    html, chart = _page(client, office, f"?level=village&id={village.pk}")
    assert chart["level"] == "team" and chart["keys"] == [team.pk]
    assert reverse("teams:team_detail", args=[team.pk]) in html
    assert _table(html)[team.name]["red"] == "1"


def test_supervisor_sees_only_their_teams_and_not_another_banner_by_id(client, city):
    team, other_team = city
    supervisor = factories.supervisor_of(team)
    data = cockpit(user=supervisor)
    assert [row.key for row in data.rows] == [team.village.township.banner_id]
    assert data.total.figures["households"] == 3
    client.force_login(supervisor)
    other_banner = other_team.village.township.banner_id
    response = client.get(reverse("dashboards:cockpit") + f"?level=banner&id={other_banner}")
    assert response.status_code == 404
    response = client.get(
        reverse("dashboards:cockpit") + f"?level=village&id={other_team.village_id}"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["leader", "member"])
def test_cadres_have_no_cockpit(client, team, role):
    user = factories.leader_of(team) if role == "leader" else factories.a_member_of(team)
    client.force_login(user)
    assert client.get(reverse("dashboards:cockpit")).status_code == 403


def test_excel_has_title_frozen_header_filter_and_total(client, office, city):
    client.force_login(office)
    response = client.get(reverse("dashboards:cockpit") + "?format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    assert "2026" in sheet["A1"].value or str(TODAY.year) in sheet["A1"].value
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref.startswith("A2:")
    last = [cell.value for cell in sheet[sheet.max_row]]
    data = cockpit(user=office)
    assert last[0] == str(data.total.name)
    assert sheet.max_row == 2 + len(data.rows) + 1
    from core.models import ExportLog

    assert ExportLog.objects.filter(user=office, kind="cockpit").exists()


def test_cockpit_queries_do_not_grow_with_rows(
    client, office, city, django_assert_max_num_queries
):
    team, other_team = city

    def queries():
        client.force_login(office)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dashboards:cockpit")).status_code == 200
        return len(captured)

    before = queries()
    for _i in range(3):
        extra = factories.staffed_team()
        for _n in range(4):
            HouseholdFactory(village=extra.village, zone=Zone.RED, poverty_status="registered")
    after = queries()
    assert after == before
    client.force_login(office)
    with django_assert_max_num_queries(40):
        client.get(reverse("dashboards:cockpit"))


def test_twelve_months_at_once_equal_the_compliance_page_month_by_month(office, city):
    """R20: the cockpit's trend reads all months in one go; each month equals the page."""
    months = [LAST_MONTH - timedelta(days=31 * n) for n in range(3)]
    months = [month.replace(day=1) for month in months]
    by_month = attendance_selectors.compliance_by_month(user=office, months=months)
    for month in months:
        single = attendance_selectors.compliance_list(user=office, month=month)
        many = by_month[month]
        assert [
            (r.team.pk, r.cadre.pk, r.service_days, r.required, r.sheet_status) for r in many
        ] == [(r.team.pk, r.cadre.pk, r.service_days, r.required, r.sheet_status) for r in single]
