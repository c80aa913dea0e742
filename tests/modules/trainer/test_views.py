"""Trainer pages: search, revoke, suspend (observed practice: test_observation_views.py)."""

from __future__ import annotations

import pytest

from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.certificates import services


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, "trainer-one", "Trainer Kim")


@pytest.fixture
def issued(trainee):
    certificate = services.issue_or_renew(trainee, "module", "basics", "Basics", "1.0", 12)
    db.session.commit()
    return certificate


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CENTRE])
def test_only_trainers_and_admins_reach_trainer_pages(client, auth, make_user, trainee, role):
    auth.sign_in(make_user(role))
    assert client.get("/trainer/").status_code == 403
    assert client.get(f"/trainer/trainees/{trainee.id}").status_code == 403
    assert client.post(f"/trainer/trainees/{trainee.id}/suspend").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, trainee):
    response = client.get(f"/trainer/trainees/{trainee.id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_trainer_finds_trainees_by_display_name(client, auth, trainer, trainee, make_user):
    make_user(Role.TRAINEE, "other-person", "Bea")
    auth.sign_in(trainer)
    page = client.get("/trainer/?q=ayo").get_data(as_text=True)
    assert "Ayo" in page and "Bea" not in page


def test_trainer_revokes_with_a_reason_that_verification_hides(client, auth, trainer, issued):
    auth.sign_in(trainer)
    refused = client.post(f"/trainer/certificates/{issued.id}/revoke", data={"reason": ""})
    assert refused.status_code == 302
    assert services.certificate_status(issued) == "valid"

    client.post(f"/trainer/certificates/{issued.id}/revoke", data={"reason": "breach of rules"})
    db.session.refresh(issued)
    assert services.certificate_status(issued) == "revoked"
    trainee_page = client.get(f"/trainer/trainees/{issued.user_id}").get_data(as_text=True)
    assert "breach of rules" in trainee_page
    public = client.get(f"/verify?code={issued.code}").get_data(as_text=True)
    assert "Revoked certificate" in public and "breach" not in public


def test_trainer_suspends_with_a_private_note_and_lifts_it(client, auth, trainer, trainee, issued):
    auth.sign_in(trainer)
    client.post(f"/trainer/trainees/{trainee.id}/suspend", data={"note": "needs a talk"})
    public = client.get(f"/verify?code={issued.code}").get_data(as_text=True)
    assert "paused" in public and "needs a talk" not in public
    client.post(f"/trainer/trainees/{trainee.id}/lift")
    assert services.verify_code(issued.code).status == "valid"


def test_trainer_pages_name_no_one_but_trainees(client, auth, trainer, make_user):
    auth.sign_in(trainer)
    coordinator = make_user(Role.CENTRE)
    assert client.get(f"/trainer/trainees/{coordinator.id}").status_code == 404
