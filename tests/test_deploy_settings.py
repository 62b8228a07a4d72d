"""Production settings pass Django's deployment checklist with no warning."""

import os
import subprocess
import sys

from django.conf import settings


def test_check_deploy_has_no_warnings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k3y-" + "x9Q!z" * 12,
        "ALLOWED_HOSTS": "zhucun.example.gov.cn",
        "DATABASE_URL": "postgres://zhucun:secret@db.internal:5432/zhucun",
        "REDIS_URL": "redis://redis.internal:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
