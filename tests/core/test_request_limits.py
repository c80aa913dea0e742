"""Request size limit, and extra form fields that must change nothing."""

from __future__ import annotations

import pytest

from academy.core.extensions import db
from academy.modules.accounts.models import Role, User
from tests.conftest import PASSWORD

TOO_LARGE = "What you sent is too large."
LIMIT = 256 * 1024


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_the_limit_is_256_kib(app):
    assert app.config["MAX_CONTENT_LENGTH"] == LIMIT


@pytest.mark.parametrize("path", ["/sign-in", "/account/display-name", "/account/password"])
def test_a_too_large_form_gets_a_friendly_413_page(client, auth, trainee, path):
    if path.startswith("/account"):
        auth.sign_in(trainee)

    response = client.post(path, data={"display_name": "x" * (LIMIT + 1)})

    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert TOO_LARGE in response.text
    assert "<h1>" in response.text and "Traceback" not in response.text
    assert reload(trainee).display_name == "Ayo"


def test_a_too_large_upload_is_refused_before_it_is_read_whole(client):
    body = b"a=" + b"x" * (LIMIT * 4)

    response = client.post("/sign-in", data=body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 413


def test_a_form_just_under_the_limit_is_handled_normally(client, trainee):
    response = client.post(
        "/sign-in",
        data={
            "username": "trainee-one",
            "password": "not the password",
            "padding": "y" * (LIMIT - 2000),
        },
    )

    assert response.status_code == 400  # a wrong password, not a size problem
    assert "The sign-in name or the password is not right." in response.text


def test_a_too_large_api_request_gets_json(client):
    response = client.get(
        "/api/v1/certificates/ABCD-EFGH-JKMN-PQRS-TVWX",
        data=b"x" * (LIMIT + 1),
        content_type="application/x-www-form-urlencoded",
    )

    # the API reads no body; whatever happens, the answer is JSON, never a 500
    assert response.status_code != 500
    assert response.mimetype == "application/json"


# --- extra fields change nothing ----------------------------------------------------------

SNEAKY = {
    "role": Role.ADMIN.value,
    "id": "1",
    "user_id": "1",
    "username": "someone-else",
    "session_nonce": "0" * 32,
    "failed_sign_ins": "0",
    "locked_until": "",
    "totp_enabled_at": "2020-01-01",
    "password_hash": "x",
    "score": "100",
}


def snapshot(user: User) -> tuple:
    user = reload(user)
    return (
        user.id,
        user.username,
        user.role,
        user.password_hash,
        user.totp_enabled_at,
        user.failed_sign_ins,
    )


def test_extra_fields_on_sign_in_change_nothing(client, trainee, make_user):
    make_user(Role.ADMIN, "admin-one")
    before = snapshot(trainee)

    response = client.post(
        "/sign-in", data=SNEAKY | {"username": "trainee-one", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert snapshot(trainee) == before
    with client.session_transaction() as session:
        assert session["_user_id"] == reload(trainee).get_id()
    assert client.get("/trainer/").status_code == 403  # still a trainee


def test_extra_fields_on_the_display_name_form_change_only_the_name(client, auth, trainee):
    auth.sign_in(trainee)
    before = snapshot(trainee)

    response = client.post("/account/display-name", data={"display_name": "Kim"} | SNEAKY)

    assert response.status_code == 302
    assert snapshot(trainee) == before
    assert reload(trainee).display_name == "Kim"


def test_extra_fields_on_the_password_form_change_only_the_password(client, auth, trainee):
    auth.sign_in(trainee)
    role, username = trainee.role, trainee.username

    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new password",
            "confirm_password": "a brand new password",
        }
        | SNEAKY,
    )

    assert response.status_code == 302
    user = reload(trainee)
    assert (user.role, user.username, user.totp_enabled_at) == (role, username, None)


def test_extra_fields_on_the_two_factor_forms_change_nothing_else(client, auth, make_user):
    trainer = make_user(Role.TRAINER, "trainer-one")
    auth.sign_in(trainer)

    client.post("/account/2fa/setup", data=SNEAKY)
    client.post("/account/2fa/confirm", data={"code": "000000"} | SNEAKY)

    user = reload(trainer)
    assert (user.role, user.username, user.totp_enabled_at) == ("trainer", "trainer-one", None)
