"""Every page without an id in its URL opens for every role or refuses it cleanly.

A crawler over the URL configuration, so a page added later is covered without a new
test: each role gets 200, a redirect, 403 or 404 (never a 500), and an anonymous visitor
is always sent to the login page.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.accounts.test_access_matrix import ROLES, people  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

APPS = ("teams", "attendance", "households", "reports", "assessments")


def _plain_urls() -> list[str]:
    urls = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = str(entry.pattern)
            if "<" in route or "(?P" in route:
                continue
            if isinstance(entry, URLResolver):
                if entry.namespace in APPS or (prefix and prefix.strip("/") in APPS):
                    walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern) and prefix:
                urls.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(urls))


PLAIN_URLS = _plain_urls()


def test_crawler_finds_the_pages():
    assert "/teams/" in PLAIN_URLS
    assert len(PLAIN_URLS) >= 5


@pytest.mark.parametrize("url", PLAIN_URLS)
@pytest.mark.parametrize("role", ROLES)
def test_page_opens_or_refuses_cleanly(client, people, role, url):  # noqa: F811
    client.force_login(people[role])
    response = client.get(url)
    assert response.status_code in (200, 302, 403, 404, 405), (role, url, response.status_code)


@pytest.mark.parametrize("url", PLAIN_URLS)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    if response.status_code != 405:  # POST-only endpoints
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
