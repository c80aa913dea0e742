"""The data download: everything about the signed-in person, nothing about anyone else."""

from __future__ import annotations

import json
from datetime import date

import pytest

from academy.core.extensions import db
from academy.modules.accounts import privacy
from academy.modules.accounts.models import Role
from academy.modules.certificates.codes import format_code
from tests.modules.accounts.seed import seed_person


@pytest.fixture
def people(make_user, trainer):
    ayo = seed_person(make_user, trainer, "ayo-sign-in", "Ayo", "Centre A", "ayo@example.org")
    bea = seed_person(make_user, trainer, "bea-sign-in", "Bea", "Centre B", "bea@example.org")
    return ayo, bea


def download(client, auth, user) -> tuple[dict, str]:
    auth.sign_in(user)
    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    return json.loads(text), text


def test_signing_in_is_required(client):
    response = client.get("/account/data.json")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_account_page_links_to_the_download_and_deletion(client, auth, trainee):
    auth.sign_in(trainee)
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/account/data.json" download' in page
    assert 'href="/account/delete"' in page


def test_the_download_holds_everything_about_the_person(client, auth, people):
    ayo, _ = people
    data, _ = download(client, auth, ayo.user)

    account = data["account"]
    assert account["username"] == "ayo-sign-in"
    assert account["display_name"] == "Ayo"
    assert account["email"] == "ayo@example.org"
    assert account["role"] == "trainee"
    assert account["two_factor_enabled"] is False

    assert {row["lesson_slug"] for row in data["lesson_progress"]} == {
        "first-steps",
        "next-steps",
    }
    assert data["module_progress"][0]["module_slug"] == "basics"
    assert data["module_progress"][0]["completed_at"]

    attempt = data["quiz_attempts"][0]
    assert attempt["module_slug"] == "basics"
    assert attempt["score"] == 100 and attempt["passed"] is True
    assert attempt["answers"] == ayo.attempt.answers

    (certificate,) = [c for c in data["certificates"] if c["kind"] == "module"]
    assert certificate["code"] == format_code(ayo.certificate.code)
    assert certificate["holder_name"] == "Ayo"
    assert certificate["status"] == "paused"  # the trainer's suspension

    assert data["observed_practice"] == [
        {
            "path_slug": "fixture-practice",
            "scenario_id": "crisis",
            "observed_on": date.today().isoformat(),
            "note": "practice note about Ayo",  # the trainer's private note: right of access
            "criteria": {"crisis-rule": "Not yet", "no-story-questions": "Met"},
        }
    ]
    assert data["pauses"][0]["kind"] == "trainer"
    assert data["pauses"][0]["note"] == "suspension note about Ayo"

    (membership,) = data["centre_memberships"]
    assert membership["centre"] == "Centre A" and membership["sharing"] is True
    assert membership["consent_given_at"] and membership["withdrawn_at"] is None

    (check,) = data["certificate_checks"]
    assert check["code"] == format_code(ayo.certificate.code)
    assert check["via"] == "page"

    assert data["exported_at"] and "one-way hash" in data["about"]


def test_secrets_are_never_exported(client, auth, people):
    ayo, _ = people
    ayo.user.totp_secret = "SECRET-TOTP-SEED"
    db.session.commit()
    data, text = download(client, auth, ayo.user)

    for secret in (ayo.user.password_hash, ayo.user.session_nonce, "SECRET-TOTP-SEED"):
        assert secret not in text
    assert not {"password_hash", "session_nonce", "totp_secret"} & set(data["account"])


def test_nothing_of_other_people_is_in_the_download(client, auth, people, trainer):
    ayo, bea = people
    _, text = download(client, auth, ayo.user)

    for other in (
        "bea-sign-in",
        "Bea",
        "bea@example.org",
        "Centre B",
        bea.certificate.code,
        format_code(bea.certificate.code),
        trainer.username,
        trainer.display_name,
    ):
        assert other not in text, other


def test_a_trainer_downloads_invitations_without_whom_they_invited(client, auth, trainer, people):
    from academy.modules.accounts import invitations

    _, token = invitations.create_invitation(trainer, Role.TRAINEE)
    invitations.redeem_invitation(token, "invited-person", "correct horse battery", "Invited")
    db.session.commit()

    data, text = download(client, auth, trainer)
    assert data["account"]["role"] == "trainer"
    assert data["invitations"]["created"][0]["role"] == "trainee"
    assert data["invitations"]["created"][0]["used_at"]
    assert "invited-person" not in text and "Invited" not in text
    # what the trainer wrote about trainees belongs to the trainees' downloads
    assert "note about" not in text


def test_every_feature_contributes(app, people):
    ayo, _ = people
    data = privacy.export_data(ayo.user)
    assert set(data) >= {
        "account",
        "invitations",
        "lesson_progress",
        "module_progress",
        "quiz_attempts",
        "quiz_wait_lifts",
        "certificates",
        "observed_practice",
        "pauses",
        "centre_memberships",
        "centres_coordinated",
        "certificate_checks",
    }
    json.dumps(data)  # JSON-ready throughout


def test_the_optional_email_address_can_be_changed_and_removed(client, auth, trainee, trainer):
    auth.sign_in(trainee)
    assert "E-mail address (optional): none" in client.get("/account").get_data(as_text=True)

    bad = client.post("/account/email", data={"email": "not an address"})
    assert bad.status_code == 400
    assert "does not look like an e-mail address" in bad.get_data(as_text=True)
    saved = client.post("/account/email", data={"email": "ayo@example.org"}, follow_redirects=True)
    assert "Your e-mail address is saved." in saved.get_data(as_text=True)
    client.post("/sign-out")

    auth.sign_in(trainer)  # given so that trainers can reach the person: they see it
    trainee_page = client.get(f"/trainer/trainees/{trainee.id}").get_data(as_text=True)
    assert "ayo@example.org" in trainee_page
    client.post("/sign-out")

    auth.sign_in(trainee)
    removed = client.post("/account/email", data={"email": ""}, follow_redirects=True)
    assert "Your e-mail address is removed." in removed.get_data(as_text=True)
    db.session.expire_all()
    assert privacy.export_data(trainee)["account"]["email"] is None
