"""Two-step sign-in (TOTP) for trainer, centre and admin accounts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from academy.core import clock
from academy.core.extensions import db
from academy.modules.accounts import two_factor
from academy.modules.accounts.models import Role, User
from tests.conftest import PASSWORD, csrf_token_from

WRONG_CODE = str(two_factor.WRONG_CODE)
NO_ADDRESS_LIMIT = {"ACADEMY_LIMIT_SIGN_IN_CODE": "1000 per minute"}


def code_at(secret: str, steps_from_now: int = 0) -> str:
    return two_factor.code_for_step(secret, two_factor.current_step() + steps_from_now)


def next_step() -> None:
    clock.travel(timedelta(seconds=two_factor.STEP_SECONDS))


def is_signed_in(client) -> bool:
    return client.get("/modules").status_code == 200


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


@pytest.fixture
def trainer(make_user) -> User:
    return make_user(Role.TRAINER, "trainer-one")


def enrol(client) -> str:
    """Set up two-step sign-in through the pages; returns the secret shown."""
    assert client.post("/account/2fa/setup").status_code == 302
    page = client.get("/account/2fa/setup").text
    match = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page)
    assert match, page
    secret = match.group(1).replace(" ", "")
    response = client.post("/account/2fa/confirm", data={"code": code_at(secret)})
    assert response.status_code == 302, response.text
    assert "Two-step sign-in is on." in client.get(response.location).text
    next_step()  # the code just used cannot be used again
    return secret


@pytest.fixture
def enrolled(client, auth, trainer) -> str:
    """A trainer with two-step sign-in on, signed out again; yields the secret."""
    auth.sign_in(trainer)
    secret = enrol(client)
    auth.sign_out()
    return secret


def sign_in_with_password(client, user: User, **kwargs):
    return client.post("/sign-in", data={"username": user.username, "password": PASSWORD}, **kwargs)


# --- who sees it ---------------------------------------------------------------------


def test_trainees_are_not_offered_two_step_sign_in(client, auth, trainee):
    auth.sign_in(trainee)

    assert "Two-step sign-in" not in client.get("/account").text
    assert client.get("/account/2fa").status_code == 403
    assert client.post("/account/2fa/setup").status_code == 403


@pytest.mark.parametrize("role", [Role.TRAINER, Role.CENTRE, Role.ADMIN])
def test_trainers_centres_and_admins_find_it_on_their_account_page(client, auth, make_user, role):
    auth.sign_in(make_user(role))

    account = client.get("/account").text
    page = client.get("/account/2fa")

    assert '<a href="/account/2fa">Set up two-step sign-in</a>' in account
    assert page.status_code == 200
    assert "<h1>Two-step sign-in</h1>" in page.text
    assert 'action="/account/2fa/setup"' in page.text


# --- enrolment -----------------------------------------------------------------------


def test_setting_up_shows_a_key_and_a_qr_code_served_by_the_app(client, auth, trainer):
    auth.sign_in(trainer)
    client.post("/account/2fa/setup")

    page = client.get("/account/2fa/setup").text
    qr = client.get("/account/2fa/qr.svg")

    assert '<img src="/account/2fa/qr.svg"' in page
    assert re.search(r'<code class="secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>', page)
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    assert qr.status_code == 200
    assert qr.mimetype == "image/svg+xml"
    assert qr.headers["Cache-Control"] == "no-store"
    assert b"<svg" in qr.data
    assert b"<script" not in qr.data and b"http://www.w3.org/2000/svg" in qr.data


def test_the_secret_is_stored_encrypted_and_not_on_until_confirmed(client, auth, trainer):
    auth.sign_in(trainer)
    client.post("/account/2fa/setup")
    page = client.get("/account/2fa/setup").text
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)

    user = reload(trainer)
    assert user.totp_secret is not None
    assert secret.replace(" ", "") not in user.totp_secret
    assert user.totp_secret.startswith("gAAAA")  # a Fernet token
    assert user.totp_enabled_at is None
    # not yet on: signing in needs no code
    client.post("/sign-out")
    assert sign_in_with_password(client, trainer).location == "/modules"


def test_a_wrong_code_does_not_turn_it_on(client, auth, trainer):
    auth.sign_in(trainer)
    client.post("/account/2fa/setup")

    response = client.post("/account/2fa/confirm", data={"code": "000000"})

    assert response.status_code == 400
    assert WRONG_CODE in response.text
    assert '<img src="/account/2fa/qr.svg"' in response.text  # still on the set-up page
    assert reload(trainer).totp_enabled_at is None


def test_confirming_turns_it_on_and_signs_out_other_devices(app, client, auth, trainer):
    auth.sign_in(trainer)
    other_device = app.test_client()
    other_device.post("/sign-in", data={"username": trainer.username, "password": PASSWORD})
    assert is_signed_in(other_device)

    enrol(client)

    assert reload(trainer).totp_enabled_at is not None
    assert is_signed_in(client)
    assert not is_signed_in(other_device)
    assert "On: you sign in with your password and a code" in client.get("/account").text


def test_the_qr_code_is_gone_once_set_up(client, auth, trainer):
    auth.sign_in(trainer)
    enrol(client)

    assert client.get("/account/2fa/qr.svg").status_code == 404
    assert client.get("/account/2fa/setup").location == "/account/2fa"


def test_setting_up_needs_a_post_with_a_csrf_token(app, client, auth, trainer):
    app.config["WTF_CSRF_ENABLED"] = True
    auth_page = client.get("/sign-in").text
    token = csrf_token_from(auth_page)
    client.post(
        "/sign-in",
        data={"username": trainer.username, "password": PASSWORD, "csrf_token": token},
    )

    assert client.get("/account/2fa/setup").status_code == 302  # nothing to show yet
    response = client.post("/account/2fa/setup")

    assert response.status_code == 400
    assert reload(trainer).totp_secret is None


# --- signing in ---------------------------------------------------------------------------


def test_the_password_alone_does_not_sign_in(client, trainer, enrolled):
    response = sign_in_with_password(client, trainer)

    assert response.status_code == 302
    assert response.location == "/sign-in/code"
    assert not is_signed_in(client)
    page = client.get("/sign-in/code").text
    assert "<h1>Code from your app</h1>" in page
    assert 'autocomplete="one-time-code"' in page


def test_the_right_code_signs_in_and_goes_to_the_page_asked_for(client, trainer, enrolled):
    sign_in_with_password(client, trainer, query_string={"next": "/certificates"})

    response = client.post("/sign-in/code", data={"code": code_at(enrolled)})

    assert response.status_code == 302
    assert response.location == "/certificates"
    assert is_signed_in(client)


def test_the_session_is_new_after_the_code_step(client, trainer, enrolled):
    sign_in_with_password(client, trainer)
    with client.session_transaction() as session:
        assert "_user_id" not in session
        session["planted"] = "between the steps"

    client.post("/sign-in/code", data={"code": code_at(enrolled)})

    with client.session_transaction() as session:
        assert "planted" not in session
        assert two_factor.PENDING_KEY not in session
        assert session["_user_id"] == reload(trainer).get_id()


def test_a_code_works_only_once(client, auth, trainer, enrolled):
    code = code_at(enrolled)
    sign_in_with_password(client, trainer)
    assert client.post("/sign-in/code", data={"code": code}).status_code == 302
    auth.sign_out()

    sign_in_with_password(client, trainer)
    reused = client.post("/sign-in/code", data={"code": code})

    assert reused.status_code == 400
    assert WRONG_CODE in reused.text
    assert not is_signed_in(client)


@pytest.mark.parametrize(("offset", "accepted"), [(-2, False), (-1, True), (1, True), (2, False)])
def test_codes_one_step_early_or_late_are_accepted(client, trainer, enrolled, offset, accepted):
    next_step()  # so that the step before now was not used by the set-up
    sign_in_with_password(client, trainer)

    response = client.post("/sign-in/code", data={"code": code_at(enrolled, offset)})

    assert (response.status_code == 302) is accepted
    assert is_signed_in(client) is accepted


def test_spaces_in_the_code_are_fine(client, trainer, enrolled):
    code = code_at(enrolled)
    sign_in_with_password(client, trainer)

    response = client.post("/sign-in/code", data={"code": f" {code[:3]} {code[3:]} "})

    assert response.status_code == 302


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "１２３４５６"])
def test_malformed_codes_are_refused(client, trainer, enrolled, code):
    sign_in_with_password(client, trainer)

    response = client.post("/sign-in/code", data={"code": code})

    assert response.status_code == 400
    assert not is_signed_in(client)


def test_the_code_step_expires_after_five_minutes(client, trainer, enrolled):
    sign_in_with_password(client, trainer)
    clock.travel(timedelta(minutes=5, seconds=1))

    response = client.post("/sign-in/code", data={"code": code_at(enrolled)})

    assert response.status_code == 302
    assert response.location == "/sign-in"
    assert "the time for the code has run out" in client.get("/sign-in").text
    assert not is_signed_in(client)


def test_the_code_page_without_a_password_first_sends_to_sign_in(client):
    response = client.get("/sign-in/code")

    assert response.status_code == 302
    assert response.location == "/sign-in"


def test_a_password_change_meanwhile_cancels_the_code_step(client, trainer, enrolled):
    sign_in_with_password(client, trainer)
    user = reload(trainer)
    from academy.modules.accounts import services

    services.set_password(user, "a brand new password")
    db.session.commit()

    response = client.post("/sign-in/code", data={"code": code_at(enrolled)})

    assert response.location == "/sign-in"
    assert not is_signed_in(client)


@pytest.mark.parametrize("app_config", [NO_ADDRESS_LIMIT], indirect=True)
def test_wrong_codes_lock_the_account_like_wrong_passwords(client, trainer, enrolled):
    sign_in_with_password(client, trainer)
    for _ in range(5):
        assert client.post("/sign-in/code", data={"code": "000000"}).status_code == 400

    locked = client.post("/sign-in/code", data={"code": code_at(enrolled)})

    assert locked.status_code == 400
    assert reload(trainer).failed_sign_ins == 5
    # signing in again with the password does not reset the count while 2FA is on
    clock.travel(timedelta(minutes=1, seconds=1))
    sign_in_with_password(client, trainer)
    assert reload(trainer).failed_sign_ins == 5
    assert client.post("/sign-in/code", data={"code": code_at(enrolled)}).status_code == 302
    assert reload(trainer).failed_sign_ins == 0


@pytest.mark.parametrize(
    "app_config", [{"ACADEMY_LIMIT_SIGN_IN_CODE": "2 per minute"}], indirect=True
)
def test_code_attempts_are_rate_limited_per_address(client, trainer, enrolled):
    sign_in_with_password(client, trainer)
    statuses = [client.post("/sign-in/code", data={"code": "000000"}).status_code for _ in range(3)]

    assert statuses == [400, 400, 429]


# --- turning it off -----------------------------------------------------------------------


def test_turning_it_off_needs_the_password_and_a_code(client, auth, trainer, enrolled):
    sign_in_with_password(client, trainer)
    client.post("/sign-in/code", data={"code": code_at(enrolled)})
    next_step()

    wrong_password = client.post(
        "/account/2fa/disable", data={"password": "not the password", "code": code_at(enrolled)}
    )
    wrong_code = client.post("/account/2fa/disable", data={"password": PASSWORD, "code": "000000"})

    assert wrong_password.status_code == wrong_code.status_code == 400
    # each message next to its own field
    assert 'id="password-error">The password is not right.' in wrong_password.text
    assert f'id="code-error">{WRONG_CODE}' in wrong_code.text
    assert reload(trainer).totp_enabled_at is not None

    done = client.post(
        "/account/2fa/disable", data={"password": PASSWORD, "code": code_at(enrolled)}
    )

    assert done.status_code == 302
    user = reload(trainer)
    assert (user.totp_secret, user.totp_enabled_at, user.totp_last_step) == (None, None, None)
    assert is_signed_in(client)
    auth.sign_out()
    assert sign_in_with_password(client, trainer).location == "/modules"


def test_a_new_secret_key_makes_stored_secrets_unreadable(app, client, trainer, enrolled):
    app.config["SECRET_KEY"] = "a rotated key"
    client.post("/sign-in", data={"username": trainer.username, "password": PASSWORD})

    response = client.post("/sign-in/code", data={"code": code_at(enrolled)})

    assert response.status_code == 400
    assert not is_signed_in(client)


# --- required for admins ----------------------------------------------------------------


REQUIRED = {"ACADEMY_REQUIRE_ADMIN_2FA": True}


@pytest.mark.parametrize("app_config", [REQUIRED], indirect=True)
def test_an_admin_without_it_is_sent_to_set_it_up_and_can_reach_nothing_else(
    client, auth, make_user
):
    admin = make_user(Role.ADMIN, "admin-one")
    assert auth.sign_in(admin).status_code == 302

    for path in ("/modules", "/account", "/certificates", "/trainees"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.location == "/account/2fa"
    page = client.get("/account/2fa").text
    assert "Admin accounts need two-step sign-in." in page

    enrol(client)

    assert client.get("/modules").status_code == 200
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize("app_config", [REQUIRED], indirect=True)
def test_the_requirement_is_for_admins_only(client, auth, trainer):
    auth.sign_in(trainer)

    assert client.get("/modules").status_code == 200


def test_by_default_admins_may_go_without(client, auth, make_user):
    auth.sign_in(make_user(Role.ADMIN))

    assert client.get("/modules").status_code == 200
