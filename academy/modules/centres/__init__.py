"""Centres: counselling centres, their peers' consent, tasks and the clearance matrix,
API tokens and the verification log; the support contact and the centre facts shown on
lessons."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.core.centre_facts import register_facts_provider
    from academy.core.destinations import JOIN_CENTRE, register_destination
    from academy.core.support import register_support_provider
    from academy.modules.accounts.centre_directory import register_centre_directory
    from academy.modules.centres import (
        audit_log,
        centre_facts,
        cli,
        directory,
        models,  # noqa: F401 - its tables, known to SQLAlchemy and Alembic
        privacy,
        support_contacts,
        views,
    )

    app.register_blueprint(views.bp)
    audit_log.connect_signals()  # certificate_verified: the verification log
    register_support_provider(app, support_contacts.support_contacts_for)
    register_facts_provider(app, centre_facts.facts_for_peer)
    register_centre_directory(app, directory.CENTRE_DIRECTORY)
    register_destination(app, JOIN_CENTRE, "centres.mine")
    privacy.register(app)
    app.cli.add_command(cli.centres_cli)
