"""Login, throttling (django-axes) and the password validators."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

from tests import factories

pytestmark = pytest.mark.django_db


def test_login_with_right_password_reaches_home(client):
    user = factories.UserFactory(username="zhangsan")
    response = client.post(
        "/accounts/login/",
        {"username": "zhangsan", "password": "pass-for-tests-123"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == user


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_login(client):
    factories.UserFactory(username="lisi")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "lisi", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "lisi", "password": "pass-for-tests-123"}
    )
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_weak_passwords_are_refused():
    with pytest.raises(ValidationError):
        validate_password("12345678")
