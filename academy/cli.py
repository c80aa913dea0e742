"""The ``academy`` command: a Flask CLI group over the app factory."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext


def register_commands(app: Flask) -> None:
    from academy.core.content.cli import content_cli
    from academy.modules.accounts.cli import demo_command, users_cli
    from academy.modules.operations.cli import backup_command, restore_command

    app.cli.add_command(init_command)
    app.cli.add_command(content_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database, then load and check the content."""
    from flask_migrate import upgrade

    from academy.core.catalogue import current_catalogue

    upgrade()
    catalogue = current_catalogue()
    click.echo(f"Database is up to date. Loaded {len(catalogue.modules)} modules.")
    for problem in catalogue.errors:
        click.echo(str(problem), err=True)
    if catalogue.errors:
        click.echo(
            f"{len(catalogue.errors)} content errors: those modules are left out until fixed.",
            err=True,
        )


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
