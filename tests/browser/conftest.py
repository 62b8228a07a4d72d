"""Playwright driving Debian's Chromium against pytest-django's live server."""

import os

import pytest

from tests.conftest import chromium_path

# Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
# around it are still synchronous, so Django's async guard must be lifted for them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "pass-for-tests-123"


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
