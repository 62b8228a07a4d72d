"""Each role opens the app on a phone and finds the day's work on the home page; the office
drills from the city to one team in the cockpit. Screenshots go to var/screenshots/ (CI
keeps them as artifacts)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from households.models import PovertyStatus, Zone
from tests import factories
from tests.attendance.factories import ask_leave
from tests.households.factories import HouseholdFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
TODAY = timezone.localdate()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def city():
    """Two banners, a team in each with households and coordinates; leave waiting."""
    team = factories.staffed_team(name="乌兰嘎查驻村工作队", village__name="乌兰嘎查")
    other = factories.staffed_team(name="巴音嘎查驻村工作队", village__name="巴音嘎查")
    for index, village in enumerate((team.village, other.village)):
        village.latitude = Decimal("39.6") + Decimal(index) / 10
        village.longitude = Decimal("109.8") + Decimal(index) / 10
        village.save()
        for n in range(5):
            HouseholdFactory(
                village=village,
                zone=(Zone.RED, Zone.YELLOW, Zone.GREEN)[n % 3],
                poverty_status=PovertyStatus.REGISTERED if n % 2 else PovertyStatus.GENERAL,
            )
    ask_leave(factories.a_member_of(team), "1", start=TODAY + timedelta(days=8))
    return team, other


def people(team):
    village = team.village
    return {
        "member": factories.a_member_of(team),
        "leader": factories.leader_of(team),
        "supervisor": factories.supervisor_of(team),
        "unit": factories.unit_contact_of(team.unit),
        "township": factories.area_staff(township=village.township, is_head=True),
        "village": factories.area_staff(village=village, is_head=True),
        "office": factories.office_user(),
    }


def test_each_role_finds_the_day_on_the_phone_home_page(page, login, city, live_server):
    team, _other = city
    users = people(team)
    page.set_viewport_size({"width": 360, "height": 780})
    for role, user in users.items():
        page.context.clear_cookies()
        login(user)
        page.goto("/")
        bench = page.get_by_test_id("workbench")
        assert bench.is_visible(), role
        assert no_sideways_scroll(page), role
        shot(page, f"workbench-{role}-phone")
        if role in ("member", "leader"):
            assert page.get_by_test_id("wb-checkin-button").is_visible()
            assert page.get_by_test_id("wb-visits_due-count").inner_text() == "5"
        if role == "leader":
            assert page.get_by_test_id("wb-approvals-count").inner_text() == "1"
            page.get_by_test_id("wb-approvals").click()
            assert page.get_by_test_id("inbox-item").count() == 1
            assert "家中有事" in page.get_by_test_id("inbox-reason").inner_text()
        if role == "township":
            assert page.get_by_test_id("wb-households-count").inner_text() == "5"
        if role == "office":
            page.get_by_test_id("wb-cockpit").click()
            page.wait_for_selector("#chart-trend[data-ready='1']")
            assert no_sideways_scroll(page)
            shot(page, "cockpit-office-phone")


def test_member_checks_in_with_the_big_button(page, login, city):
    team, _other = city
    login(factories.a_member_of(team))
    page.goto("/")
    page.get_by_test_id("wb-checkin-button").click()
    page.goto("/")
    assert page.get_by_test_id("wb-checked-in").is_visible()
    assert f"{timezone.localtime():%H}" in page.get_by_test_id("wb-checked-in").inner_text()


def test_office_drills_from_the_city_to_one_team(page, login, city):
    team, _other = city
    village = team.village
    page.set_viewport_size({"width": 1366, "height": 900})
    login(factories.office_user())
    page.goto("/dashboards/")
    page.wait_for_selector("#chart-map[data-ready='1']")
    assert page.get_by_test_id("cockpit-row").count() == 2
    assert page.get_by_test_id("kpi-unpaired").inner_text() == "4"  # R33
    shot(page, "drill-1-city")

    steps = [
        (village.township.banner.name, "drill-2-banner"),
        (village.township.name, "drill-3-township"),
        (village.name, "drill-4-village"),
    ]
    for name, picture in steps:
        page.get_by_test_id("cockpit-table").get_by_role("link", name=name).click()
        page.wait_for_selector("#chart-trend[data-ready='1']")
        assert page.get_by_test_id("cockpit-node").inner_text() == name
        shot(page, picture)
    assert page.get_by_test_id("cockpit-row").count() == 1
    total = page.get_by_test_id("cockpit-total").inner_text()
    assert "5" in total
    page.get_by_test_id("team-link").click()
    assert page.get_by_test_id("team-name").inner_text() == team.name
    shot(page, "drill-5-team")


def test_cockpit_table_sorts_and_exports(page, login, city):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(factories.office_user())
    page.goto("/dashboards/")
    header = page.get_by_test_id("cockpit-table").locator("thead button").nth(0)
    header.click()
    first = page.get_by_test_id("cockpit-row").first.get_attribute("data-key")
    header.click()
    assert page.get_by_test_id("cockpit-row").first.get_attribute("data-key") != first
    with page.expect_download() as download:
        page.get_by_test_id("cockpit-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
