"""A way back in, the pages: making a reset link (shown once), using it, the same page for
every unusable link, throttling, CSRF, the admin's second-factor reset and the audit."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from academy.core import clock
from academy.core.extensions import db
from academy.modules.accounts import recovery, two_factor
from academy.modules.accounts.models import AccountRecovery, Role, User
from academy.modules.centres import coordinators, membership
from tests.conftest import PASSWORD, build_config, csrf_token_from

NEW_PASSWORD = "a new password for spring"


@pytest.fixture
def app_config(request, tmp_path) -> dict:
    """Rate limits off, unless a test's parameters turn them on."""
    return build_config(tmp_path, **{"RATELIMIT_ENABLED": False} | getattr(request, "param", {}))


def reset_link_in(page: str) -> str:
    match = re.search(r'value="(http[^"]+/reset-password/[^"]+)"', page)
    assert match, page
    return match.group(1)


def path_of(link: str) -> str:
    return link.split("localhost", 1)[1]


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_a_trainer_makes_a_link_shown_once_and_logged_nowhere(app, client, auth, make_user, caplog):
    trainee = make_user(Role.TRAINEE, "trainee-one", "Ayo")
    auth.sign_in(make_user(Role.TRAINER, "trainer-one"))
    assert 'href="/accounts/1/reset-link"' in client.get(f"/trainer/trainees/{trainee.id}").text

    page = client.get(f"/accounts/{trainee.id}/reset-link").text
    assert "Password reset link for Ayo" in page
    assert "works <strong>once</strong>, for 72 hours" in page
    assert "/reset-password/" not in page  # nothing made by looking

    caplog.set_level(logging.DEBUG)
    made = client.post(f"/accounts/{trainee.id}/reset-link")
    assert made.status_code == 200
    link = reset_link_in(made.text)
    assert "shown <strong>only this once</strong>" in made.text
    token = link.rsplit("/", 1)[1]
    assert token not in caplog.text and all(token not in str(r.args) for r in caplog.records)
    assert token not in client.get(f"/accounts/{trainee.id}/reset-link").text
    row = db.session.scalar(select(AccountRecovery))
    assert row.token_hash != token and row.issued_by_id is not None

    phone = app.test_client()  # using it logs neither the token nor the new password
    phone.get(path_of(link))
    phone.post(path_of(link), data={"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    logged = caplog.text + "".join(str(r.args) + str(r.__dict__) for r in caplog.records)
    assert "/reset-password/<token>" in logged  # the route rule, not the path
    for secret in (token, NEW_PASSWORD, "trainee-one", "Ayo"):
        assert secret not in logged


def test_the_trainee_sets_a_new_password_and_every_other_session_ends(app, client, make_user):
    trainee = make_user(Role.TRAINEE, "trainee-one", "Ayo")
    trainer = make_user(Role.TRAINER, "trainer-one")
    elsewhere = app.test_client()  # the trainee's other phone, still signed in
    elsewhere.post("/sign-in", data={"username": "trainee-one", "password": PASSWORD})
    assert elsewhere.get("/modules").status_code == 200
    _, token = recovery.issue_reset_link(trainer, trainee)
    db.session.commit()

    form = client.get(f"/reset-password/{token}")
    assert form.status_code == 200
    assert "Choose a new password" in form.text
    assert 'autocomplete="new-password"' in form.text

    mismatch = client.post(
        f"/reset-password/{token}",
        data={"password": NEW_PASSWORD, "confirm_password": "something else entirely"},
    )
    assert mismatch.status_code == 400 and "The two passwords differ." in mismatch.text
    short = client.post(
        f"/reset-password/{token}", data={"password": "short", "confirm_password": "short"}
    )
    assert short.status_code == 400
    assert "Field must be between 10 and 256 characters long." in short.text

    done = client.post(
        f"/reset-password/{token}",
        data={"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done.location == "/sign-in"
    assert "every other sign-in has ended" in client.get("/sign-in").text
    assert elsewhere.get("/modules").status_code == 302  # signed out there
    refused = client.post("/sign-in", data={"username": "trainee-one", "password": PASSWORD})
    assert refused.status_code == 400
    signed_in = client.post("/sign-in", data={"username": "trainee-one", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert reload(trainee).password_hash.startswith("$argon2id$")


def test_used_expired_and_unknown_links_get_the_same_page(app, client, make_user):
    trainee = make_user(Role.TRAINEE, "trainee-one")
    trainer = make_user(Role.TRAINER, "trainer-one")
    _, used = recovery.issue_reset_link(trainer, trainee)
    recovery.reset_password(used, NEW_PASSWORD)
    _, expiring = recovery.issue_reset_link(trainer, trainee)
    db.session.commit()
    clock.travel(timedelta(hours=73))

    pages = set()
    for token in (used, expiring, "made-up-token", "x" * 300):
        for response in (
            client.get(f"/reset-password/{token}"),
            client.post(
                f"/reset-password/{token}",
                data={"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
            ),
        ):
            assert response.status_code == 404
            pages.add(re.sub(r'name="csrf_token"[^>]*>', "", response.text))
    assert len(pages) == 1
    page = pages.pop()
    assert "This reset link cannot be used" in page
    assert "Please ask your trainer or your centre&#39;s coordinator for a new one." in page


def test_a_signed_in_person_opening_a_link_is_asked_to_sign_out_first(client, auth, make_user):
    trainee = make_user(Role.TRAINEE, "trainee-one")
    _, token = recovery.issue_reset_link(make_user(Role.TRAINER), trainee)
    db.session.commit()
    auth.sign_in(make_user(Role.TRAINEE, "someone-else"))
    response = client.post(
        f"/reset-password/{token}",
        data={"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert "Sign out first to use a password reset link." in client.get(response.location).text
    assert recovery.check_reset_link(token).used_at is None  # still works


def test_a_coordinator_makes_links_only_for_trainees_who_share_with_their_centre(
    client, auth, make_user
):
    sharing = make_user(Role.TRAINEE, "sharing-one", "Sharing Sam")
    not_sharing = make_user(Role.TRAINEE, "not-sharing", "Quiet Quinn")
    coordinator = make_user(Role.CENTRE, "coordinator-a")
    centre = coordinators.create_centre("Centre A", coordinator)
    membership.join_centre(sharing, centre.invite_code, consent=True)
    db.session.commit()
    auth.sign_in(coordinator)

    peer_page = client.get(f"/centre/peers/{sharing.id}").text
    assert f'href="/accounts/{sharing.id}/reset-link"' in peer_page
    assert client.post(f"/accounts/{sharing.id}/reset-link").status_code == 200
    for user_id in (not_sharing.id, coordinator.id, 999_999):
        for method in ("GET", "POST"):
            response = client.open(f"/accounts/{user_id}/reset-link", method=method)
            assert response.status_code == 404, (method, user_id)
            assert "Quiet Quinn" not in response.text


@pytest.mark.parametrize(
    ("issuer_role", "holder_role", "status"),
    [
        (Role.TRAINEE, Role.TRAINEE, 403),  # another trainee
        (Role.TRAINER, Role.ADMIN, 404),  # a trainer for an admin
        (Role.TRAINER, Role.TRAINER, 404),
        (Role.CENTRE, Role.TRAINEE, 404),  # a coordinator of no centre the trainee shares with
    ],
)
def test_refused_issuers_make_no_link(client, auth, make_user, issuer_role, holder_role, status):
    holder = make_user(holder_role, "the-holder")
    auth.sign_in(make_user(issuer_role, "the-issuer"))
    assert client.post(f"/accounts/{holder.id}/reset-link").status_code == status
    assert db.session.scalar(select(AccountRecovery)) is None


def test_anonymous_people_are_sent_to_sign_in(client, make_user):
    holder = make_user(Role.TRAINEE)
    response = client.post(f"/accounts/{holder.id}/reset-link")
    assert response.status_code == 302 and response.location.startswith("/sign-in?next=")


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_making_a_link_and_using_it_need_the_csrf_token(app, client, auth, make_user):
    trainee = make_user(Role.TRAINEE, "trainee-one")
    auth.sign_in(make_user(Role.TRAINER, "trainer-one"))
    page = client.get(f"/accounts/{trainee.id}/reset-link").text
    assert client.post(f"/accounts/{trainee.id}/reset-link").status_code == 400
    assert db.session.scalar(select(AccountRecovery)) is None
    made = client.post(
        f"/accounts/{trainee.id}/reset-link", data={"csrf_token": csrf_token_from(page)}
    )
    link = path_of(reset_link_in(made.text))

    phone = app.test_client()
    new = {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    assert phone.post(link, data=new).status_code == 400
    assert recovery.check_reset_link(link.rsplit("/", 1)[1]).used_at is None
    form_token = csrf_token_from(phone.get(link).text)
    assert phone.post(link, data=new | {"csrf_token": form_token}).status_code == 302


@pytest.mark.parametrize(
    "app_config",
    [{"RATELIMIT_ENABLED": True, "ACADEMY_LIMIT_RESET_LINK": "3 per minute"}],
    indirect=True,
)
def test_opening_reset_links_is_throttled(client):
    for _ in range(3):
        assert client.get("/reset-password/guess").status_code == 404
    throttled = client.get("/reset-password/another-guess")
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) >= 1


# --- the admin's accounts page and the second factor ----------------------------------------


def _enrolled(user: User) -> User:
    secret = two_factor.begin_enrolment(user)
    two_factor.confirm_enrolment(user, two_factor.code_for_step(secret, two_factor.current_step()))
    db.session.commit()
    return user


def test_an_admin_finds_an_account_and_resets_its_second_factor(app, client, auth, make_user):
    admin = make_user(Role.ADMIN, "admin-one")
    coordinator = _enrolled(make_user(Role.CENTRE, "coordinator-lost-phone"))
    elsewhere = app.test_client()
    elsewhere.post("/sign-in", data={"username": coordinator.username, "password": PASSWORD})
    auth.sign_in(admin)

    found = client.get("/admin/accounts?q=lost-phone").text
    assert "coordinator-lost-phone" in found
    assert f'href="/admin/accounts/{coordinator.id}/two-step"' in found
    assert f'href="/accounts/{coordinator.id}/reset-link"' in found

    page = client.get(f"/admin/accounts/{coordinator.id}/two-step").text
    assert "two-step sign-in turned on" in page
    unconfirmed = client.post(f"/admin/accounts/{coordinator.id}/two-step")
    assert unconfirmed.status_code == 400 and "Please tick the box to confirm." in unconfirmed.text
    assert two_factor.is_enabled(reload(coordinator))

    done = client.post(f"/admin/accounts/{coordinator.id}/two-step", data={"confirm": "y"})
    assert done.status_code == 302
    assert "Two-step sign-in is off for coordinator-lost-phone" in client.get(done.location).text
    assert not two_factor.is_enabled(reload(coordinator))
    # The password alone signs in now: no code step.
    signed_in = elsewhere.post(
        "/sign-in", data={"username": coordinator.username, "password": PASSWORD}
    )
    assert signed_in.location != "/sign-in/code"
    audit = client.get("/admin/accounts").text
    assert re.search(
        r"Two-step sign-in reset</td>\s*<td>coordinator-lost-phone</td>\s*<td>admin-one</td>", audit
    )


def test_an_admin_who_must_use_it_sets_it_up_again_after_a_reset(app, client, auth, make_user):
    admin = make_user(Role.ADMIN, "admin-one")
    other_admin = _enrolled(make_user(Role.ADMIN, "admin-two"))
    auth.sign_in(admin)
    client.post(f"/admin/accounts/{other_admin.id}/two-step", data={"confirm": "y"})
    app.config["ACADEMY_REQUIRE_ADMIN_2FA"] = True

    theirs = app.test_client()
    theirs.post("/sign-in", data={"username": "admin-two", "password": PASSWORD})
    response = theirs.get("/admin/accounts")
    assert response.status_code == 302 and response.location == "/account/2fa"


def test_only_admins_reset_a_second_factor_and_not_their_own(client, auth, make_user):
    trainer = _enrolled(make_user(Role.TRAINER, "trainer-one"))
    auth.sign_in(make_user(Role.TRAINER, "trainer-two"))
    refused = client.post(f"/admin/accounts/{trainer.id}/two-step", data={"confirm": "y"})
    assert refused.status_code == 403
    auth.sign_out()
    admin = make_user(Role.ADMIN, "admin-one")
    auth.sign_in(admin)
    own = client.post(f"/admin/accounts/{admin.id}/two-step", data={"confirm": "y"})
    assert own.status_code == 404
    assert client.get("/admin/accounts/999999/two-step").status_code == 404
    assert two_factor.is_enabled(reload(trainer))
    assert db.session.scalar(select(AccountRecovery)) is None


def test_the_audit_lists_reset_links_without_their_tokens(client, auth, make_user):
    trainee = make_user(Role.TRAINEE, "trainee-one")
    _, token = recovery.issue_reset_link(make_user(Role.TRAINER, "trainer-one"), trainee)
    db.session.commit()
    auth.sign_in(make_user(Role.ADMIN, "admin-one"))
    page = client.get("/admin/accounts").text
    assert re.search(
        r"Password reset link</td>\s*<td>trainee-one</td>\s*<td>trainer-one</td>\s*<td>open</td>",
        page,
    )
    assert token not in page
