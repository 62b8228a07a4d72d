"""Production: PostgreSQL and Redis from the environment, HTTPS only."""

from .base import *  # noqa: F403
from .base import env, postgresql_options

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": postgresql_options(env.db("DATABASE_URL"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A connection the server dropped (restart, failover) is replaced before a request uses it,
# instead of answering 500 once per worker (issue 11, finding 12).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CELERY_BROKER_URL = env("REDIS_URL")
# Cache (roles, kept figures) and sessions in Redis, shared by every web node; sessions
# also written to the database (cached_db), so a Redis restart logs nobody out.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default=env("REDIS_URL")),
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="zhucun"),
    }
}
if CACHES["default"]["LOCATION"] == "locmem://":  # one process only: the harness's CI run
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Static files from gunicorn itself, compressed and with hashed names (WhiteNoise), so a
# deployment without a proxy serving /static/ still styles its pages (issue 11, finding 16).
MIDDLEWARE = [
    MIDDLEWARE[0],  # noqa: F405 - SecurityMiddleware first
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.storage.StaticStorage"},
}
