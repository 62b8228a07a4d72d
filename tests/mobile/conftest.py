import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Services' messages are matched in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """Pages answer in English here, so that messages can be matched."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
