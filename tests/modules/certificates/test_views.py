"""The public verification page and the holder's own list of certificates."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from academy.core import clock
from academy.core.extensions import db
from academy.modules.certificates import services
from academy.modules.certificates.codes import format_code
from academy.modules.certificates.models import Certificate
from tests import (
    complete_module,
)
from tests.conftest import PASSWORD

UNKNOWN = "ABCD-EFGH-JKMN-PQRS-TVWX"


@pytest.fixture
def certificate(trainee) -> Certificate:
    """The trainee's certificate for the basics module."""
    complete_module(trainee.id, "basics")
    return db.session.scalar(select(Certificate).filter_by(user_id=trainee.id))


def verification_fields(page: str) -> dict[str, str]:
    section = re.search(r'<section class="verification.*?</section>', page, re.S)
    assert section, "no verification result on the page"
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section.group(0), re.S)
    return {term: re.sub(r"<[^>]+>", "", value) for term, value in pairs}


def test_the_verify_page_asks_for_a_code(client):
    response = client.get("/verify")

    assert response.status_code == 200
    assert '<input id="code" name="code" value=""' in response.text
    assert 'class="verification' not in response.text


def test_a_valid_code_shows_holder_title_and_dates_and_nothing_else(client, certificate):
    typed = format_code(certificate.code).lower().replace("-", " ")

    response = client.get("/verify", query_string={"code": typed})

    assert response.status_code == 200
    assert "<h2>Valid certificate</h2>" in response.text
    assert verification_fields(response.text) == {
        "Holder": "Ayo",
        "Certificate": "Basics",
        "Issued": certificate.issued_at.date().isoformat(),
        "Valid until": certificate.expires_at.date().isoformat(),
        "Code": format_code(certificate.code),
    }
    for private in ("trainee-one", "score", "%", "Your result"):
        assert private not in response.text


def test_a_signed_in_person_can_check_someone_elses_code(app, certificate, make_user):
    checker = app.test_client()
    checker.post("/sign-in", data={"username": make_user().username, "password": PASSWORD})

    response = checker.get("/verify", query_string={"code": certificate.code})

    assert verification_fields(response.text)["Holder"] == "Ayo"


def test_an_unknown_code_is_reported_as_unknown(client, trainee):
    response = client.get("/verify", query_string={"code": UNKNOWN.lower()})

    assert response.status_code == 404
    assert "<h2>Unknown code</h2>" in response.text
    assert f'No certificate has the code <code class="code">{UNKNOWN}</code>' in response.text


@pytest.mark.parametrize(
    "typed", ["hello", "ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN-PQRS-TVWU", "<b>x</b>"]
)
def test_text_that_is_no_code_gets_a_clear_message(client, typed):
    response = client.get("/verify", query_string={"code": typed})

    assert response.status_code == 400
    assert "This is not a certificate code. A code has 20 letters and digits" in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'class="verification' not in response.text
    assert "<b>x</b>" not in response.text


def test_an_expired_certificate_says_so(client, certificate):
    clock.travel(timedelta(days=366))

    response = client.get("/verify", query_string={"code": certificate.code})

    assert response.status_code == 200
    assert "<h2>Expired certificate</h2>" in response.text
    fields = verification_fields(response.text)
    assert fields["Expired on"] == certificate.expires_at.date().isoformat()
    assert fields["Holder"] == "Ayo"
    assert "Valid until" not in fields


def test_a_shared_link_opens_the_check(client, certificate):
    response = client.get(f"/verify/{format_code(certificate.code)}")

    assert response.status_code == 302
    assert response.location == f"/verify?code={format_code(certificate.code)}"


def test_own_certificates_need_a_signed_in_user(client):
    response = client.get("/certificates")

    assert response.status_code == 302
    assert response.location.startswith("/sign-in")


def test_the_holder_sees_their_certificate_with_its_code(client, auth, trainee, certificate):
    auth.sign_in(trainee)

    page = client.get("/certificates").text

    assert "<h2>Basics</h2>" in page
    assert format_code(certificate.code) in page
    assert "You have no certificates yet." not in page


def test_another_trainee_does_not_see_someone_elses_certificates(
    client, auth, make_user, certificate
):
    auth.sign_in(make_user(display_name="Bea"))

    page = client.get("/certificates").text

    assert "You have no certificates yet." in page
    assert format_code(certificate.code) not in page
    assert certificate.code not in page
    assert "Ayo" not in page


def test_a_peer_takes_and_ends_a_break_from_the_certificates_page(
    client, auth, trainee, certificate
):
    auth.sign_in(trainee)
    client.post("/certificates/pause")
    page = client.get("/certificates").get_data(as_text=True)
    assert "You are taking a break" in page and "Paused" in page
    assert services.verify_code(certificate.code).status == "paused"
    client.post("/certificates/resume")
    assert services.verify_code(certificate.code).status == "valid"
    assert "Take a break" in client.get("/certificates").get_data(as_text=True)
