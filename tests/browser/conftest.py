"""Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import threading
import time

import pytest

from tests.conftest import chromium_path

# Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
# around it are still synchronous, so Django's async guard must be lifted for them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "pass-for-tests-123"


PROGRAM_APPS = (
    "accounts",
    "teams",
    "attendance",
    "households",
    "reports",
    "assessments",
    "dashboards",
    "mobile",
)


def replay_data_migrations() -> None:
    """Run every RunPython step of the program's migrations again (they are idempotent).

    Browser tests need real transactions, and the flush after each one empties the rows
    that data migrations seeded (policies, leave chain, beat schedule).
    """
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan = [
        loader.graph.nodes[key]
        for leaf in loader.graph.leaf_nodes()
        if leaf[0] in PROGRAM_APPS
        for key in loader.graph.forwards_plan(leaf)
        if key[0] in PROGRAM_APPS
    ]
    seen = set()
    for migration in plan:
        if (migration.app_label, migration.name) in seen:
            continue
        seen.add((migration.app_label, migration.name))
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                operation.code(apps, None)


def _quiet_live_server(request, timeout: float = 10) -> None:
    """Close every browser context and wait for the live server's requests to finish.

    The phone app's pages send in the background (sync, service worker); a request still
    running while the test database is flushed deadlocks the flush on PostgreSQL.
    """
    if "browser" in request.fixturenames or request.node.get_closest_marker("browser"):
        try:
            browser = request.getfixturevalue("browser")
        except pytest.skip.Exception:
            return
        for context in list(browser.contexts):
            context.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(
        thread.name.endswith("(process_request_thread)") for thread in threading.enumerate()
    ):
        time.sleep(0.05)


@pytest.fixture(autouse=True)
def _seeded_rows(request):
    if request.node.get_closest_marker("browser"):
        request.getfixturevalue("transactional_db")
        replay_data_migrations()
    yield
    if request.node.get_closest_marker("browser"):
        _quiet_live_server(request)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package.")
        pytest.skip("Chromium is not installed (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Log in through the real form, as a person does."""

    def _login(user, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return _login
