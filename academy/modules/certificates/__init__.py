"""Certificates: issued on ``module_completed``, the PDF, signed credentials and their
keys and status lists, public verification, and the trainer's staff pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.modules.certificates import (
        cli,
        credential_views,
        models,  # noqa: F401 - its tables, known to SQLAlchemy and Alembic
        pdf_views,
        privacy,
        services,
        trainer_views,
        views,
    )

    for blueprint in (views.bp, pdf_views.bp, credential_views.bp, trainer_views.bp):
        app.register_blueprint(blueprint)
    services.connect_signals()  # module_completed: issue or renew the certificate
    privacy.register(app)
    app.cli.add_command(cli.certificates_cli)
