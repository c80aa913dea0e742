from __future__ import annotations

import click
from flask import current_app, url_for
from flask.cli import AppGroup

from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts import invitations, services
from academy.modules.accounts.models import Role, User

users_cli = AppGroup("users", help="Manage accounts.")
role_option = click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.TRAINEE.value,
    show_default=True,
)

# Fixed, documented passwords: the demo is for trying the app on one's own machine.
DEMO_ACCOUNTS = (
    ("demo-trainee", Role.TRAINEE, "Sam", "trainee-demo-2026"),
    ("demo-trainer", Role.TRAINER, "Trainer Alex", "trainer-demo-2026"),
    ("demo-centre", Role.CENTRE, "Centre coordinator", "centre-demo-2026"),
    ("demo-admin", Role.ADMIN, "Admin", "admin-demo-2026"),
)


@users_cli.command("create")
@click.argument("name")
@role_option
@click.option("--display-name", help="Shown on certificates; defaults to the sign-in name.")
@click.password_option("--password", prompt="Password", confirmation_prompt="Password again")
def create_user_command(name: str, role: str, display_name: str | None, password: str) -> None:
    """Create an account. NAME is the sign-in name (an e-mail address works too)."""
    try:
        user = services.create_user(name, password, Role(role), display_name)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role} account {user.username!r}.")


@users_cli.command("invite")
@role_option
@click.option(
    "--days",
    type=click.IntRange(1, invitations.MAX_DAYS_VALID),
    default=invitations.DEFAULT_DAYS_VALID,
    show_default=True,
    help="How long the link works.",
)
def invite_command(role: str, days: int) -> None:
    """Print a single-use registration link (ACADEMY_BASE_URL, else http://127.0.0.1:5000)."""
    invitation, token = invitations.issue_invitation(Role(role), days_valid=days)
    db.session.commit()
    with current_app.test_request_context():
        path = url_for("registration.register", token=token)
    click.echo(invitations.registration_url(path))
    click.echo(
        f"It works once, for a new {invitation.role} account, until "
        f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC. It is not stored: copy it now.",
        err=True,
    )


def create_demo_accounts() -> list[tuple[User, str]]:
    """One demo account per role (created if missing), each with its password.

    The ``academy demo`` command (academy/cli.py) calls this, then lets the features
    above accounts add their demo data.
    """
    accounts = []
    for username, role, display_name, password in DEMO_ACCOUNTS:
        user = services.find_user(username)
        if user is None:
            user = services.create_user(username, password, role, display_name)
        accounts.append((user, password))
    return accounts
