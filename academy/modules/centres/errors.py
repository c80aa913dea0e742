"""The error the centres' services raise for an action that cannot be carried out."""

from __future__ import annotations


class CentreError(ValueError):
    """A centre action that cannot be carried out; the message is for the user.

    ``field`` names the form field the message belongs to, if any.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
