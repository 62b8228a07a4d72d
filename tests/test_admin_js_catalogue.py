"""The admin's JavaScript speaks Chinese where Django's own catalogue is silent (issue 13):
the project's djangojs catalogue fills the strings of the two-box selector."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_js_catalogue_has_the_selector_strings(client, office):
    client.force_login(office)
    script = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = script.content.decode("unicode_escape")
    assert "选择全部%s" in text
    assert "移除所选%s" in text
    assert "（点击清除）" in text
