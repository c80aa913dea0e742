"""Sessions: cookie flags, a fresh session at sign-in, idle and absolute timeouts, and
cookies that stop working on the server's word (sign-out, password change, deletion)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_login.utils import encode_cookie

from academy import create_app
from academy.core import clock
from academy.core.config import config_from_environment
from academy.core.extensions import db
from academy.core.sessions import ABSOLUTE_MESSAGE, IDLE_MESSAGE
from tests.conftest import PASSWORD

COOKIE = "academy_session"


def is_signed_in(client) -> bool:
    response = client.get("/modules")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def replay(app, cookie_value: str):
    """A new browser that presents a copied session cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, cookie_value)
    return other


# --- the cookie ----------------------------------------------------------------------


def test_the_session_cookie_is_secure_http_only_lax_and_ends_with_the_browser(
    client, auth, trainee
):
    cookie = auth.sign_in(trainee).headers["Set-Cookie"]

    assert cookie.startswith(f"{COOKIE}=")
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite"} <= flags
    assert "SameSite=Lax" in cookie
    # no Expires/Max-Age: closing the browser ends it (think of a shared computer)
    assert not flags & {"expires", "max-age"}


def test_secure_cookies_are_the_default_and_only_plain_http_development_turns_them_off(
    monkeypatch,
):
    monkeypatch.delenv("ACADEMY_SECURE_COOKIES", raising=False)
    assert config_from_environment()["SESSION_COOKIE_SECURE"] is True

    monkeypatch.setenv("ACADEMY_SECURE_COOKIES", "0")
    assert config_from_environment()["SESSION_COOKIE_SECURE"] is False


def test_the_absolute_timeout_is_also_the_permanent_session_lifetime(app_config):  # noqa: F811
    app = create_app(app_config | {"ACADEMY_SESSION_HOURS": 8})

    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=8)


def test_no_remember_me_cookie_is_issued(client, auth, trainee):
    response = auth.sign_in(trainee)

    assert all(
        not header.startswith("remember_token") for header in response.headers.getlist("Set-Cookie")
    )


def test_a_remember_me_cookie_signs_nobody_in_even_when_correctly_signed(app, client, trainee):
    # We never issue one; a forged one made with the real key must not work either.
    client.set_cookie("remember_token", encode_cookie(trainee.get_id()))

    response = client.get("/modules")

    assert response.status_code == 302
    assert response.location.startswith("/sign-in")
    assert not is_signed_in(client)


# --- a fresh session at sign-in (no session fixation) ---------------------------------


def test_sign_in_replaces_the_session_and_drops_what_was_planted_in_it(client, trainee):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    before = client.get_cookie(COOKIE).value

    client.post("/sign-in", data={"username": trainee.username, "password": PASSWORD})

    after = client.get_cookie(COOKIE).value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == trainee.get_id()


def test_a_cookie_from_before_sign_in_is_not_signed_in_afterwards(app, client, trainee):
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "fixation attempt"
    planted = client.get_cookie(COOKIE).value

    client.post("/sign-in", data={"username": trainee.username, "password": PASSWORD})

    assert is_signed_in(client)
    assert not is_signed_in(replay(app, planted))


# --- ended on the server ---------------------------------------------------------------


def test_a_cookie_replayed_after_sign_out_is_refused(app, client, auth, trainee):
    auth.sign_in(trainee)
    copied = client.get_cookie(COOKIE).value
    assert is_signed_in(replay(app, copied))

    auth.sign_out()

    assert not is_signed_in(replay(app, copied))


def test_a_cookie_replayed_after_a_password_change_is_refused(app, client, auth, trainee):
    auth.sign_in(trainee)
    copied = client.get_cookie(COOKIE).value

    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new password",
            "confirm_password": "a brand new password",
        },
    )

    assert response.status_code == 302
    assert is_signed_in(client)  # the device that changed it stays signed in
    assert not is_signed_in(replay(app, copied))


def test_a_cookie_replayed_after_the_account_is_deleted_is_refused(app, client, auth, trainee):
    auth.sign_in(trainee)
    copied = client.get_cookie(COOKIE).value

    db.session.delete(trainee)
    db.session.commit()

    assert not is_signed_in(replay(app, copied))


# --- a phone that changes network -----------------------------------------------------


def test_a_session_survives_a_change_of_client_address(client, auth, trainee):
    """Wi-Fi to mobile data, or carrier NAT handing out another address: the trainee
    stays signed in, and a quiz sent from the new address is recorded."""
    wifi, mobile = {"REMOTE_ADDR": "192.0.2.10"}, {"REMOTE_ADDR": "198.51.100.7"}
    client.post(
        "/sign-in",
        data={"username": trainee.username, "password": PASSWORD},
        environ_base=wifi,
    )
    page = client.get("/modules/basics/quiz", environ_base=wifi).text
    attempt_id = int(re.search(r'action="/quiz/attempts/(\d+)"', page).group(1))

    assert client.get("/modules", environ_base=mobile).status_code == 200
    answers = {"answer-q-sky": ["1"], "answer-q-fruit": ["1", "3"], "answer-q-cat": ["2"]}
    sent = client.post(f"/quiz/attempts/{attempt_id}", data=answers, environ_base=mobile)

    assert sent.status_code == 302
    assert sent.location == f"/quiz/attempts/{attempt_id}"
    assert "Your result: 100 %" in client.get(sent.location, environ_base=mobile).text


# --- idle and absolute timeouts --------------------------------------------------------


def test_a_session_idle_for_the_idle_timeout_is_signed_out(client, auth, trainee):
    auth.sign_in(trainee)

    clock.travel(timedelta(minutes=30))
    response = client.get("/certificates")

    assert response.status_code == 302
    assert response.location == "/sign-in?next=/certificates"
    page = client.get(response.location).text
    assert str(IDLE_MESSAGE) in page
    assert "Please sign in to see this page." not in page
    assert not is_signed_in(client)


def test_a_session_just_inside_the_idle_timeout_is_kept(client, auth, trainee):
    auth.sign_in(trainee)

    clock.travel(timedelta(minutes=29, seconds=50))

    assert is_signed_in(client)


def test_activity_keeps_a_session_alive(client, auth, trainee):
    auth.sign_in(trainee)

    for _ in range(4):
        clock.travel(timedelta(minutes=20))
        assert is_signed_in(client)


@pytest.mark.parametrize(
    "app_config", [{"ACADEMY_IDLE_MINUTES": 5, "ACADEMY_SESSION_HOURS": 1}], indirect=True
)
def test_the_timeouts_come_from_the_config(client, auth, trainee):
    auth.sign_in(trainee)
    clock.travel(timedelta(minutes=5))

    assert not is_signed_in(client)


def test_even_an_active_session_ends_after_the_absolute_timeout(client, auth, trainee):
    auth.sign_in(trainee)
    for _ in range(11 * 3):  # active every 20 minutes for 11 hours
        clock.travel(timedelta(minutes=20))
        assert is_signed_in(client)

    clock.travel(timedelta(minutes=60))
    response = client.get("/account")

    assert response.status_code == 302
    assert str(ABSOLUTE_MESSAGE) in client.get("/sign-in").text
    assert not is_signed_in(client)


def test_an_expired_cookie_replayed_later_stays_expired(app, client, auth, trainee):
    auth.sign_in(trainee)
    copied = client.get_cookie(COOKIE).value
    clock.travel(timedelta(hours=13))

    assert not is_signed_in(replay(app, copied))


def test_a_form_sent_after_the_idle_timeout_changes_nothing(client, auth, trainee):
    auth.sign_in(trainee)
    clock.travel(timedelta(hours=1))

    response = client.post("/account/display-name", data={"display_name": "Changed"})

    assert response.status_code == 302
    assert response.location == "/sign-in"
    db.session.refresh(trainee)
    assert trainee.display_name == "Ayo"


def test_last_seen_is_written_to_the_cookie_at_most_once_a_minute(client, auth, trainee):
    auth.sign_in(trainee)
    client.get("/modules")

    clock.travel(timedelta(seconds=30))
    quiet = client.get("/modules")
    clock.travel(timedelta(seconds=40))
    refreshed = client.get("/modules")

    assert "Set-Cookie" not in quiet.headers
    assert refreshed.headers["Set-Cookie"].startswith(f"{COOKIE}=")


def test_anonymous_visitors_get_no_session_cookie(client):
    response = client.get("/verify")

    assert "Set-Cookie" not in response.headers
