"""Centre pages: who may see what, consent through the pages, one centre never sees
another, the dashboard, tasks, the log, tokens and CSRF."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres import api_tokens, coordinators, tasks
from academy.modules.centres.models import ApiToken, Membership, Task
from academy.modules.certificates import services as certificates
from tests.conftest import PASSWORD, csrf_token_from
from tests.modules.centres.helpers import add_task, certify, coordinator_of, join, sign_in

COORDINATOR_PAGES = [
    "/centre",
    "/centre/tasks",
    "/centre/matrix",
    "/centre/matrix.csv",
    "/centre/log",
    "/centre/tokens",
]


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", COORDINATOR_PAGES)
def test_trainees_and_trainers_get_403_on_centre_pages(client, make_user, path):
    for role in (Role.TRAINEE, Role.TRAINER):
        client.post("/sign-out")
        sign_in(client, make_user(role))
        assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", COORDINATOR_PAGES)
def test_a_coordinator_without_a_centre_gets_403(client, make_user, path):
    sign_in(client, make_user(Role.CENTRE))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", [*COORDINATOR_PAGES, "/centres"])
def test_signed_out_visitors_are_sent_to_sign_in(client, app, path):
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_coordinators_cannot_use_the_peer_pages(client, centre_a):
    sign_in(client, coordinator_of(centre_a))
    assert client.get("/centres").status_code == 403
    assert client.post("/centres/join", data={"invite_code": "x", "consent": "y"}).status_code == (
        403
    )


def test_navigation_shows_centres_to_trainees_and_the_centre_to_coordinators(
    client, centre_a, peer
):
    sign_in(client, peer)
    page = client.get("/certificates").text
    assert 'href="/centres"' in page and 'href="/centre"' not in page
    client.post("/sign-out")
    sign_in(client, coordinator_of(centre_a))
    page = client.get("/certificates").text
    assert 'href="/centre"' in page and 'href="/centres"' not in page


# --- joining and withdrawing through the pages --------------------------------------------


def test_the_join_form_explains_what_is_shared(client, peer):
    sign_in(client, peer)
    page = client.get("/centres").text
    assert (
        "your display name and which certificates you hold, whether they are valid, expired "
        "or paused — never quiz answers or scores" in page
    )
    assert '<label for="consent">' in page and '<label for="invite_code">' in page


def test_joining_without_ticking_consent_is_refused(client, centre_a, peer):
    sign_in(client, peer)
    response = client.post("/centres/join", data={"invite_code": centre_a.invite_code})
    assert response.status_code == 400
    assert "Please tick the box" in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'aria-describedby="consent-error"' in response.text
    assert 'id="consent-error"' in response.text
    assert db.session.scalar(select(Membership)) is None


def test_joining_with_consent_and_stopping_again(client, centre_a, peer):
    sign_in(client, peer)
    response = client.post(
        "/centres/join",
        data={"invite_code": centre_a.invite_code.lower(), "consent": "y"},
        follow_redirects=True,
    )
    assert "You now share your certification status with Centre A." in response.text
    assert "Stop sharing with Centre A" in response.text

    response = client.post(f"/centres/{centre_a.id}/withdraw", follow_redirects=True)
    assert "You no longer share anything with Centre A." in response.text
    assert "Stop sharing with Centre A" not in response.text
    assert client.post(f"/centres/{centre_a.id}/withdraw").status_code == 404


def test_an_unknown_invite_code_is_explained(client, peer):
    sign_in(client, peer)
    response = client.post("/centres/join", data={"invite_code": "ZZZZZ-ZZZZZ", "consent": "y"})
    assert response.status_code == 400
    assert "No centre has this invite code" in response.text


def test_withdrawal_hides_the_peer_from_every_page_at_once(client, centre_a, peer, make_user):
    add_task(centre_a, "Lead a group session", "module:basics")
    join(peer, centre_a)
    certify(peer, "module", "basics")
    coordinator = coordinator_of(centre_a)
    sign_in(client, coordinator)
    for path in ("/centre", "/centre/matrix", "/centre/matrix.csv", f"/centre/peers/{peer.id}"):
        assert "Peer One" in client.get(path).text, path

    peer_client = client.application.test_client()
    sign_in(peer_client, peer)
    assert peer_client.post(f"/centres/{centre_a.id}/withdraw").status_code == 302

    for path in ("/centre", "/centre/matrix", "/centre/matrix.csv"):
        assert "Peer One" not in client.get(path).text, path
    assert client.get(f"/centre/peers/{peer.id}").status_code == 404


# --- one centre never sees another --------------------------------------------------------


def test_a_coordinator_sees_nothing_of_another_centre(as_a, centre_a, centre_b, make_user):
    ours = make_user(Role.TRAINEE, "ours", "Our Peer")
    theirs = make_user(Role.TRAINEE, "theirs", "Their Peer")
    join(ours, centre_a)
    join(theirs, centre_b)
    add_task(centre_a, "Our task", "module:basics")
    their_task = add_task(centre_b, "Their task", "module:basics")
    their_token, _ = api_tokens.create_token(centre_b, "Their token", coordinator_of(centre_b))
    db.session.commit()

    for path in ("/centre", "/centre/matrix", "/centre/matrix.csv", "/centre/tasks"):
        page = as_a.get(path).text
        assert "Our Peer" in page or "Our task" in page, path
        assert "Their Peer" not in page and "Their task" not in page, path
    assert "Their token" not in as_a.get("/centre/tokens").text

    assert as_a.get(f"/centre/peers/{theirs.id}").status_code == 404
    assert as_a.get(f"/centre/tasks/{their_task.id}").status_code == 404
    assert as_a.post(f"/centre/tasks/{their_task.id}", data={"title": "Mine now"}).status_code == (
        404
    )
    assert as_a.post(f"/centre/tasks/{their_task.id}/delete").status_code == 404
    assert as_a.post(f"/centre/tokens/{their_token.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(Task, their_task.id).title == "Their task"
    assert db.session.get(ApiToken, their_token.id).revoked_at is None


@pytest.mark.parametrize("number", [0, 2**31, 2**63, 10**30])
def test_out_of_range_ids_are_404_not_errors(as_a, number):
    for path in (f"/centre/peers/{number}", f"/centre/tasks/{number}"):
        assert as_a.get(path).status_code == 404
    assert as_a.post(f"/centre/tokens/{number}/revoke").status_code == 404


# --- dashboard and invite code ------------------------------------------------------------


def test_the_dashboard_shows_the_invite_code_and_the_roster(as_a, centre_a, peer):
    join(peer, centre_a)
    certificates.pause_self(peer)
    db.session.commit()
    page = as_a.get("/centre").text
    assert coordinators.format_invite_code(centre_a.invite_code) in page
    assert f'href="/centre/peers/{peer.id}"' in page
    assert "Paused" in page


def test_a_new_invite_code(as_a, centre_a):
    old = centre_a.invite_code
    response = as_a.post("/centre/invite-code", follow_redirects=True)
    assert "The centre has a new invite code" in response.text
    db.session.expire_all()
    assert centre_a.invite_code != old
    assert coordinators.format_invite_code(centre_a.invite_code) in response.text


# --- tasks --------------------------------------------------------------------------------


def test_the_task_form_offers_every_module_and_path_with_labels(as_a):
    page = as_a.get("/centre/tasks").text
    for value in (
        "module:basics",
        "module:advanced",
        "path:fixture-path",
        "path:fixture-practice",
    ):
        match = re.search(rf'value="{re.escape(value)}" id="([^"]+)"', page)
        assert match, value
        assert f'<label for="{match.group(1)}">' in page
    assert "attestation" not in page
    assert "basics and observed practice (modules and observed practice)</label>" in page


def test_creating_editing_and_deleting_a_task(as_a, centre_a):
    response = as_a.post(
        "/centre/tasks",
        data={
            "title": "Lead a group session",
            "requirements": ["module:basics", "path:fixture-path"],
        },
        follow_redirects=True,
    )
    assert "The task &#39;Lead a group session&#39; is saved." in response.text
    [task] = tasks.tasks_of(centre_a)
    assert sorted(tasks.task_requirement_values(task)) == ["module:basics", "path:fixture-path"]

    edit = as_a.get(f"/centre/tasks/{task.id}").text
    assert re.search(r'value="module:basics" id="[^"]+" checked', edit)
    assert not re.search(r'value="module:advanced" id="[^"]+" checked', edit)

    as_a.post(
        f"/centre/tasks/{task.id}",
        data={
            "title": "Lead a group",
            "description": "Weekly",
            "requirements": ["module:advanced"],
        },
    )
    db.session.expire_all()
    assert (task.title, task.description) == ("Lead a group", "Weekly")
    assert tasks.task_requirement_values(task) == ["module:advanced"]

    as_a.post(f"/centre/tasks/{task.id}/delete")
    assert tasks.tasks_of(centre_a) == []


def test_a_task_with_unknown_or_no_requirements_is_refused(as_a, centre_a):
    response = as_a.post("/centre/tasks", data={"title": "Lead", "requirements": ["module:gone"]})
    assert response.status_code == 400
    assert "is not in the current curriculum" in response.text
    response = as_a.post("/centre/tasks", data={"title": "Lead"})
    assert response.status_code == 400
    assert "choose at least one" in response.text
    response = as_a.post("/centre/tasks", data={"title": "", "requirements": ["module:basics"]})
    assert response.status_code == 400
    assert "Please give the task a title." in response.text
    assert tasks.tasks_of(centre_a) == []


# --- verification log ---------------------------------------------------------------------


def test_the_log_shows_this_centres_checks_only(client, centre_a, centre_b, make_user):
    holder = make_user(Role.TRAINEE, "holder", "Holder")
    code = certify(holder, "module", "basics").code
    sign_in(client, coordinator_of(centre_b))
    assert client.get(f"/verify?code={code}").status_code == 200  # B's check
    client.post("/sign-out")
    client.get(f"/verify?code={code}")  # anonymous
    sign_in(client, coordinator_of(centre_a))
    client.get("/verify?code=0000-0000-0000-0000-0000")  # A's check of an unknown code

    page = client.get("/centre/log").text
    assert page.count("<tr>") == 2  # the header and one entry
    assert "Unknown" in page and "Verify page" in page
    assert coordinator_of(centre_a).display_name in page
    assert "Valid" not in page


# --- tokens -------------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_then_only_its_prefix(as_a, centre_a):
    response = as_a.post("/centre/tokens", data={"name": "Rota system"})
    assert response.status_code == 201
    plain = re.search(r'<code class="code token">(pa_[^<]+)</code>', response.text).group(1)
    assert "shown only this once" in response.text

    listing = as_a.get("/centre/tokens").text
    assert plain not in listing
    assert plain[:10] in listing and "Rota system" in listing and "never" in listing
    dump = " ".join(
        str(v) for row in db.session.execute(text("SELECT * FROM centre_api_tokens")) for v in row
    )
    assert plain not in dump


def test_revoking_a_token(as_a, centre_a):
    token, plain = api_tokens.create_token(centre_a, "Rota", coordinator_of(centre_a))
    db.session.commit()
    response = as_a.post(f"/centre/tokens/{token.id}/revoke", follow_redirects=True)
    assert "The token &#39;Rota&#39; is revoked" in response.text
    assert "Revoked" in response.text
    assert api_tokens.authenticate_token(plain) is None


def test_a_token_needs_a_name(as_a):
    response = as_a.post("/centre/tokens", data={"name": ""})
    assert response.status_code == 400 and "Please name the token." in response.text


# --- CSRF ---------------------------------------------------------------------------------


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_every_centre_form_carries_a_csrf_token_and_needs_it(client, centre_a, peer):
    task = add_task(centre_a, "Lead", "module:basics")
    api_tokens.create_token(centre_a, "Rota", coordinator_of(centre_a))
    join(peer, centre_a)
    login = client.get("/sign-in").text
    client.post(
        "/sign-in",
        data={
            "username": coordinator_of(centre_a).username,
            "password": PASSWORD,
            "csrf_token": csrf_token_from(login),
        },
    )
    for path in ("/centre", "/centre/tasks", f"/centre/tasks/{task.id}", "/centre/tokens"):
        page = client.get(path).text
        forms = re.findall(r"<form method=\"post\".*?</form>", page, flags=re.S)
        assert forms, path
        for form in forms:
            assert 'name="csrf_token"' in form, (path, form[:80])
    for path in ("/centre/invite-code", "/centre/tasks", "/centre/tokens"):
        assert client.post(path, data={"title": "x", "name": "x"}).status_code == 400
