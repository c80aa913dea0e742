"""The ``academy`` command: a Flask CLI group over the app factory."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext


def register_commands(app: Flask) -> None:
    """The commands that span features; each feature adds its own in its ``init_app``."""
    from academy.core.content.cli import content_cli

    app.cli.add_command(init_command)
    app.cli.add_command(content_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(prune_command)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database, then load and check the content."""
    from flask_migrate import upgrade

    from academy.core.catalogue import current_catalogue
    from academy.core.extensions import db
    from academy.modules.certificates.services import record_module_versions

    upgrade()
    catalogue = current_catalogue()
    # A version with `recertify: true` gives holders of older ones a grace period from now.
    new_versions = record_module_versions()
    db.session.commit()
    click.echo(f"Database is up to date. Loaded {len(catalogue.modules)} modules.")
    if new_versions:
        click.echo(f"{new_versions} module versions are new; their recertification starts today.")
    for problem in catalogue.errors:
        click.echo(str(problem), err=True)
    if catalogue.errors:
        click.echo(
            f"{len(catalogue.errors)} content errors: those modules are left out until fixed.",
            err=True,
        )


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create one demo account per role and a demo centre (if missing); print how to sign in."""
    from academy.core.errors import UserError
    from academy.core.extensions import db
    from academy.modules.accounts.cli import create_demo_accounts
    from academy.modules.accounts.models import Role
    from academy.modules.centres.demo import create_demo_centre
    from academy.modules.practice.demo import record_demo_session

    # Orchestrated here, where every feature may be imported: accounts must not know centres.
    accounts = create_demo_accounts()
    by_role = {user.role: user for user, _ in accounts}
    trainee = by_role[Role.TRAINEE.value]
    try:
        create_demo_centre(by_role[Role.CENTRE.value], trainee)
    except UserError as error:  # e.g. demo-centre was made coordinator of another centre
        click.echo(f"The demo centre was left out: {error}", err=True)
    try:
        record_demo_session(by_role[Role.TRAINER.value], trainee)
    except UserError as error:  # e.g. a demo account's role was changed
        click.echo(f"The demo practice session was left out: {error}", err=True)
    db.session.commit()
    click.echo("Demo accounts (for trying Peer Academy locally; never on a real server):")
    for user, password in accounts:
        click.echo(f"  {user.role:8}  sign-in name: {user.username:13}  password: {password}")


@click.command("prune")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
@with_appcontext
def prune_command(dry_run: bool) -> None:
    """Delete records past their retention (audit log, finished invitations); print counts."""
    from flask import current_app

    from academy.core import data_rights
    from academy.core.extensions import db

    counts = data_rights.prune(dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would be deleted" if dry_run else "deleted"
    click.echo(f"Audit log retention: {current_app.config['ACADEMY_AUDIT_LOG_DAYS']} days.")
    for name, count in counts.items():
        click.echo(f"  {name}: {count} {verb}")


def _create_app(*_args) -> Flask:
    from academy import create_app

    return create_app()


def main() -> None:
    from academy.modules.operations.cli import serve_command

    group = FlaskGroup(create_app=_create_app, add_default_commands=True, add_version_option=False)
    # On the group itself, not the app: gunicorn loads the app once, before it forks;
    # finding the command must not load (and render) it a first time.
    group.add_command(serve_command)
    group()
