from __future__ import annotations

import click
from flask.cli import AppGroup

from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts import services as accounts
from academy.modules.centres import coordinators

centres_cli = AppGroup("centres", help="Manage counselling centres.")


@centres_cli.command("create")
@click.argument("name")
@click.option(
    "--coordinator",
    "coordinator_name",
    required=True,
    help="Sign-in name of an existing account with the role 'centre'.",
)
def create_centre_command(name: str, coordinator_name: str) -> None:
    """Create a centre called NAME with its first coordinator, and print its invite code."""
    coordinator = accounts.find_user(coordinator_name)
    if coordinator is None:
        raise click.ClickException(f"There is no account {coordinator_name!r}.")
    try:
        centre = coordinators.create_centre(name, coordinator)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created the centre {centre.name!r}, coordinated by {coordinator.username!r}.")
    click.echo(f"Invite code for peers: {coordinators.format_invite_code(centre.invite_code)}")
