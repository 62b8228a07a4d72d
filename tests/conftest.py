import os
import shutil

import pytest

from tests import factories


def pytest_collection_modifyitems(config, items):
    """Timing runs on large data (marked ``bench``) run only when asked: ``-m bench``."""
    if "bench" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="a timing run: make bench (pytest -m bench)")
    for item in items:
        if item.get_closest_marker("bench"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def team(db):
    return factories.staffed_team()


@pytest.fixture
def other_team(db):
    return factories.staffed_team()


@pytest.fixture
def office(db):
    return factories.office_user()


def chromium_path() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )
