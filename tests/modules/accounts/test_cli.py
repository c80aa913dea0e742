"""`academy users create` and `academy demo`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from academy.core.extensions import db
from academy.modules.accounts import services
from academy.modules.accounts.models import User

CLI_PASSWORD = "a password for the cli"
DEMO_NAMES = {"demo-trainee", "demo-trainer", "demo-centre", "demo-admin"}


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(args=list(args), input=input)

    return invoke


def usernames() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(User.username)))


def test_users_create_asks_for_the_password_twice_and_creates_the_account(run):
    result = run(
        "users", "create", "New.Trainer", "--role", "trainer", input=f"{CLI_PASSWORD}\n" * 2
    )

    assert result.exit_code == 0, result.output
    assert "Password:" in result.output
    assert "Password again:" in result.output
    assert "Created trainer account 'new.trainer'." in result.output
    assert CLI_PASSWORD not in result.output
    user = services.authenticate("new.trainer", CLI_PASSWORD)
    assert user is not None
    assert user.role == "trainer"
    assert user.display_name == "new.trainer"


def test_users_create_makes_a_trainee_with_a_display_name_by_default(run):
    result = run(
        "users", "create", "peer-sam", "--display-name", "Sam", input=f"{CLI_PASSWORD}\n" * 2
    )

    assert result.exit_code == 0, result.output
    user = services.find_user("peer-sam")
    assert (user.role, user.display_name) == ("trainee", "Sam")


def test_users_create_with_two_different_passwords_creates_nothing(run):
    result = run("users", "create", "new-trainer", input=f"{CLI_PASSWORD}\nsomething else\n")

    assert result.exit_code != 0
    assert "The two entered values do not match." in result.output
    assert "Created" not in result.output
    assert usernames() == set()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x",), "A sign-in name has 3 to 254 characters"),
        (("trainee-one",), "The sign-in name 'trainee-one' is already taken."),
    ],
    ids=["bad-name", "taken-name"],
)
def test_users_create_reports_a_name_it_cannot_use(run, trainee, args, message):
    result = run("users", "create", *args, input=f"{CLI_PASSWORD}\n" * 2)

    assert result.exit_code == 1
    assert f"Error: {message}" in result.output
    assert usernames() == {"trainee-one"}


def test_users_create_refuses_a_short_password(run):
    result = run("users", "create", "new-trainer", input="short\nshort\n")

    assert result.exit_code == 1
    assert "The password needs at least 10 characters." in result.output
    assert usernames() == set()


def test_users_create_refuses_an_unknown_role(run):
    result = run("users", "create", "new-boss", "--role", "owner", input=f"{CLI_PASSWORD}\n" * 2)

    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output
    assert usernames() == set()


def test_demo_creates_four_accounts_once_and_prints_how_to_sign_in(run):
    first = run("demo")
    second = run("demo")

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert usernames() == DEMO_NAMES
    for output in (first.output, second.output):
        for name in DEMO_NAMES:
            assert f"sign-in name: {name}" in output
    roles = {user.username: user.role for user in db.session.scalars(select(User))}
    assert roles == {
        "demo-trainee": "trainee",
        "demo-trainer": "trainer",
        "demo-centre": "centre",
        "demo-admin": "admin",
    }
    assert services.authenticate("demo-trainee", "trainee-demo-2026") is not None
