"""Operations: ``/healthz``, backup and restore, and the server's logging."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.modules.operations import cli, services, views

    app.register_blueprint(views.bp)
    # Read the migrations folder now, at start-up, not on a load balancer's first check.
    services.migration_revisions()
    app.cli.add_command(cli.backup_command)
    app.cli.add_command(cli.restore_command)
