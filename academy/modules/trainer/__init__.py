"""The trainer's workspace: finding trainees, recording observed practice, revoking
certificates, suspending and lifting a wait before a quiz; item analysis of the quizzes;
the place for cohorts."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.modules.trainer import item_views, views

    app.register_blueprint(views.bp)
    app.register_blueprint(item_views.bp)
