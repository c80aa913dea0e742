"""Certificates: issued on ``module_completed``, renewed, revoked and paused; the PDF and
the public verification page. Signed credentials are the ``credentials`` feature, the
trainer's staff pages the ``trainer`` feature."""

from __future__ import annotations

from flask import Flask

from academy.core import renewals


def init_app(app: Flask) -> None:
    from academy.modules.certificates import (
        models,  # noqa: F401 - its tables, known to SQLAlchemy and Alembic
        pdf_views,
        privacy,
        rules,
        services,
        views,
    )

    for blueprint in (views.bp, pdf_views.bp):
        app.register_blueprint(blueprint)
    services.connect_signals()  # module_completed: issue or renew the certificate
    # The module page and the catalogue (courses) say "renew by" through core.
    renewals.register_lookup(app, services.module_certificates_of)
    privacy.register(app)
    # Every page that shows a certificate's badge names its state in the same words.
    app.add_template_filter(rules.state_word, "certificate_word")
