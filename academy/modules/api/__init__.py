"""The JSON API: certificate checks with a centre's token, and its OpenAPI document."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.modules.api import views

    app.register_blueprint(views.bp)
