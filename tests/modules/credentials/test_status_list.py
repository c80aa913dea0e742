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
from academy.modules.credentials import documents, keys, status_list, verification
from academy.modules.credentials.multibase import encode_base64url
from tests.modules.credentials.conftest import BASE, signing_config

LIST_ENTRIES = services.STATUS_LIST_LENGTH


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


def list_url() -> str:
    return documents.status_list_url(keys.load_keyring().current)


def published_statuses(client) -> bytes:
    document = json.loads(client.get(urlsplit(list_url()).path).data)
    return status_list.decode_list(document["credentialSubject"]["encodedList"])


def status_of(client, certificate) -> int:
    return status_list.read_status(published_statuses(client), certificate.status_index, 2)


def verify(document, fetch):
    return verification.verify_credential(document, verification.local_trusted_keys(), fetch)


# --- the bitstring ------------------------------------------------------------------------


def test_entry_zero_is_the_left_most_pair_of_bits_read_as_a_number():
    bits = status_list.build_bitstring({0: 2, 5: 1, 15: 3}, entries=16, size=2)
    assert bits == bytes([0b1000_0000, 0b0001_0000, 0, 0b0000_0011])
    assert [status_list.read_status(bits, i, 2) for i in range(16)] == (
        [2, 0, 0, 0, 0, 1] + [0] * 9 + [3]
    )


def test_one_bit_entries_follow_the_same_order():
    bits = status_list.build_bitstring({0: 1, 9: 1, 23: 1}, entries=32, size=1)
    assert bits == bytes([0b1000_0000, 0b0100_0000, 0b0000_0001, 0])


def test_the_encoded_list_is_multibase_base64url_of_gzip():
    bits = status_list.build_bitstring({5: 2})
    encoded = status_list.encode_list(bits)
    assert encoded.startswith("u")
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    assert status_list.decode_list(encoded) == bits
    assert len(bits) * 8 == 2 * LIST_ENTRIES


def test_a_list_that_inflates_beyond_any_sensible_size_is_refused():
    bomb = encode_base64url(gzip.compress(bytes(status_list.MAXIMUM_BYTES + 1)))
    with pytest.raises(ValueError, match="larger"):
        status_list.decode_list(bomb)


def test_half_a_million_positions_build_and_encode_well_under_a_second():
    indexes = random.Random(7).sample(range(LIST_ENTRIES), 500_000)
    # CPU time, not wall time: a busy test machine must not make this fail.
    start = time.process_time()
    status_list.encode_list(status_list.build_bitstring(dict.fromkeys(indexes, 2)))
    assert time.process_time() - start < 1.0


# --- the published lists ------------------------------------------------------------------


def test_the_published_list_is_a_signed_bitstring_status_list_credential(client, certificate):
    key = keys.load_keyring().current
    response = client.get(f"/status/{key.public_key_multibase}")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.data)
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert document["id"] == f"{BASE}/status/{key.public_key_multibase}"
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    # The same issuer as the credentials this key signs: verifiers require it.
    assert document["issuer"] == key.controller
    assert document["credentialSubject"]["id"] == f"{document['id']}#list"
    assert document["credentialSubject"]["type"] == "BitstringStatusList"
    assert document["credentialSubject"]["statusPurpose"] == "message"
    assert verification.proof_problems(document, verification.local_trusted_keys()) == []
    assert verification.issuer_problems(document) == []
    bits = status_list.decode_list(document["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == 2 * LIST_ENTRIES >= 2 * status_list.MINIMUM_ENTRIES


def test_there_is_no_list_for_a_key_the_academy_does_not_have(client, certificate):
    assert client.get("/status/revocation").status_code == 404
    assert client.get("/status/z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2").status_code == 404


def test_revoking_sets_the_bit_and_the_verifier_says_revoked(client, certificate, trainer, fetch):
    document = documents.issue_credential(certificate)
    assert status_of(client, certificate) == 0
    services.revoke_certificate(certificate, "Shared confidential details.", trainer)
    db.session.commit()
    assert status_of(client, certificate) == 2
    assert verify(document, fetch).problems == [f"revoked (status list {list_url()})"]


def test_a_revoked_certificate_reads_revoked_while_its_holder_is_paused(
    client, certificate, trainee, trainer
):
    services.revoke_certificate(certificate, "Shared confidential details.", trainer)
    services.pause_self(trainee)
    db.session.commit()
    assert status_of(client, certificate) == 2


def test_a_pause_suspends_and_lifting_it_makes_the_credential_valid_again(
    client, certificate, trainee, trainer, fetch
):
    document = documents.issue_credential(certificate)
    services.suspend(trainee, "Needs a break after a hard case.", trainer)
    db.session.commit()
    assert status_of(client, certificate) == 1
    assert verify(document, fetch).problems == [
        f"paused: the holder's availability is paused (status list {list_url()})"
    ]
    services.lift_suspension(trainee)
    db.session.commit()
    assert status_of(client, certificate) == 0
    assert verify(document, fetch).valid


def test_a_self_taken_pause_suspends_too(client, certificate, trainee, fetch):
    services.pause_self(trainee)
    db.session.commit()
    assert status_of(client, certificate) == 1
    services.resume_self(trainee)
    db.session.commit()
    assert verify(documents.issue_credential(certificate), fetch).valid


def test_only_the_paused_holders_certificates_are_suspended(client, certificate, make_user):
    other = make_user(Role.TRAINEE, "trainee-two", "Bea")
    others = services.issue_or_renew(other, "module", "basics", "Basics", "1.0", 12)
    services.pause_self(other)
    db.session.commit()
    statuses = published_statuses(client)
    assert status_list.read_status(statuses, others.status_index, 2) == 1
    assert status_list.read_status(statuses, certificate.status_index, 2) == 0


def test_the_signed_list_is_cached_and_the_cache_can_be_cleared(app, client, certificate, trainer):
    app.config["ACADEMY_STATUS_LIST_TTL"] = 60
    path = urlsplit(list_url()).path
    before = client.get(path).data
    services.revoke_certificate(certificate, "Shared confidential details.", trainer)
    db.session.commit()
    assert client.get(path).data == before
    status_list.clear_cache()
    assert status_of(client, certificate) == 2


def test_the_cached_list_is_rebuilt_once_its_time_is_up(app, client, certificate, trainer):
    app.config["ACADEMY_STATUS_LIST_TTL"] = 60
    client.get(urlsplit(list_url()).path)
    services.revoke_certificate(certificate, "Shared confidential details.", trainer)
    db.session.commit()
    clock.travel(timedelta(seconds=61))
    assert status_of(client, certificate) == 2


def test_each_address_the_app_is_reached_at_gets_its_own_list(app, client, certificate):
    app.config["ACADEMY_BASE_URL"] = None
    app.config["ACADEMY_STATUS_LIST_TTL"] = 60
    path = urlsplit(list_url()).path
    first = json.loads(client.get(path, base_url="http://127.0.0.1:5701").data)
    second = json.loads(client.get(path, base_url="http://localhost:5702").data)
    assert first["id"] == f"http://127.0.0.1:5701{path}"
    assert second["id"] == f"http://localhost:5702{path}"


# --- a status list that cannot be trusted -------------------------------------------------


def test_a_tampered_status_list_is_not_trusted(client, certificate, fetch):
    document = documents.issue_credential(certificate)

    def tampered(url: str) -> bytes:
        data = json.loads(fetch(url))
        data["credentialSubject"]["encodedList"] = status_list.encode_list(
            status_list.build_bitstring({certificate.status_index: 2})
        )
        return json.dumps(data).encode()

    (problem,) = verify(document, tampered).problems
    assert problem.startswith(f"cannot check the status with the status list {list_url()}: ")
    assert "signature does not match" in problem


def test_a_stale_copy_of_a_status_list_is_not_trusted(client, certificate, fetch):
    document = documents.issue_credential(certificate)
    old_lists = {list_url(): fetch(list_url())}
    clock.travel(timedelta(days=2))
    (problem,) = [p for p in verify(document, old_lists.__getitem__).problems if "list" in p]
    assert "the list is expired on" in problem


def test_a_list_signed_by_another_of_the_academys_keys_is_not_accepted(client, certificate):
    document = documents.issue_credential(certificate)
    old_url = list_url()
    keys.rotate_key()
    other_list = client.get(urlsplit(list_url()).path).data

    def swapped(url: str) -> bytes:
        assert url == old_url
        return other_list

    (problem,) = verify(document, swapped).problems
    assert "its id is" in problem
    assert f"its issuer is {keys.load_keyring().current.controller}, not " in problem


def test_an_unreachable_status_list_makes_the_check_fail(certificate):
    def offline(url: str) -> bytes:
        raise OSError("connection refused")

    problems = verify(documents.issue_credential(certificate), offline).problems
    assert problems == [
        f"cannot check the status with the status list {list_url()}: "
        "could not fetch it (connection refused)"
    ]
