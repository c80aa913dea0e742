"""What invitations and reset links need to know about centres, provided by the centres
feature.

A centre's coordinator invites people for their own centre: the invitation carries the
centre, the invitations page names it, and the new trainee is offered to join it. A
coordinator may give a password reset link to a trainee who shares with their centre. The
centres feature sits above accounts, so accounts neither imports it nor reads its
tables: centres registers a ``CentreDirectory`` at start-up (in its ``init_app``). In
an app without centres nobody coordinates a centre and no centre is offered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION_KEY = "academy.centre_directory"


@dataclass(frozen=True)
class CentreOffer:
    """The centre an invitation came from, to offer joining it after registration."""

    name: str
    invite_code: str

    @property
    def formatted_code(self) -> str:
        half = len(self.invite_code) // 2
        return f"{self.invite_code[:half]}-{self.invite_code[half:]}"


@dataclass(frozen=True)
class CentreDirectory:
    # the centre a coordinator (by user id) works for, if any
    coordinator_centre_id: Callable[[int], int | None]
    # centre id -> name, for the ids that exist
    centre_names: Callable[[set[int]], dict[int, str]]
    # the centre to offer joining, if it still exists
    centre_offer: Callable[[int], CentreOffer | None]
    # whether the user (second id) shares with the centre (first id): consent given, not
    # withdrawn
    shares_with: Callable[[int, int], bool]


NO_CENTRES = CentreDirectory(
    coordinator_centre_id=lambda _user_id: None,
    centre_names=lambda _centre_ids: {},
    centre_offer=lambda _centre_id: None,
    shares_with=lambda _centre_id, _user_id: False,
)


def register_centre_directory(app: Flask, directory: CentreDirectory) -> None:
    app.extensions[EXTENSION_KEY] = directory


def centre_directory() -> CentreDirectory:
    """The registered directory, or NO_CENTRES."""
    return current_app.extensions.get(EXTENSION_KEY, NO_CENTRES)
