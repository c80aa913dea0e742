"""Signed Open Badges 3.0 credentials: JCS, eddsa-jcs-2022 (spec vectors), content, tampering."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from academy.core import clock
from academy.core.extensions import db
from academy.modules.certificates.codes import format_code
from academy.modules.credentials import documents, keys, proofs, verification
from academy.modules.credentials.multibase import decode_base58btc, encode_ed25519_public_key
from tests.modules.credentials.conftest import BASE, signing_config


@pytest.fixture
def app_config(tmp_path) -> dict:
    return signing_config(tmp_path)


@pytest.fixture
def fetch(client):
    def get(url: str) -> bytes:
        response = client.get(urlsplit(url).path)
        if response.status_code != 200:
            raise OSError(f"HTTP {response.status_code}")
        return response.data

    return get


def verify(document, fetch=None, now=None):
    return verification.verify_credential(document, verification.local_trusted_keys(), fetch, now)


# --- eddsa-jcs-2022: the specification's test vector ---------------------------------------

# "Data Integrity EdDSA Cryptosuites v1.0", test vectors for eddsa-jcs-2022 (key pair,
# unsigned credential, proof options and resulting values).
SPEC_SECRET_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
SPEC_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
SPEC_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/ns/credentials/examples/v2",
]
SPEC_DOCUMENT = {
    "@context": SPEC_CONTEXT,
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
SPEC_OPTIONS = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": f"did:key:{SPEC_PUBLIC_KEY}#{SPEC_PUBLIC_KEY}",
    "proofPurpose": "assertionMethod",
}
SPEC_PROOF_CONFIG_HASH = "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db"
SPEC_DOCUMENT_HASH = "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19"
# The signed example: its proof names a verification method by URL and carries @context.
SPEC_SIGNED_METHOD = f"https://vc.example/issuers/5678#{SPEC_PUBLIC_KEY}"
SPEC_SIGNED_PROOF_VALUE = (
    "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4"
)


def spec_private_key() -> Ed25519PrivateKey:
    secret = decode_base58btc(SPEC_SECRET_KEY)
    assert secret[:2] == b"\x80\x26"  # multicodec ed25519-priv
    return Ed25519PrivateKey.from_private_bytes(secret[2:])


def test_the_spec_key_pair_gives_the_spec_did_key():
    public = keys.public_key_from_verification_method(SPEC_OPTIONS["verificationMethod"])
    assert public == spec_private_key().public_key()


def test_the_spec_proof_configuration_and_document_hash_are_reproduced():
    config = {**SPEC_OPTIONS, "@context": SPEC_CONTEXT}
    assert rfc8785.dumps(config) == (
        b'{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/'
        b'examples/v2"],"created":"2023-02-24T23:36:38Z","cryptosuite":"eddsa-jcs-2022",'
        b'"proofPurpose":"assertionMethod","type":"DataIntegrityProof","verificationMethod":'
        b'"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1p'
        b'ZZ6pvBQ7XJPt4swbTQ2"}'
    )
    assert hashlib.sha256(rfc8785.dumps(config)).hexdigest() == SPEC_PROOF_CONFIG_HASH
    assert hashlib.sha256(rfc8785.dumps(SPEC_DOCUMENT)).hexdigest() == SPEC_DOCUMENT_HASH
    assert proofs._hash_data(SPEC_DOCUMENT, config).hex() == (
        SPEC_PROOF_CONFIG_HASH + SPEC_DOCUMENT_HASH
    )


def test_a_proof_stripped_of_its_context_no_longer_verifies():
    # Verifiers hash the proof as they read it (§3.3.5): without the context it is
    # another configuration, as credentials issued without it were for other verifiers.
    signed = proofs.add_proof(SPEC_DOCUMENT, spec_private_key(), SPEC_OPTIONS)
    del signed["proof"][0]["@context"]
    assert not proofs.proof_is_valid(signed, spec_private_key().public_key())


def test_signing_reproduces_the_spec_signed_credential_and_it_verifies():
    options = {**SPEC_OPTIONS, "verificationMethod": SPEC_SIGNED_METHOD, "@context": SPEC_CONTEXT}
    signed = proofs.add_proof(SPEC_DOCUMENT, spec_private_key(), options)
    (proof,) = signed["proof"]
    assert proof["proofValue"] == SPEC_SIGNED_PROOF_VALUE
    assert proofs.proof_is_valid(signed, spec_private_key().public_key())


def test_the_proof_carries_the_documents_context_as_the_create_proof_algorithm_says():
    # A verifier hashes the proof as it stands (without proofValue): that must be the
    # specification's proof configuration, context included, or its hash differs.
    signed = proofs.add_proof(SPEC_DOCUMENT, spec_private_key(), SPEC_OPTIONS)
    (proof,) = signed["proof"]
    assert proof["@context"] == SPEC_CONTEXT
    as_it_stands = {key: value for key, value in proof.items() if key != "proofValue"}
    assert hashlib.sha256(rfc8785.dumps(as_it_stands)).hexdigest() == SPEC_PROOF_CONFIG_HASH
    assert proofs.proof_is_valid(signed, spec_private_key().public_key())


def test_a_proof_whose_context_is_not_the_documents_prefix_fails():
    options = {**SPEC_OPTIONS, "@context": SPEC_CONTEXT}
    signed = proofs.add_proof(SPEC_DOCUMENT, spec_private_key(), options)
    signed["@context"] = list(reversed(SPEC_CONTEXT))
    assert not proofs.proof_is_valid(signed, spec_private_key().public_key())


# --- the credential -----------------------------------------------------------------------


def test_the_credential_is_an_open_badge_naming_the_skill_and_the_display_name(certificate):
    document = documents.issue_credential(certificate)
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    key = keys.load_keyring().current
    # The issuer is the signing key's did:key: the controller of the verification method.
    assert document["issuer"] == {
        "id": key.controller,
        "type": ["Profile"],
        "name": "Peer Academy",
        "url": BASE,
    }
    assert key.controller == key.id.partition("#")[0]
    assert document["id"] == f"{BASE}/verify/{format_code(certificate.code)}"
    assert document["validFrom"] == certificate.issued_at.replace(microsecond=0).isoformat() + "Z"
    assert document["validUntil"].endswith("Z")
    subject = document["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityHash": "Ayo", "identityType": "name", "hashed": False}
    ]
    achievement = subject["achievement"]
    assert achievement["name"] == "Basics"
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["criteria"]["narrative"]
    (proof,) = document["proof"]
    assert proof["@context"] == document["@context"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == keys.load_keyring().current.id
    assert proof["proofValue"].startswith("z")


def test_one_status_entry_points_to_the_signing_keys_list_at_the_certificates_position(
    certificate,
):
    entry = documents.issue_credential(certificate)["credentialStatus"]
    index = str(certificate.status_index)
    url = f"{BASE}/status/{keys.load_keyring().current.public_key_multibase}"
    assert entry == {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "message",
        "statusListIndex": index,
        "statusSize": 2,
        "statusMessage": [
            {"status": "0x0", "message": "valid"},
            {"status": "0x1", "message": "paused"},
            {"status": "0x2", "message": "revoked"},
            {"status": "0x3", "message": "superseded"},
        ],
        "statusListCredential": url,
    }


def test_the_credential_reveals_no_account_data_and_nothing_about_whom_the_programme_serves(
    certificate, trainee
):
    trainee.email = "ayo@mail.example"
    db.session.commit()
    text = json.dumps(documents.issue_credential(certificate)).lower()
    for secret in (trainee.username, "ayo@mail.example", f'"{trainee.id}"', "user_id", "email"):
        assert secret.lower() not in text
    for word in ("survivor", "victim", "trafficking", "client", "counselling"):
        assert word not in text


# --- verification -------------------------------------------------------------------------


def test_a_fresh_credential_verifies_with_its_status(certificate, fetch):
    report = verify(documents.issue_credential(certificate), fetch)
    assert report.valid, report.problems
    assert report.holder == "Ayo"
    assert report.achievement == "Basics"
    assert "status checked: valid (neither revoked nor paused)" in report.notes


def test_without_fetch_the_status_is_not_checked_and_says_so(certificate):
    report = verify(documents.issue_credential(certificate))
    assert report.valid
    assert "revocation and pauses were not checked (offline)" in report.notes


def test_the_layout_of_the_file_does_not_matter(certificate):
    document = documents.issue_credential(certificate)
    reloaded = json.loads(json.dumps(document, indent=4, sort_keys=True))
    assert verify(reloaded).valid


SIGNATURE_MISMATCH = "signature does not match: the credential was changed after it was signed"


def test_a_changed_holder_name_is_rejected_as_changed_after_signing(certificate):
    document = documents.issue_credential(certificate)
    document["credentialSubject"]["identifier"][0]["identityHash"] = "Ayò"
    assert verify(document).problems == [SIGNATURE_MISMATCH]


def test_a_changed_achievement_name_is_rejected(certificate):
    document = documents.issue_credential(certificate)
    document["credentialSubject"]["achievement"]["name"] = "Basicz"
    assert verify(document).problems == [SIGNATURE_MISMATCH]


def test_a_changed_signature_is_rejected(certificate):
    document = documents.issue_credential(certificate)
    value = document["proof"][0]["proofValue"]
    document["proof"][0]["proofValue"] = (
        value[:-5] + ("2" if value[-5] != "2" else "3") + value[-4:]
    )
    assert verify(document).problems == [SIGNATURE_MISMATCH]


def test_a_changed_proof_option_is_rejected(certificate):
    document = documents.issue_credential(certificate)
    document["proof"][0]["created"] = "2020-01-01T00:00:00Z"
    assert verify(document).problems == [SIGNATURE_MISMATCH]


def test_a_changed_status_entry_is_rejected(certificate):
    document = documents.issue_credential(certificate)
    document["credentialStatus"]["statusListIndex"] = "0"
    assert verify(document).problems == [SIGNATURE_MISMATCH]


def test_a_changed_issuer_breaks_the_signature(certificate):
    document = documents.issue_credential(certificate)
    document["issuer"]["id"] = "https://other.example/issuer"
    assert verify(document).problems == [SIGNATURE_MISMATCH]


def test_an_issuer_that_is_not_the_signing_keys_controller_is_refused(certificate):
    key = keys.load_keyring().current
    unsigned = documents.build_credential(certificate, key)
    unsigned["issuer"]["id"] = "https://other.example/issuer"
    signed = proofs.sign_document(unsigned, key, keys.load_keyring().private_key)
    assert verify(signed).problems == [
        f"issuer is https://other.example/issuer, but the signing key belongs to {key.controller}"
    ]


def test_a_credential_re_signed_with_another_key_is_rejected(certificate):
    document = copy.deepcopy(documents.issue_credential(certificate))
    forger = Ed25519PrivateKey.generate()
    method = keys.verification_method_id(
        encode_ed25519_public_key(forger.public_key().public_bytes_raw())
    )
    document["issuer"]["id"] = method.partition("#")[0]
    options = {k: v for k, v in document["proof"][0].items() if k != "proofValue"}
    forged = proofs.add_proof(document, forger, {**options, "verificationMethod": method})
    (problem,) = verify(forged).problems
    assert problem == (
        f"signed with a key that this installation's key directory does not list: {method}"
    )


def test_an_unsigned_credential_or_another_cryptosuite_is_rejected(certificate):
    document = documents.issue_credential(certificate)
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    assert verify(unsigned).problems == ["the document has no proof: it is not signed"]
    document["proof"][0]["cryptosuite"] = "eddsa-rdfc-2022"
    assert verify(document).problems == [
        "cryptosuite is 'eddsa-rdfc-2022', expected eddsa-jcs-2022"
    ]


@pytest.mark.parametrize("document", [[], "text", {}, {"@context": ["x"]}])
def test_something_that_is_not_a_credential_says_what_is_missing(app, document):
    assert not verify(document).valid


def test_an_expired_credential_names_its_expiry(certificate):
    document = documents.issue_credential(certificate)
    clock.travel(timedelta(days=400))
    problems = verify(document).problems
    assert problems == [f"expired on {document['validUntil']}"]


def test_a_credential_is_not_valid_before_its_valid_from(certificate):
    document = documents.issue_credential(certificate)
    earlier = clock.utcnow() - timedelta(days=1)
    assert verify(document, now=earlier).problems == [
        f"not valid yet: valid from {document['validFrom']}"
    ]


def test_a_valid_from_a_little_ahead_of_the_verifiers_clock_is_tolerated():
    now = clock.utcnow().replace(microsecond=0)
    ahead = {"validFrom": proofs.format_timestamp(now + timedelta(minutes=1))}
    far_ahead = {"validFrom": proofs.format_timestamp(now + timedelta(minutes=6))}
    assert verification.date_problems(ahead, now) == []
    assert verification.date_problems(far_ahead, now) == [
        f"not valid yet: valid from {far_ahead['validFrom']}"
    ]


def test_duplicate_member_names_are_refused_when_reading():
    with pytest.raises(ValueError, match="repeats a member name"):
        verification.load_json_strictly('{"name": "a", "name": "b"}')


# --- key sets -----------------------------------------------------------------------------


def test_key_sets_are_read_from_the_profile_or_the_key_list(app):
    profile = documents.issuer_profile()
    listed = documents.key_list()
    from_profile = verification.trusted_keys_from_json(profile)
    from_list = verification.trusted_keys_from_json(listed)
    local = verification.local_trusted_keys()
    assert from_profile.key_ids == from_list.key_ids == local.key_ids
    assert from_profile.source == from_list.source == f"{BASE}/issuer"
    assert local.source == "this installation's key directory"


def test_a_key_set_with_something_other_than_a_did_key_is_refused():
    with pytest.raises(ValueError):
        verification.trusted_keys_from_json({"issuer": "x", "keys": ["https://x.example/key"]})
