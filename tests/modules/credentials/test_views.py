"""Downloading one's own credential; the issuer profile and key list verifiers rely on."""

from __future__ import annotations

import json

import pytest

from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.certificates import services
from academy.modules.certificates.codes import format_code
from academy.modules.credentials import keys, verification
from tests.modules.credentials.conftest import BASE, signing_config


@pytest.fixture
def app_config(tmp_path) -> dict:
    return signing_config(tmp_path)


def download(client, certificate, code=None):
    return client.get(f"/certificates/{code or certificate.code}/credential.json")


def test_the_holder_downloads_a_signed_credential_as_a_file(client, auth, trainee, certificate):
    auth.sign_in(trainee)
    response = download(client, certificate)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="peer-academy-{certificate.code}.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    document = json.loads(response.data)
    report = verification.verify_credential(document, verification.local_trusted_keys())
    assert report.valid, report.problems
    assert report.holder == "Ayo"


def test_the_formatted_code_works_too(client, auth, trainee, certificate):
    auth.sign_in(trainee)
    assert download(client, certificate, format_code(certificate.code)).status_code == 200


def test_someone_else_gets_not_found(client, auth, make_user, certificate):
    auth.sign_in(make_user(Role.TRAINEE, "trainee-two", "Bea"))
    assert download(client, certificate).status_code == 404


def test_a_trainer_cannot_download_a_trainees_credential_either(
    client, auth, make_user, certificate
):
    auth.sign_in(make_user(Role.TRAINER))
    assert download(client, certificate).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, certificate):
    response = download(client, certificate)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_a_revoked_certificate_can_still_be_downloaded(
    client, auth, trainee, make_user, certificate
):
    services.revoke_certificate(
        certificate, "Shared confidential details.", make_user(Role.TRAINER)
    )
    db.session.commit()
    auth.sign_in(trainee)
    assert download(client, certificate).status_code == 200


def test_the_issuer_profile_publishes_every_key(client):
    first = keys.load_keyring().current
    new, _ = keys.rotate_key()
    response = client.get("/issuer")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    profile = json.loads(response.data)
    assert profile["id"] == f"{BASE}/issuer"
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "Peer Academy"
    assert profile["assertionMethod"] == [first.id, new.id]
    assert profile["verificationMethod"][1] == {
        "id": new.id,
        "type": "Multikey",
        "controller": new.id.split("#")[0],
        "publicKeyMultibase": new.public_key_multibase,
    }


def test_the_key_list_names_the_issuer_the_current_key_and_all_keys(client):
    first = keys.load_keyring().current
    new, _ = keys.rotate_key()
    data = client.get("/.well-known/academy-keys.json").get_json()
    assert data == {"issuer": f"{BASE}/issuer", "current": new.id, "keys": [first.id, new.id]}


# --- the link on the certificates page ----------------------------------------------------


def test_the_certificates_page_offers_each_signed_credential_in_plain_words(
    client, auth, trainee, certificate
):
    other = services.issue_or_renew(trainee, "module", "boundaries", "Boundaries", "1.0", 12)
    db.session.commit()
    auth.sign_in(trainee)
    page = client.get("/certificates").get_data(as_text=True)
    assert page.count("a digital copy other organisations can check") == 2
    for issued in (certificate, other):
        link = f'href="/certificates/{format_code(issued.code)}/credential.json" download'
        assert link in page
    assert 'Download the digital copy<span class="visually-hidden"> of Boundaries</span>' in page
    followed = download(client, certificate, format_code(certificate.code))
    document = json.loads(followed.data)
    assert verification.verify_credential(document, verification.local_trusted_keys()).valid


def test_an_app_without_signed_credentials_offers_no_link(app, client, auth, trainee, certificate):
    app.extensions["academy.destinations"].pop("signed-credential")
    auth.sign_in(trainee)
    page = client.get("/certificates").get_data(as_text=True)
    assert "Download PDF" in page
    assert "digital copy" not in page
