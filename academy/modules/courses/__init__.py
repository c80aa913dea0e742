"""Courses: the catalogue, module pages, lessons, content warnings and pauses."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.core.destinations import HOME, START, register_destination
    from academy.modules.courses import views

    app.register_blueprint(views.bp)
    register_destination(app, HOME, "courses.home")
    register_destination(app, START, "courses.catalogue")
