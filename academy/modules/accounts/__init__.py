"""Accounts: sign-in (with two-step sign-in), invitations and registration, a way back in
(password reset links, second-factor resets), a person's data rights (download, delete)
and the admins' accounts page."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.core.extensions import login_manager
    from academy.modules.accounts import (
        cli,
        models,  # noqa: F401 - its tables, known to SQLAlchemy and Alembic
        privacy,
        privacy_views,
        recovery_views,
        registration_views,
        services,
        two_factor,
        views,
    )

    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    # Not tied to the client address: a phone changes it many times a day (Wi-Fi, mobile
    # data, carrier NAT), and "strong" signed the trainee out each time, throwing away a
    # quiz being sent. A copied cookie is stopped by the session nonce and the timeouts.
    login_manager.session_protection = None
    login_manager.user_loader(services.load_user_from_session)

    for blueprint in (views.bp, registration_views.bp, privacy_views.bp, recovery_views.bp):
        app.register_blueprint(blueprint)
    app.before_request(two_factor.enforce_required_enrolment)
    app.before_request(privacy.touch_last_active)
    privacy.register(app)
    app.cli.add_command(cli.users_cli)
