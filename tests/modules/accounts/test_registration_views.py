"""Invitation pages and registration: who may invite, the form, single use, open registration."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from academy.core import clock
from academy.core.extensions import db
from academy.modules.accounts import invitations
from academy.modules.accounts import services as accounts
from academy.modules.accounts.models import Invitation, Role, User
from academy.modules.centres import coordinators
from academy.modules.centres.models import Membership
from tests.conftest import PASSWORD, build_config


@pytest.fixture
def app_config(tmp_path) -> dict:
    return build_config(tmp_path, RATELIMIT_ENABLED=False)


def form_data(display_name="River", password=PASSWORD, **extra) -> dict:
    return {
        "display_name": display_name,
        "password": password,
        "confirm_password": extra.pop("confirm_password", password),
        **extra,
    }


def new_token(by, role=Role.TRAINEE, **kwargs) -> str:
    _, token = invitations.create_invitation(by, role, **kwargs)
    db.session.commit()
    return token


def offered_name(page: str) -> str:
    """The made-up sign-in name the registration form shows."""
    match = re.search(r'<input[^>]*id="username"[^>]*value="([^"]+)"', page) or re.search(
        r'<input[^>]*value="([^"]+)"[^>]*id="username"', page
    )
    assert match, page
    return match.group(1)


def registered() -> User | None:
    """The trainee account registration created (the tests make no other trainee)."""
    return db.session.scalar(select(User).filter_by(role="trainee"))


def link_in(page: str) -> str:
    match = re.search(r'value="(http[^"]+/register/[^"]+)"', page)
    assert match, page
    return match.group(1)


# --- inviting -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/invitations")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_trainees_cannot_invite(client, auth, trainee):
    auth.sign_in(trainee)
    assert client.get("/invitations").status_code == 403
    assert (
        client.post("/invitations", data={"role": "trainee", "days_valid": 14}).status_code == 403
    )
    assert db.session.scalar(select(Invitation)) is None


def test_a_trainer_creates_a_link_shown_once(client, auth, trainer):
    auth.sign_in(trainer)
    form = client.get("/invitations").get_data(as_text=True)
    assert '<option value="trainee"' in form
    assert 'value="trainer"' not in form and 'value="admin"' not in form

    response = client.post("/invitations", data={"role": "trainee", "days_valid": 7})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "shown <strong>only this once</strong>" in page
    link = link_in(page)
    invitation = db.session.scalar(select(Invitation))
    assert invitation.expires_at.strftime("%Y-%m-%d %H:%M") in page
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)

    again = client.get("/invitations").get_data(as_text=True)
    assert link.rsplit("/", 1)[1] not in again  # never shown again
    assert "Trainee (peer advisor in training)" in again  # listed as open

    client.post("/sign-out")
    assert "Create your account" in client.get(link).get_data(as_text=True)


def test_a_trainer_cannot_invite_a_trainer_or_admin(client, auth, trainer):
    auth.sign_in(trainer)
    for role in ("trainer", "centre", "admin"):
        response = client.post("/invitations", data={"role": role, "days_valid": 14})
        assert response.status_code == 403
    assert db.session.scalar(select(Invitation)) is None


def test_an_admin_invites_every_role(client, auth, admin):
    auth.sign_in(admin)
    for role in ("trainee", "trainer", "centre", "admin"):
        response = client.post("/invitations", data={"role": role, "days_valid": 14})
        assert response.status_code == 200
    roles = sorted(db.session.scalars(select(Invitation.role)))
    assert roles == ["admin", "centre", "trainee", "trainer"]


def test_a_coordinator_invites_for_their_centre(client, auth, make_user):
    coordinator = make_user(Role.CENTRE, "coordinator-one")
    auth.sign_in(coordinator)
    assert client.get("/invitations").status_code == 403  # not linked to a centre yet

    centre = coordinators.create_centre("Centre A", coordinator)
    db.session.commit()
    page = client.post("/invitations", data={"role": "trainee", "days_valid": 14}).get_data(
        as_text=True
    )
    assert "for Centre A" in page
    assert db.session.scalar(select(Invitation.centre_id)) == centre.id
    assert client.post("/invitations", data={"role": "admin", "days_valid": 14}).status_code == 403


def test_invalid_validity_is_refused_with_a_message(client, auth, trainer):
    auth.sign_in(trainer)
    response = client.post("/invitations", data={"role": "trainee", "days_valid": 365})
    assert response.status_code == 400
    assert "between 1 and 90" in response.get_data(as_text=True)


def test_revoking_an_invitation_stops_its_link(client, auth, trainer):
    token = new_token(trainer)
    invitation_id = db.session.scalar(select(Invitation.id))
    auth.sign_in(trainer)
    response = client.post(f"/invitations/{invitation_id}/revoke", follow_redirects=True)
    assert "its link no longer works" in response.get_data(as_text=True)
    client.post("/sign-out")
    assert client.get(f"/register/{token}").status_code == 404


def test_a_trainer_cannot_revoke_someone_elses_invitation(client, auth, trainer, admin):
    new_token(admin)
    invitation_id = db.session.scalar(select(Invitation.id))
    auth.sign_in(trainer)
    assert client.post(f"/invitations/{invitation_id}/revoke").status_code == 404
    assert db.session.get(Invitation, invitation_id) is not None


# --- registering --------------------------------------------------------------------------


def test_the_form_asks_for_pseudonymous_details_only(client, trainer):
    page = client.get(f"/register/{new_token(trainer)}").get_data(as_text=True)

    assert "It does not need to be your real name." in page
    assert "only stored if you want your trainer to be able to reach you" in page
    form = page.split('<form method="post"', 1)[1].split("</form>", 1)[0]
    fields = set(re.findall(r'<input[^>]* name="([^"]+)"', form)) - {"csrf_token"}
    assert fields == {"username", "display_name", "password", "confirm_password", "email"}
    for asked in ("nationality", "birth", "real name", "story", "country", "phone"):
        assert asked not in " ".join(re.findall(r"<label[^>]*>([^<]*)</label>", form)).lower()


def test_registering_signs_the_new_person_in_under_the_offered_name(client, trainer):
    token = new_token(trainer)
    name = offered_name(client.get(f"/register/{token}").get_data(as_text=True))
    response = client.post(f"/register/{token}", data=form_data(email="river@example.org"))

    assert response.status_code == 302 and response.headers["Location"].endswith("/modules")
    user = accounts.find_user(name)
    assert (user.display_name, user.role, user.email) == ("River", "trainee", "river@example.org")
    welcome = client.get("/modules").get_data(as_text=True)
    assert f"Welcome, River. Your account is ready. Your sign-in name is {name}" in welcome
    assert f"signed in as <strong>{name}</strong>" in client.get("/account").get_data(as_text=True)
    assert invitations.open_invitations(trainer) == []


def test_a_link_works_once(client, trainer):
    token = new_token(trainer)
    client.post(f"/register/{token}", data=form_data())
    client.post("/sign-out")

    page = client.get(f"/register/{token}")
    assert page.status_code == 410
    assert "already been used" in page.get_data(as_text=True)
    again = client.post(f"/register/{token}", data=form_data(display_name="Second"))
    assert again.status_code == 410
    assert db.session.scalar(select(User).filter_by(display_name="Second")) is None


def test_unknown_and_expired_links_explain_themselves(client, trainer):
    unknown = client.get("/register/not-a-real-token")
    assert unknown.status_code == 404
    assert "This invitation link is not valid" in unknown.get_data(as_text=True)

    token = new_token(trainer, days_valid=1)
    clock.travel(timedelta(days=1, minutes=1))
    expired = client.post(f"/register/{token}", data=form_data())
    assert expired.status_code == 410
    assert "has expired" in expired.get_data(as_text=True)
    assert registered() is None


def test_mistakes_are_shown_next_to_the_field_and_keep_the_link_usable(client, trainer):
    token = new_token(trainer)

    differ = client.post(f"/register/{token}", data=form_data(confirm_password="something else"))
    assert differ.status_code == 400
    assert "The two passwords differ." in differ.get_data(as_text=True)

    bad_email = client.post(f"/register/{token}", data=form_data(email="no-at-sign"))
    assert "does not look like an e-mail address" in bad_email.get_data(as_text=True)
    assert 'id="email-error">This does not look like' in bad_email.get_data(as_text=True)

    short = client.post(
        f"/register/{token}", data=form_data(password="short", confirm_password="short")
    )
    assert short.status_code == 400
    assert 'id="password-error">' in short.get_data(as_text=True)
    assert "This link works for 2 more tries." in short.get_data(as_text=True)

    assert client.post(f"/register/{token}", data=form_data()).status_code == 302


def test_a_centre_invitation_offers_joining_the_centre_with_consent(client, make_user):
    coordinator = make_user(Role.CENTRE)
    centre = coordinators.create_centre("Centre A", coordinator)
    token = new_token(coordinator)

    response = client.post(f"/register/{token}", data=form_data())
    assert response.status_code == 302 and response.headers["Location"].endswith("/centres")
    page = client.get("/centres").get_data(as_text=True)
    assert "You were invited by Centre A" in page
    assert coordinators.format_invite_code(centre.invite_code) in page
    assert "tick" in page  # nothing is shared before the trainee consents
    assert db.session.scalar(select(Membership)) is None


def test_the_invited_trainee_does_not_retype_the_centre_s_invite_code(client, make_user):
    coordinator = make_user(Role.CENTRE)
    centre = coordinators.create_centre("Centre A", coordinator)
    code = coordinators.format_invite_code(centre.invite_code)
    client.post(f"/register/{new_token(coordinator)}", data=form_data())

    for _ in range(2):  # filled in, and still after a reload
        page = client.get("/centres").get_data(as_text=True)
        field = re.search(r'<input[^>]*id="invite_code"[^>]*>', page).group(0)
        assert f'value="{code}"' in field
        assert 'id="consent" name="consent" type="checkbox" value="y">' in page  # unticked
    joined = client.post("/centres/join", data={"invite_code": code, "consent": "y"})
    assert joined.status_code == 302
    assert db.session.scalar(select(Membership)).centre_id == centre.id
    field = re.search(r'<input[^>]*id="invite_code"[^>]*>', client.get("/centres").text).group(0)
    assert f'value="{code}"' not in field  # used: not offered again


def test_a_trainer_s_invitation_fills_in_no_invite_code(client, trainer):
    client.post(f"/register/{new_token(trainer)}", data=form_data())
    field = re.search(r'<input[^>]*id="invite_code"[^>]*>', client.get("/centres").text).group(0)
    assert 'value=""' in field or "value=" not in field


def test_signed_in_people_are_not_offered_a_second_account(client, auth, trainer):
    token = new_token(trainer)
    auth.sign_in(trainer)
    response = client.get(f"/register/{token}")
    assert response.status_code == 302
    assert invitations.check_invitation(token)  # still unused


# --- open registration --------------------------------------------------------------------


def test_open_registration_is_off_by_default(app, client):
    """Without an invitation, /register says how to get one, not "Page not found"."""
    assert app.config["ACADEMY_OPEN_REGISTRATION"] is False
    page = client.get("/register")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<h1>Accounts are by invitation</h1>" in text
    assert "Ask your counselling centre or your trainer for an invitation link." in text
    assert 'href="/sign-in"' in text
    assert "Page not found" not in text
    assert "<form" not in text.split("<main", 1)[1]  # nothing to fill in
    refused = client.post("/register", data=form_data())
    assert refused.status_code == 403
    assert "Accounts are by invitation" in refused.get_data(as_text=True)
    assert registered() is None


def test_open_registration_creates_trainees_when_switched_on(app, client):
    app.config["ACADEMY_OPEN_REGISTRATION"] = True
    page = client.get("/register")
    assert page.status_code == 200
    assert "It does not need to be your real name." in page.get_data(as_text=True)

    response = client.post("/register", data=form_data(role="admin"))
    assert response.status_code == 302
    assert registered().username == offered_name(page.get_data(as_text=True))


def test_the_privacy_notice_is_linked_from_the_form_and_readable_signed_out(client, trainer):
    form = client.get(f"/register/{new_token(trainer)}").get_data(as_text=True)
    assert 'href="/privacy"' in form
    notice = client.get("/privacy")
    assert notice.status_code == 200
    assert "<h2" in notice.get_data(as_text=True)  # test_privacy_notice.py checks the text
