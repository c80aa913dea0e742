"""Quizzes: taking a module's quiz, grading it, the result page."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.core.destinations import MODULE_QUIZ, register_destination
    from academy.core.quiz_waits import register_wait_lookup
    from academy.modules.quizzes import (
        models,  # noqa: F401 - its tables, known to SQLAlchemy and Alembic
        pacing,
        privacy,
        views,
    )

    app.register_blueprint(views.bp)
    register_destination(app, MODULE_QUIZ, "quizzes.take")
    register_wait_lookup(app, pacing.wait_for)
    privacy.register(app)
