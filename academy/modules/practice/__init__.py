"""Observed practice: the sessions in which a trainer observes a trainee in a practice
scenario of a certificate path, with the checklist from curricula.yml, and the rule that
says when a path's practice is complete. It sends ``observation_recorded``; certificates
ask it whether a path's practice is complete. The trainer's pages that record sessions
are in ``trainer``, the trainee's view of what is open in ``certificates``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.modules.practice import (
        models,  # noqa: F401 - its tables, known to SQLAlchemy and Alembic
        privacy,
    )

    privacy.register(app)
