"""The trainer's workspace: finding trainees, recording observed practice, revoking
certificates and suspending; the place for item analysis and cohorts."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.modules.trainer import views

    app.register_blueprint(views.bp)
