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
# SQLite tests use a file, not memory: Django shares one in-memory connection between the
# live server's threads and the test, and the phone app's background requests then
# interleave transactions on it. A file gives each thread its own connection (pytest-django
# adds each xdist worker's suffix).
_sqlite = "sqlite" in DATABASES["default"]["ENGINE"]  # noqa: F405
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": env(
        "TEST_DATABASE_NAME",
        default=str(BASE_DIR / "var" / "test-db.sqlite3") if _sqlite else None,
    )
}
