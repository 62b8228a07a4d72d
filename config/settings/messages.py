"""Only for `make messages`: without LOCALE_PATHS, makemessages run inside an app writes
that app's own catalogue (<app>/locale), so each app keeps its translations beside it."""

from .local import *  # noqa: F403

LOCALE_PATHS: list = []
