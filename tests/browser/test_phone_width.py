"""No page scrolls sideways on a 360 px phone, for any role (issue 13, item 5).

Visits every page without an id, and the detail pages of a team with leave, a report, a
household and a ledger record, as each role, at 360 px; wide tables scroll inside their
own box or become cards, never the page.
"""

from __future__ import annotations

import pytest

from tests.accounts.test_access_matrix import people  # noqa: F401 (fixture)
from tests.accounts.test_every_page import PLAIN_URLS
from tests.test_no_rule_numbers import EXTRA_URLS, detail_urls  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_ROLES = ["office", "supervisor", "unit", "township", "village", "leader", "member"]


def _overflowing(page) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('body *'))
             .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5
                          && !e.closest('.table-responsive'))
             .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
    )


@pytest.mark.parametrize("role", PHONE_ROLES)
def test_no_page_scrolls_sideways_at_360_px(page, login, people, detail_urls, role):  # noqa: F811
    page.set_viewport_size({"width": 360, "height": 740})
    login(people[role])
    wide = {}
    for url in PLAIN_URLS + EXTRA_URLS + detail_urls:
        try:
            response = page.goto(url)
        except Exception:  # noqa: BLE001 - a download, not a page
            continue
        if response is None or "html" not in response.headers.get("content-type", ""):
            continue
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            wide[url] = _overflowing(page)
    assert not wide, wide
