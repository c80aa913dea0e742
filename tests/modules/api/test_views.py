"""GET /api/v1/certificates/<code>: public verification as JSON."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from academy.core import clock
from academy.core.extensions import db
from academy.modules.certificates.codes import format_code
from academy.modules.certificates.models import Certificate
from tests import (
    complete_module,
)

UNKNOWN = "ABCD-EFGH-JKMN-PQRS-TVWX"
# what a verifier may learn; nothing that identifies the account behind the certificate
PUBLIC_FIELDS = {
    "code",
    "status",
    "holder_name",
    "title",
    "version",
    "issued_on",
    "expires_on",
    "revoked_on",
    "replaced_on",
    "renew_by",
    "state",
    "holder_closed_account",
}


@pytest.fixture
def certificate(trainee) -> Certificate:
    complete_module(trainee.id, "basics")
    return db.session.scalar(select(Certificate).filter_by(user_id=trainee.id))


def test_a_valid_code_returns_its_status_and_public_details(client, certificate):
    response = client.get(f"/api/v1/certificates/{certificate.code}")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["status"] == "valid"
    assert data["code"] == format_code(certificate.code)
    assert data["holder_name"] == "Ayo"
    assert data["title"] == "Basics"
    assert data["version"] == "1.0"
    assert data["issued_on"] == certificate.issued_at.date().isoformat()
    assert data["expires_on"] == certificate.expires_at.date().isoformat()


@pytest.mark.parametrize("style", [str.lower, format_code, lambda code: format_code(code).lower()])
def test_codes_are_accepted_as_people_type_them(client, certificate, style):
    response = client.get(f"/api/v1/certificates/{style(certificate.code)}")

    assert response.get_json()["status"] == "valid"


def test_the_answer_holds_no_personal_data_beyond_the_display_name(client, trainee, certificate):
    response = client.get(f"/api/v1/certificates/{certificate.code}")

    data = response.get_json()
    assert set(data) <= PUBLIC_FIELDS
    assert "trainee-one" not in response.text
    assert trainee.password_hash not in response.text
    for key in ("username", "user_id", "id", "email", "score", "role"):
        assert key not in data


def test_the_api_needs_no_session_and_sets_no_cookie(client, certificate):
    response = client.get(f"/api/v1/certificates/{certificate.code}")

    assert "Set-Cookie" not in response.headers


def test_an_expired_certificate_is_reported_as_expired(client, certificate):
    clock.travel(timedelta(days=366))

    data = client.get(f"/api/v1/certificates/{certificate.code}").get_json()

    assert data["status"] == "expired"
    assert data["holder_name"] == "Ayo"


def test_an_unknown_code_is_a_json_404(client, trainee):
    response = client.get(f"/api/v1/certificates/{UNKNOWN}")

    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json() == {"error": "No certificate has this code.", "status": 404}


@pytest.mark.parametrize("typed", ["nonsense", "ABCD-EFGH", "ABCD-EFGH-JKMN-PQRS-TVWU", "1" * 21])
def test_text_that_is_no_code_is_a_json_400(client, typed):
    response = client.get(f"/api/v1/certificates/{typed}")

    assert response.status_code == 400
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["status"] == 400
    assert "not a certificate code" in data["error"]
