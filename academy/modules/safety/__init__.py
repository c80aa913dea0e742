"""Safety: the quick exit on every page and the "Staying safe online" page."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.modules.safety import views

    app.register_blueprint(views.bp)
    app.context_processor(views.quick_exit_context)
