"""Every page and export, opened by every role of the demo city (issue 11, items 1, 13, 15).

One crawl over the URL configuration, so a page added later is covered without a new test:
- no GET answers 500;
- no GET writes a row (a crawl once created 33 draft sheets and an export job per visit);
- no page holds an inline script (the Content-Security-Policy would block it);
- no page or export shows an 18-digit ID number that the role may only see masked
  (DESIGN.md, Access).
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps

from households.idnumbers import full_id_village_ids
from households.models import Household, Member
from teams.models import Team
from tests.hardening.conftest import DEMO_LOGINS
from tests.hardening.crawl import ID_NUMBER, all_routes, response_text, urls_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_media_root")]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in ("accounts", "teams", "attendance", "households", "reports", "assessments")
        and model._meta.label != "accounts.User"
    }


def crawl(client, user):
    team = Team.objects.filter(memberships__cadre__user__username="leader").first()
    for route, name in all_routes():
        for url in urls_for(route, name, team=team):
            client.force_login(user)
            response = client.get(url)
            yield name, url, response


# Data for scripts (json_script) is not run, so the CSP does not concern it.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style[\s>]"
)
INLINE_HANDLER = re.compile(r"\son[a-z]+=[\"']")

# Rows a GET may write by design: every download is logged (DESIGN.md, Access), and the
# kept coverage summary is refreshed when read stale (a cache, issue 12; no user data).
AUDIT_MODELS = {"core.ExportLog", "households.VillageCoverage"}


@pytest.mark.parametrize("login", DEMO_LOGINS)
def test_every_get_as_every_role_is_clean_writes_nothing_and_masks_id_numbers(
    client, demo_city, login
):
    user = demo_city[login]
    villages_of = dict(Household.objects.values_list("head_id_number", "village_id"))
    villages_of.update(Member.objects.values_list("id_number", "household__village_id"))
    allowed = full_id_village_ids(user)
    errors, writes, leaks, inline = [], [], [], []
    before = row_counts()
    for _name, url, response in crawl(client, user):
        if response.status_code >= 500:
            errors.append((url, response.status_code))
        after = row_counts()
        changed = {k: after[k] - v for k, v in before.items() if after[k] != v}
        if set(changed) - AUDIT_MODELS:
            writes.append((url, changed))
        before = after
        if response.status_code != 200:
            continue
        if "html" in response.get("Content-Type", ""):
            html = response.content.decode()
            if INLINE_SCRIPT.search(html) or INLINE_HANDLER.search(html):
                inline.append(url)
        for number in set(ID_NUMBER.findall(response_text(response))):
            village = villages_of.get(number)
            if village is not None and allowed is not None and village not in allowed:
                leaks.append((url, number))
    assert errors == []
    assert writes == []
    assert leaks == []
    assert inline == []  # the Content-Security-Policy allows no inline script
