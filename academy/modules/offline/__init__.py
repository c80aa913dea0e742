"""Offline: Peer Academy installable from the browser (a web app manifest and a service
worker), a module's lessons saved on the phone for reading offline, and what a trainee
does offline (a lesson marked studied, quiz answers) sent when the phone is back online.
docs/offline.md says what is stored on the phone, for how long and how it is removed.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.modules.offline import views

    app.register_blueprint(views.bp)
    app.context_processor(views.offline_context)
