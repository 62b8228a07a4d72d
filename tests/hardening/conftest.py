"""The demo city, seeded once per module, for tests that crawl every page as every role."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from accounts.models import User

DEMO_LOGINS = (
    "office",
    "supervisor",
    "unit",
    "banner",
    "township",
    "village",
    "leader",
    "member",
)


@pytest.fixture(autouse=True)
def _english_messages():
    """Services' refusals read in English here, so tests can match their words."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture
def demo_media_root(settings, demo_media):
    """The demo's photos and scans stay readable in every test of the module."""
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker, demo_media):
    """Seed once; every test of the module runs inside it and the seed is rolled back after."""
    with (
        override_settings(MEDIA_ROOT=demo_media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed_demo", verbosity=0)
        yield {name: User.objects.get(username=name) for name in DEMO_LOGINS}
        transaction.set_rollback(True)
