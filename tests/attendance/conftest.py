import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Services' messages are matched in English; pages still render in zh-hans."""
    with translation.override("en"):
        yield
