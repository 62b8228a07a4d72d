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


def full_clean_or_refuse(instance, **kwargs) -> None:
    """Run the model's own checks; a failure is a DomainError with every message, so the
    user reads why instead of meeting a server error."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
