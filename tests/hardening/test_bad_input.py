"""Issue 11 finding 13: a corpus of bad input against every page, parameter and form.

The query parameters are found by watching which ones each page reads; the forms by
reading every ``<form method="post">`` the crawl renders. Each gets every value of the
corpus: the answer is never a 500, and a refused POST writes nothing.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.utils.functional import cached_property

from teams.models import Team
from tests.hardening.crawl import all_routes, urls_for
from tests.hardening.test_crawl import AUDIT_MODELS, row_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_media_root")]

NASTY = [
    "\x00",
    "a\x00b",
    "9999-12-31",
    "9999-12",
    "0001-01-01",
    "0001Q1",
    "9999Q4",
    "2026Q9",
    "2026-13-45",
    "99999999999999999999999",
    "-1",
    "-999999",
    "1e309",
    "NaN",
    "999",
    "x" * 5000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202e\ufeff",
]


# Forms get the values that reach the database: dates, numbers and length.
FORM_NASTY = [
    "a\x00b",
    "9999-12-31",
    "0001-01-01",
    "99999999999999999999999",
    "-1",
    "1e309",
    "x" * 5000,
    "' OR 1=1 --",
]


class RecordingQueryDict(QueryDict):
    seen: set[str] = set()

    def get(self, key, default=None):
        RecordingQueryDict.seen.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        RecordingQueryDict.seen.add(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        RecordingQueryDict.seen.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        RecordingQueryDict.seen.add(key)
        return super().__contains__(key)


@pytest.fixture
def recording_get(monkeypatch):
    def GET(self):  # noqa: N802 - Django's name
        return RecordingQueryDict(self.environ.get("QUERY_STRING", ""))

    prop = cached_property(GET)
    prop.__set_name__(WSGIRequest, "GET")
    monkeypatch.setattr(WSGIRequest, "GET", prop)


def page_urls():
    """One URL per route (the first sample): parameters parse the same for every row."""
    team = Team.objects.filter(memberships__cadre__user__username="leader").first()
    for route, name in all_routes():
        yield from urls_for(route, name, team=team)[:1]


class FormFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = (attrs.get("action") or "", {})
        elif self._current is not None and tag in ("input", "select", "textarea"):
            name = attrs.get("name")
            kind = (attrs.get("type") or "").lower()
            if name and name != "csrfmiddlewaretoken" and kind != "file":
                self._current[1][name] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self._current is not None:
            self.forms.append(self._current)
            self._current = None


@pytest.mark.parametrize("login", ["office", "leader"])
def test_every_query_parameter_of_every_page_survives_the_corpus(
    client, demo_city, recording_get, login
):
    client.force_login(demo_city[login])
    client.raise_request_exception = False
    failures = []
    for url in page_urls():
        RecordingQueryDict.seen = set()
        if client.get(url).status_code >= 500:
            failures.append((url, "plain"))
            continue
        params = sorted(RecordingQueryDict.seen)
        if not params:
            continue
        for value in NASTY:  # every parameter the page reads at once
            response = client.get(url, dict.fromkeys(params, value))
            if response.status_code >= 500:
                failures.append((url, params, value[:20]))
    print("\n".join(map(str, failures)))
    assert failures == []


@pytest.mark.parametrize("login", ["office", "leader"])
def test_every_form_refuses_the_corpus_without_a_500_or_a_write(client, demo_city, login):
    client.force_login(demo_city[login])
    client.raise_request_exception = False
    forms: dict[str, dict[str, str]] = {}
    for url in page_urls():
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        finder = FormFinder()
        finder.feed(response.content.decode())
        for action, fields in finder.forms:
            target = action or url
            if re.search(r"logout|i18n|setlang", target):
                continue
            forms.setdefault(target.split("?")[0], fields)
    assert len(forms) > 10
    failures = []
    for target, fields in forms.items():
        for value in FORM_NASTY:
            before = row_counts()
            data = {name: value for name in fields}
            response = client.post(target, data)
            if response.status_code >= 500:
                failures.append((target, value[:20], response.status_code))
                continue
            if response.status_code != 302:
                after = row_counts()
                changed = {k for k in after if after[k] != before[k]} - AUDIT_MODELS
                if changed:
                    failures.append((target, value[:20], "wrote on refusal", changed))
    print("\n".join(map(str, failures)))
    assert failures == []
