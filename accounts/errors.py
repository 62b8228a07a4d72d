"""Errors that services raise; their message is shown to the user as it is."""


class DomainError(Exception):
    """A rule refused the action. ``message`` is translated and user-facing."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(DomainError):
    """The user may not take this step; views answer 403 with the message."""
