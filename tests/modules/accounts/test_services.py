"""Accounts: creating users, password hashing, authentication and ending sessions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from academy.core.config import DEFAULTS
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts import services
from academy.modules.accounts.models import Role, User
from tests.conftest import PASSWORD


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_create_user_stores_the_name_in_lower_case_and_the_chosen_role(app):
    user = services.create_user("  Ayo.Peer ", PASSWORD, Role.TRAINER, "Ayo")

    assert user.username == "ayo.peer"
    assert user.role == "trainer"
    assert user.display_name == "Ayo"


def test_display_name_defaults_to_the_sign_in_name(app):
    assert services.create_user("sam-peer", PASSWORD).display_name == "sam-peer"


@pytest.mark.parametrize("username", ["sam@example.org", "Ayo.Peer@Example.org", "x@y"])
def test_a_new_sign_in_name_cannot_be_an_email_address(app, username):
    with pytest.raises(UserError, match="cannot be an e-mail address") as refused:
        services.create_user(username, PASSWORD)
    assert refused.value.field == "username"
    assert user_count() == 0


def test_an_existing_account_named_by_an_email_address_still_signs_in(app):
    """Accounts made before the rule keep their names; signing in checks no pattern."""
    user = services.create_user("sam-peer", PASSWORD)
    user.username = "sam@example.org"
    db.session.commit()

    assert services.authenticate("Sam@Example.org", PASSWORD) == user


@pytest.mark.parametrize(
    "username",
    [
        "",
        "ab",
        "-starts-with-a-dash",
        "has space",
        "slash/in/name",
        "ümlaut",
        "semi;colon",
        "a" * 255,
    ],
)
def test_create_user_rejects_names_that_cannot_be_sign_in_names(app, username):
    with pytest.raises(UserError, match="A sign-in name has 3 to 254 characters"):
        services.create_user(username, PASSWORD)
    assert user_count() == 0


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "at least 10 characters"),
        ("123456789", "at least 10 characters"),
        ("x" * 257, "at most 256 characters"),
    ],
)
def test_create_user_rejects_passwords_of_the_wrong_length(app, password, message):
    with pytest.raises(UserError, match=message):
        services.create_user("new-peer", password)
    assert user_count() == 0


def test_a_password_of_exactly_the_minimum_length_is_accepted(app):
    services.create_user("new-peer", "1234567890")

    assert services.authenticate("new-peer", "1234567890") is not None


def test_create_user_refuses_a_name_that_is_taken_whatever_its_case(trainee):
    with pytest.raises(UserError, match="'trainee-one' is already taken"):
        services.create_user("Trainee-One", "another password")
    assert user_count() == 1


def test_passwords_are_stored_as_argon2id_hashes_never_as_text(trainee):
    assert trainee.password_hash.startswith("$argon2id$")
    assert PASSWORD not in trainee.password_hash


def test_production_hashing_parameters_meet_the_owasp_minimum():
    # OWASP: argon2id with at least 19 MiB of memory and 2 iterations
    assert DEFAULTS["ARGON2_MEMORY_COST"] >= 19 * 1024
    assert DEFAULTS["ARGON2_TIME_COST"] >= 2
    assert DEFAULTS["ARGON2_PARALLELISM"] >= 1


def test_the_hash_uses_the_configured_parameters(app):
    for key in ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM"):
        app.config[key] = DEFAULTS[key]

    user = services.create_user("new-peer", PASSWORD)

    expected = (
        f"$m={DEFAULTS['ARGON2_MEMORY_COST']},t={DEFAULTS['ARGON2_TIME_COST']},"
        f"p={DEFAULTS['ARGON2_PARALLELISM']}$"
    )
    assert user.password_hash.startswith("$argon2id$v=19" + expected)


def test_authenticate_returns_the_user_for_the_right_password(trainee):
    assert services.authenticate("trainee-one", PASSWORD) == trainee


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("trainee-one", "not the password"),
        ("trainee-one", PASSWORD.upper()),
        ("trainee-one", ""),
        ("nobody-here", PASSWORD),
    ],
    ids=["wrong-password", "wrong-case-password", "empty-password", "unknown-user"],
)
def test_authenticate_returns_none_for_a_wrong_password_or_an_unknown_user(
    trainee, username, password
):
    assert services.authenticate(username, password) is None


@pytest.mark.parametrize("typed", ["TRAINEE-ONE", "Trainee-One", "  trainee-one  "])
def test_sign_in_names_are_case_insensitive(trainee, typed):
    assert services.authenticate(typed, PASSWORD) == trainee
    assert services.find_user(typed) == trainee


def test_authenticate_rehashes_a_hash_made_with_older_parameters(app, trainee):
    old_hash = trainee.password_hash
    app.config["ARGON2_TIME_COST"] = 2

    assert services.authenticate("trainee-one", PASSWORD) == trainee

    assert trainee.password_hash != old_hash
    assert ",t=2," in trainee.password_hash
    assert services.authenticate("trainee-one", PASSWORD) == trainee


def test_change_password_refuses_a_wrong_current_password_and_changes_nothing(trainee):
    old_hash, old_nonce = trainee.password_hash, trainee.session_nonce

    with pytest.raises(UserError, match="The current password is not right."):
        services.change_password(trainee, "not the password", "a brand new password")

    assert (trainee.password_hash, trainee.session_nonce) == (old_hash, old_nonce)


def test_change_password_refuses_a_short_new_password(trainee):
    with pytest.raises(UserError, match="at least 10 characters"):
        services.change_password(trainee, PASSWORD, "short")
    assert services.authenticate("trainee-one", PASSWORD) == trainee


def test_change_password_replaces_the_password_and_ends_every_session(trainee):
    old_session_id = trainee.get_id()

    services.change_password(trainee, PASSWORD, "a brand new password")
    db.session.commit()

    assert services.authenticate("trainee-one", "a brand new password") == trainee
    assert services.authenticate("trainee-one", PASSWORD) is None
    assert services.load_user_from_session(old_session_id) is None
    assert services.load_user_from_session(trainee.get_id()) == trainee


def test_a_session_id_is_valid_until_all_sessions_are_ended(trainee):
    session_id = trainee.get_id()
    assert services.load_user_from_session(session_id) == trainee

    services.end_all_sessions(trainee)
    db.session.commit()

    assert services.load_user_from_session(session_id) is None


@pytest.mark.parametrize(
    "session_id", ["", "{id}", "{id}:", ":{nonce}", "x:{nonce}", "9999:{nonce}", "{id}:wrong"]
)
def test_malformed_or_forged_session_ids_load_nobody(trainee, session_id):
    typed = session_id.format(id=trainee.id, nonce=trainee.session_nonce)
    assert services.load_user_from_session(typed) is None


def test_change_display_name_tidies_the_spaces(trainee):
    services.change_display_name(trainee, "  Ayo   Peer ")

    assert trainee.display_name == "Ayo Peer"


@pytest.mark.parametrize(
    ("display_name", "message"),
    [("", "Please choose a display name"), ("   ", "Please choose a display name")]
    + [("x" * 81, "at most 80 characters")],
)
def test_change_display_name_refuses_empty_or_overlong_names(trainee, display_name, message):
    with pytest.raises(UserError, match=message):
        services.change_display_name(trainee, display_name)
    assert trainee.display_name == "Ayo"
