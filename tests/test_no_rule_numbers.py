"""No rule number (R10, R22 ...) in the text a user reads outside the admin (issue 13).

Renders every page without an id for every role, and the detail pages of a team with
leave, a report, households and a ledger record, and fails on ``R`` followed by digits in
the visible text. The office may still see rule numbers in the admin's help text.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.accounts.test_access_matrix import ROLES, people  # noqa: F401 (fixture)
from tests.accounts.test_every_page import PLAIN_URLS

pytestmark = pytest.mark.django_db

RULE_NUMBER = re.compile(r"(?<![A-Za-z0-9])R\d+\b")
EXTRA_URLS = ["/", "/dashboards/", "/attendance/leave/calendar/"]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<[^>]+>", " ", html)
    return html


def rule_numbers(client, url: str) -> list[str]:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    return RULE_NUMBER.findall(visible_text(response.content.decode()))


@pytest.fixture
def detail_urls(team, people):  # noqa: F811
    from tests.attendance.factories import ask_leave
    from tests.households.factories import HouseholdFactory
    from tests.reports.factories import LedgerRecordFactory, ReportFactory

    leave = ask_leave(people["member"], "1", start=timezone.localdate() + timedelta(days=9))
    report = ReportFactory(team=team)
    household = HouseholdFactory(village=team.village)
    record = LedgerRecordFactory(team=team)
    today = timezone.localdate()
    return [
        reverse("teams:team_detail", args=[team.pk]),
        reverse("teams:cadre_detail", args=[team.memberships.first().cadre_id]),
        reverse("attendance:leave_detail", args=[leave.pk]),
        reverse("attendance:team_month", args=[team.pk, today.year, today.month]),
        reverse("reports:report_detail", args=[report.pk]),
        reverse("reports:ledger_detail", args=[record.pk]),
        reverse("households:household_detail", args=[household.pk]),
        reverse("households:team_coverage", args=[team.pk]),
    ]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_no_rule_number_on_any_page(client, people, detail_urls, role, lang):  # noqa: F811
    client.force_login(people[role])
    found = {}
    with translation.override(lang):
        client.cookies["django_language"] = lang
        for url in PLAIN_URLS + EXTRA_URLS + detail_urls:
            numbers = rule_numbers(client, url)
            if numbers:
                found[url] = sorted(set(numbers))
    assert not found, found
