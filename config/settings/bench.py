"""Benchmarks: a database of their own (city-sized demo data), kept between runs."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env, postgresql_options

DEBUG = False
ALLOWED_HOSTS = ["*"]
SECRET_KEY = "bench-only-secret-key-not-for-production-use-0123456789abcdef"
DATABASES = {
    "default": postgresql_options(
        env.db("BENCH_DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'bench.sqlite3'}")
    )
}
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
