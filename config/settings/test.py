"""Settings for pytest: SQLite unless DATABASE_URL points elsewhere; tasks run eagerly."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
DEBUG = False
ALLOWED_HOSTS = ["*"]
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default=None)}  # noqa: F405
