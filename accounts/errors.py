"""Errors that services raise; their message is shown to the user as it is."""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule refused the action. ``message`` is translated and user-facing."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(PermissionDenied):
    """The user may not take this step. Being Django's PermissionDenied, it reaches the
    user as a 403 page that says why, wherever a view lets it through."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
