"""What observed practice holds about a trainee (export). See academy/core/data_rights.py.

Sessions and their results are deleted with the trainee's account (ON DELETE CASCADE); a
trainer's account closing leaves the sessions they recorded, without naming them (SET
NULL). The trainer's private note is about the trainee, so the right of access covers it.
"""

from __future__ import annotations

from flask import Flask

from academy.core.data_rights import register_exporter, serialise_row
from academy.modules.practice.services import RESULT_WORDS, sessions_of

SESSION_FIELDS = ("path_slug", "scenario_id", "observed_on", "note")


def export_observed_practice(user_id: int) -> list[dict]:
    """Every session, oldest first, with each recorded criterion: "Met" or "Not yet"."""
    return [
        {
            **serialise_row(session, SESSION_FIELDS),
            "criteria": {
                criterion_id: str(RESULT_WORDS[session.state(criterion_id)])
                for criterion_id in sorted(session.results)
            },
        }
        for session in reversed(sessions_of(user_id))
    ]


def register(app: Flask) -> None:
    register_exporter(app, "observed_practice", export_observed_practice)
