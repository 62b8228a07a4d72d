"""The admin's JavaScript speaks Chinese where Django's own catalogue is silent (issue 13):
the project's djangojs catalogue fills the strings of the two-box selector."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_js_catalogue_has_the_selector_strings(client, office):
    client.force_login(office)
    script = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = script.content.decode()
    for words in ("选择全部%s", "移除所选%s", "（点击清除）"):
        assert words in text or json.dumps(words)[1:-1] in text, words
