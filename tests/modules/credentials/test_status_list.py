"""Published Bitstring Status Lists: bit order, encoding, revocation, pauses, caching, speed."""

from __future__ import annotations

import gzip
import json
import random
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from academy.core import clock
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.certificates import services
from academy.modules.credentials import documents, status_list, verification
from academy.modules.credentials.multibase import encode_base64url
from tests.modules.credentials.conftest import BASE, signing_config

LIST_BITS = services.STATUS_LIST_LENGTH


@pytest.fixture
def app_config(tmp_path) -> dict:
    return signing_config(tmp_path)


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


@pytest.fixture
def fetch(client):
    def get(url: str) -> bytes:
        response = client.get(urlsplit(url).path)
        if response.status_code != 200:
            raise OSError(f"HTTP {response.status_code}")
        return response.data

    return get


def published_bits(client, purpose: str) -> bytes:
    document = json.loads(client.get(f"/status/{purpose}").data)
    return status_list.decode_list(document["credentialSubject"]["encodedList"])


def verify(document, fetch):
    return verification.verify_credential(document, verification.local_trusted_keys(), fetch)


# --- the bitstring ------------------------------------------------------------------------


def test_index_zero_is_the_left_most_bit_of_the_first_byte():
    bits = status_list.build_bitstring([0, 9, 23], length=32)
    assert bits == bytes([0b1000_0000, 0b0100_0000, 0b0000_0001, 0])
    assert [i for i in range(32) if status_list.bit_is_set(bits, i)] == [0, 9, 23]


def test_the_encoded_list_is_multibase_base64url_of_gzip():
    bits = status_list.build_bitstring([5], length=LIST_BITS)
    encoded = status_list.encode_list(bits)
    assert encoded.startswith("u")
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    assert status_list.decode_list(encoded) == bits


def test_a_list_that_inflates_beyond_any_sensible_size_is_refused():
    bomb = encode_base64url(gzip.compress(bytes(status_list.MAXIMUM_BYTES + 1)))
    with pytest.raises(ValueError, match="larger"):
        status_list.decode_list(bomb)


def test_half_a_million_positions_build_and_encode_well_under_a_second():
    indexes = random.Random(7).sample(range(LIST_BITS), 500_000)
    # CPU time, not wall time: a busy test machine must not make this fail.
    start = time.process_time()
    status_list.encode_list(status_list.build_bitstring(indexes))
    assert time.process_time() - start < 1.0


# --- the published lists ------------------------------------------------------------------


def test_the_published_list_is_a_signed_bitstring_status_list_credential(client, certificate):
    response = client.get("/status/revocation")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.data)
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert document["id"] == f"{BASE}/status/revocation"
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["issuer"] == f"{BASE}/issuer"
    assert document["credentialSubject"]["id"] == f"{BASE}/status/revocation#list"
    assert document["credentialSubject"]["type"] == "BitstringStatusList"
    assert document["credentialSubject"]["statusPurpose"] == "revocation"
    assert verification.proof_problems(document, verification.local_trusted_keys()) == []
    bits = status_list.decode_list(document["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == LIST_BITS >= status_list.MINIMUM_BITS


def test_there_is_no_other_status_list(client):
    assert client.get("/status/refresh").status_code == 404


def test_revoking_sets_the_bit_and_the_verifier_says_revoked(client, certificate, trainer, fetch):
    document = documents.issue_credential(certificate)
    assert not status_list.bit_is_set(
        published_bits(client, "revocation"), certificate.status_index
    )
    services.revoke_certificate(certificate, "Shared confidential details.", trainer)
    db.session.commit()
    assert status_list.bit_is_set(published_bits(client, "revocation"), certificate.status_index)
    assert not status_list.bit_is_set(
        published_bits(client, "suspension"), certificate.status_index
    )
    assert verify(document, fetch).problems == [f"revoked (status list {BASE}/status/revocation)"]


def test_a_pause_suspends_and_lifting_it_makes_the_credential_valid_again(
    client, certificate, trainee, trainer, fetch
):
    document = documents.issue_credential(certificate)
    services.suspend(trainee, "Needs a break after a hard case.", trainer)
    db.session.commit()
    assert status_list.bit_is_set(published_bits(client, "suspension"), certificate.status_index)
    assert verify(document, fetch).problems == [
        f"suspended: the holder's availability is paused (status list {BASE}/status/suspension)"
    ]
    services.lift_suspension(trainee)
    db.session.commit()
    assert not status_list.bit_is_set(
        published_bits(client, "suspension"), certificate.status_index
    )
    assert verify(document, fetch).valid


def test_a_self_taken_pause_suspends_too(client, certificate, trainee, fetch):
    services.pause_self(trainee)
    db.session.commit()
    assert status_list.bit_is_set(published_bits(client, "suspension"), certificate.status_index)
    services.resume_self(trainee)
    db.session.commit()
    assert verify(documents.issue_credential(certificate), fetch).valid


def test_only_the_paused_holders_certificates_are_suspended(client, certificate, make_user):
    other = make_user(Role.TRAINEE, "trainee-two", "Bea")
    others = services.issue_or_renew(other, "module", "basics", "Basics", "1.0", 12)
    services.pause_self(other)
    db.session.commit()
    bits = published_bits(client, "suspension")
    assert status_list.bit_is_set(bits, others.status_index)
    assert not status_list.bit_is_set(bits, certificate.status_index)


def test_the_signed_list_is_cached_and_the_cache_can_be_cleared(app, client, certificate, trainer):
    app.config["ACADEMY_STATUS_LIST_TTL"] = 60
    before = client.get("/status/revocation").data
    services.revoke_certificate(certificate, "Shared confidential details.", trainer)
    db.session.commit()
    assert client.get("/status/revocation").data == before
    status_list.clear_cache()
    assert status_list.bit_is_set(published_bits(client, "revocation"), certificate.status_index)


def test_the_cached_list_is_rebuilt_once_its_time_is_up(app, client, certificate, trainer):
    app.config["ACADEMY_STATUS_LIST_TTL"] = 60
    client.get("/status/revocation")
    services.revoke_certificate(certificate, "Shared confidential details.", trainer)
    db.session.commit()
    clock.travel(timedelta(seconds=61))
    assert status_list.bit_is_set(published_bits(client, "revocation"), certificate.status_index)


# --- a status list that cannot be trusted -------------------------------------------------


def test_a_tampered_status_list_is_not_trusted(client, certificate, fetch):
    document = documents.issue_credential(certificate)

    def tampered(url: str) -> bytes:
        data = json.loads(fetch(url))
        data["credentialSubject"]["encodedList"] = status_list.encode_list(
            status_list.build_bitstring([certificate.status_index])
        )
        return json.dumps(data).encode()

    problems = verify(document, tampered).problems
    assert len(problems) == 2
    assert problems[0].startswith(f"cannot check revocation with the status list {BASE}/status/")
    assert "signature does not match" in problems[0]


def test_a_stale_copy_of_a_status_list_is_not_trusted(client, certificate, fetch):
    document = documents.issue_credential(certificate)
    old_lists = {
        url: fetch(url) for url in (f"{BASE}/status/revocation", f"{BASE}/status/suspension")
    }
    clock.travel(timedelta(days=2))
    problems = verify(document, old_lists.__getitem__).problems
    assert problems and all("the list is expired on" in problem for problem in problems)


def test_a_list_for_another_purpose_is_not_accepted(client, certificate, fetch):
    document = documents.issue_credential(certificate)
    swapped = {
        f"{BASE}/status/revocation": fetch(f"{BASE}/status/suspension"),
        f"{BASE}/status/suspension": fetch(f"{BASE}/status/revocation"),
    }
    problems = verify(document, swapped.__getitem__).problems
    assert any("it lists 'suspension', not 'revocation'" in problem for problem in problems)


def test_an_unreachable_status_list_makes_the_check_fail(certificate):
    def offline(url: str) -> bytes:
        raise OSError("connection refused")

    problems = verify(documents.issue_credential(certificate), offline).problems
    assert problems[0] == (
        f"cannot check revocation with the status list {BASE}/status/revocation: "
        "could not fetch it (connection refused)"
    )
