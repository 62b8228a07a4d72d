"""Issue 11 findings 4, 5, 12 and 16: headers, the lockout behind a proxy, production static."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

from tests import factories

PROXY = "10.0.0.2"
BEHIND_PROXY = {
    "CLIENT_IP_HEADER": "X-Forwarded-For",
    "TRUSTED_PROXY_IPS": [PROXY],
    "TRUSTED_PROXY_COUNT": 1,
}


@pytest.mark.django_db
def test_every_page_sends_a_content_security_policy_without_inline_scripts(client, team):
    client.force_login(factories.leader_of(team))
    response = client.get("/attendance/")
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    html = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\son[a-z]+=\"", html) == []


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3, **BEHIND_PROXY)
def test_behind_a_proxy_an_attacker_locks_only_their_own_address(client):
    """Everyone connects from the proxy; the lockout follows the client's address."""
    factories.UserFactory(username="wangwu")
    for _ in range(3):
        client.post(
            "/accounts/login/",
            {"username": "wangwu", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    attacker = client.post(
        "/accounts/login/",
        {"username": "wangwu", "password": "pass-for-tests-123"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert attacker.status_code == 429
    owner = client.post(
        "/accounts/login/",
        {"username": "wangwu", "password": "pass-for-tests-123"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert owner.status_code == 302


@override_settings(**BEHIND_PROXY)
def test_a_forwarded_header_from_an_untrusted_address_is_ignored(rf):
    from core.clientip import client_ip

    spoofed = rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(spoofed) == "198.51.100.9"
    chained = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert client_ip(chained) == "203.0.113.5"  # the address our proxy saw, not the client's claim


def test_connections_are_health_checked():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


PRODUCTION_PAGE = """
import django, re
django.setup()
from django.test import Client
client = Client()
page = client.get("/accounts/login/", secure=True)
assert page.status_code == 200, page.status_code
css = re.search(r'href="(/static/[^"]+\\.css)"', page.content.decode()).group(1)
assert re.search(r"\\.[0-9a-f]{12}\\.css$", css), css  # hashed name
style = client.get(css, secure=True, HTTP_ACCEPT_ENCODING="gzip")
assert style.status_code == 200, (css, style.status_code)
assert style["Content-Type"].startswith("text/css"), style["Content-Type"]
print("ok", css, style.get("Content-Encoding"))
"""


def test_production_serves_its_own_hashed_static_files(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k3y-" + "x9Q!z" * 12,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PAGE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok")
