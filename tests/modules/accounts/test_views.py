"""Sign-in, sign-out and the account page, through HTTP."""

from __future__ import annotations

import pytest

from academy.core.extensions import db
from academy.modules.accounts import services
from tests.conftest import PASSWORD

WRONG_CREDENTIALS = "The sign-in name or the password is not right."
NEW_PASSWORD = "a brand new password"


def is_signed_in(client) -> bool:
    response = client.get("/modules")
    if response.status_code == 302:
        assert response.location.startswith("/sign-in")
        return False
    assert response.status_code == 200
    return True


def test_the_sign_in_page_asks_for_name_and_password(client):
    response = client.get("/sign-in")

    page = response.text
    assert response.status_code == 200
    assert "<h1>Sign in</h1>" in page
    assert 'name="username"' in page
    assert 'autocomplete="username"' in page
    assert 'type="password"' in page
    assert 'autocomplete="current-password"' in page


def test_the_sign_in_page_says_how_to_get_an_account_and_back_in(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert "<h3>No account yet?</h3>" in page
    assert (
        "You get an account by invitation. Ask your counselling centre or your trainer for an "
        "invitation link." in page
    )
    assert "<h3>Forgot your password?</h3>" in page
    assert "Ask your trainer or your centre's coordinator for a password reset link." in page
    assert "We send no e-mail." in page


def test_signing_in_opens_the_catalogue(client, auth, trainee):
    response = auth.sign_in(trainee)

    assert response.status_code == 302
    assert response.location == "/modules"
    assert is_signed_in(client)
    assert "You are signed in as <strong>trainee-one</strong>" in client.get("/account").text


def test_the_session_cookie_is_http_only_and_same_site(client, auth, trainee):
    response = auth.sign_in(trainee)

    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("academy_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_nothing_from_before_sign_in_survives_in_the_session(client, auth, trainee):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"

    auth.sign_in(trainee)

    with client.session_transaction() as session:
        assert "planted" not in session


@pytest.mark.parametrize(
    ("username", "password"),
    [("trainee-one", "not the password"), ("nobody-here", PASSWORD)],
    ids=["wrong-password", "unknown-user"],
)
def test_wrong_password_and_unknown_user_get_the_same_answer(client, trainee, username, password):
    response = client.post("/sign-in", data={"username": username, "password": password})

    assert response.status_code == 400
    assert f'<p class="error" id="password-error">{WRONG_CREDENTIALS}</p>' in response.text
    assert response.text.count('class="error"') == 1
    assert 'aria-invalid="true"' in response.text
    assert not is_signed_in(client)


def test_the_pages_for_wrong_password_and_unknown_user_differ_only_in_the_typed_name(
    client, trainee
):
    wrong_password = client.post(
        "/sign-in", data={"username": "trainee-one", "password": "not the password"}
    )
    unknown_user = client.post(
        "/sign-in", data={"username": "nobody-here", "password": "not the password"}
    )

    assert wrong_password.text.replace("trainee-one", "NAME") == unknown_user.text.replace(
        "nobody-here", "NAME"
    )


def test_an_empty_sign_in_form_is_refused_with_messages(client, trainee):
    response = client.post("/sign-in", data={"username": "", "password": ""})

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not is_signed_in(client)


def test_the_sign_in_name_is_case_insensitive(client, trainee):
    response = client.post("/sign-in", data={"username": "TRAINEE-ONE", "password": PASSWORD})

    assert response.status_code == 302
    assert is_signed_in(client)


def test_pages_for_signed_in_people_send_others_to_sign_in_and_back(client, trainee):
    response = client.get("/account")

    assert response.status_code == 302
    assert response.location == "/sign-in?next=%2Faccount"
    page = client.get(response.location).text
    assert "Please sign in to see this page." in page

    signed_in = client.post(
        "/sign-in?next=%2Faccount", data={"username": "trainee-one", "password": PASSWORD}
    )
    assert signed_in.location == "/account"


@pytest.mark.parametrize("target", ["/certificates", "/modules/basics?tab=1"])
def test_sign_in_follows_a_local_next_path(client, trainee, target):
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"username": "trainee-one", "password": PASSWORD},
    )

    assert response.location == target


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "///evil.example",
        "////evil.example/path",
        "https://evil.example",
        "http://evil.example/modules",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_sign_in_ignores_a_next_address_that_could_leave_the_site(client, trainee, target):
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"username": "trainee-one", "password": PASSWORD},
    )

    assert response.status_code == 302
    assert response.location == "/modules"


def test_the_sign_in_page_sends_someone_signed_in_to_the_catalogue(client, auth, trainee):
    auth.sign_in(trainee)

    response = client.get("/sign-in")

    assert response.status_code == 302
    assert response.location == "/modules"


def test_sign_out_ends_the_session(client, auth, trainee):
    auth.sign_in(trainee)

    response = auth.sign_out()

    assert response.status_code == 302
    assert response.location == "/sign-in"
    assert "You are signed out." in client.get("/sign-in").text
    assert not is_signed_in(client)


def test_a_session_cookie_copied_before_sign_out_is_refused_afterwards(app, client, auth, trainee):
    auth.sign_in(trainee)
    stolen = client.get_cookie("academy_session").value
    auth.sign_out()

    replay = app.test_client()
    replay.set_cookie("academy_session", stolen)
    response = replay.get("/modules")

    assert response.status_code == 302
    assert response.location.startswith("/sign-in")


def test_sign_out_needs_a_post(client, auth, trainee):
    auth.sign_in(trainee)

    response = client.get("/sign-out")

    assert response.status_code == 405
    assert is_signed_in(client)


def test_the_account_page_shows_both_forms(client, auth, trainee):
    auth.sign_in(trainee)

    page = client.get("/account").text

    assert 'name="display_name"' in page
    assert 'value="Ayo"' in page
    assert 'name="current_password"' in page
    assert 'name="new_password"' in page
    assert 'name="confirm_password"' in page


def change_password(client, current: str, new: str, confirm: str | None = None):
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
        },
    )


def test_a_wrong_current_password_is_refused_and_changes_nothing(client, auth, trainee):
    auth.sign_in(trainee)

    response = change_password(client, "not the password", NEW_PASSWORD)

    assert response.status_code == 400
    assert "The current password is not right." in response.text
    db.session.expire_all()
    assert services.authenticate("trainee-one", PASSWORD) is not None
    assert services.authenticate("trainee-one", NEW_PASSWORD) is None


@pytest.mark.parametrize(
    ("new", "confirm", "message"),
    [
        (NEW_PASSWORD, "something else entirely", "The two passwords differ."),
        ("short", "short", "Field must be between 10 and 256 characters long."),
    ],
)
def test_a_new_password_must_be_long_enough_and_typed_twice_alike(
    client, auth, trainee, new, confirm, message
):
    auth.sign_in(trainee)

    response = change_password(client, PASSWORD, new, confirm)

    assert response.status_code == 400
    assert message in response.text
    db.session.expire_all()
    assert services.authenticate("trainee-one", PASSWORD) is not None


def test_changing_the_password_signs_out_other_devices_but_not_this_one(app, client, auth, trainee):
    other_device = app.test_client()
    other_device.post("/sign-in", data={"username": "trainee-one", "password": PASSWORD})
    assert is_signed_in(other_device)
    auth.sign_in(trainee)

    response = change_password(client, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302
    assert response.location == "/account"
    assert "Your password is changed. Other devices have been signed out." in (
        client.get("/account").text
    )
    assert is_signed_in(client)
    assert not is_signed_in(other_device)
    db.session.expire_all()
    assert services.authenticate("trainee-one", NEW_PASSWORD) is not None
    assert services.authenticate("trainee-one", PASSWORD) is None


def test_changing_the_display_name(client, auth, trainee):
    auth.sign_in(trainee)

    response = client.post("/account/display-name", data={"display_name": "  Ayo   P. "})

    assert response.status_code == 302
    page = client.get("/account").text
    assert "Your display name is saved." in page
    assert 'value="Ayo P."' in page
    db.session.refresh(trainee)
    assert trainee.display_name == "Ayo P."


@pytest.mark.parametrize(
    ("display_name", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 81, "Field cannot be longer than 80 characters."),
    ],
)
def test_an_empty_or_overlong_display_name_is_refused(client, auth, trainee, display_name, message):
    auth.sign_in(trainee)

    response = client.post("/account/display-name", data={"display_name": display_name})

    assert response.status_code == 400
    assert message in response.text
    db.session.refresh(trainee)
    assert trainee.display_name == "Ayo"
