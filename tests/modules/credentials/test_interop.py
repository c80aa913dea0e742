"""An independent verifier agrees: Digital Bazaar's ``@digitalbazaar/vc`` with
``@digitalbazaar/eddsa-jcs-2022-cryptosuite`` and ``vc-bitstring-status-list``, default
checks, run by Node.js on tests/interop/verify.mjs, accepts exactly the credentials that
``academy certificates verify`` accepts, and reads the same status. No network: the
JSON-LD contexts come from npm packages, the status lists from this test.

Needs Node.js and ``npm ci`` in tests/interop (``make test`` runs it). Skipped without
them, unless ACADEMY_REQUIRE_INTEROP=1 (CI sets it): then their absence fails the test.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.certificates import services
from academy.modules.credentials import cli, documents, keys, proofs, verification
from academy.modules.credentials.multibase import encode_ed25519_public_key
from tests.modules.credentials.conftest import signing_config

INTEROP = Path(__file__).parents[2] / "interop"
# 1EdTech's JSON Schema of an OB 3.0 AchievementCredential (source: tests/interop/README.md).
SCHEMA = INTEROP / "schema" / "ob_v3p0_achievementcredential_schema.json"
NODE = shutil.which("node")


def _require_verifier() -> None:
    missing = None
    if NODE is None:
        missing = "Node.js is not installed"
    elif not (INTEROP / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        missing = "tests/interop/node_modules is missing: run `npm ci --prefix tests/interop`"
    if missing and os.environ.get("ACADEMY_REQUIRE_INTEROP") == "1":
        pytest.fail(f"the independent verifier is required (ACADEMY_REQUIRE_INTEROP=1): {missing}")
    if missing:
        pytest.skip(missing)


@pytest.fixture
def app_config(tmp_path) -> dict:
    return signing_config(tmp_path)


def served(client, url: str) -> dict:
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200, url
    return json.loads(response.data)


def run_independent_verifier(tmp_path: Path, client, credentials: dict[str, dict]) -> dict:
    """The Node verifier's verdict on each credential, and on each status list they name."""
    lists = {c["credentialStatus"]["statusListCredential"] for c in credentials.values()}
    data = {
        "trustedKeys": sorted(verification.local_trusted_keys().key_ids),
        "documents": {url: served(client, url) for url in sorted(lists)},
        "credentials": credentials,
    }
    path = tmp_path / "interop-input.json"
    path.write_text(json.dumps(data))
    result = subprocess.run(  # noqa: S603 - node and a file of this test
        [NODE, str(INTEROP / "verify.mjs"), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def academy_verify(app, client, monkeypatch, path: Path, document: dict):
    """``academy certificates verify FILE``, status lists served by the test client."""
    monkeypatch.setattr(cli, "fetch_url", lambda url: client.get(urlsplit(url).path).data)
    path.write_bytes(documents.credential_json(document))
    return app.test_cli_runner().invoke(args=["certificates", "verify", str(path)])


def forged_with_a_foreign_key(document: dict) -> dict:
    """Re-signed by a key the academy never had, with that key's did:key as issuer."""
    forger = Ed25519PrivateKey.generate()
    public = encode_ed25519_public_key(forger.public_key().public_bytes_raw())
    record = keys.KeyRecord(keys.verification_method_id(public), public, "2026-01-01T00:00:00Z")
    unsigned = {k: v for k, v in copy.deepcopy(document).items() if k != "proof"}
    unsigned["issuer"]["id"] = record.controller
    return proofs.sign_document(unsigned, record, forger)


def signed_for_another_issuer(certificate) -> dict:
    """Signed by the academy's key, but naming the profile's address as issuer (as
    credentials did before): the issuer is not the controller of the signing key."""
    keyring = keys.load_keyring()
    unsigned = documents.build_credential(certificate, keyring.current)
    unsigned["issuer"]["id"] = documents.profile_url()
    return proofs.sign_document(unsigned, keyring.current, keyring.private_key)


def test_the_independent_verifier_and_ours_agree_on_every_case(
    app, tmp_path, client, certificate, make_user, monkeypatch
):
    _require_verifier()
    trainer = make_user(Role.TRAINER)
    revoked = services.issue_or_renew(make_user(), "module", "basics", "Basics", "1.0", 12)
    paused_holder = make_user()
    paused = services.issue_or_renew(paused_holder, "module", "basics", "Basics", "1.0", 12)
    db.session.commit()
    signed_before_rotation = documents.issue_credential(certificate)
    keys.rotate_key()
    fresh = documents.issue_credential(certificate)
    tampered = copy.deepcopy(fresh)
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = "Someone else"
    context_stripped = copy.deepcopy(fresh)
    del context_stripped["proof"][0]["@context"]
    credentials = {
        "fresh": fresh,
        "signed before rotate-key": signed_before_rotation,
        "tampered": tampered,
        "revoked": documents.issue_credential(revoked),
        "paused": documents.issue_credential(paused),
        "forged with a foreign key": forged_with_a_foreign_key(fresh),
        "proof without @context": context_stripped,
        "issuer is not the signing key's controller": signed_for_another_issuer(certificate),
    }
    services.revoke_certificate(revoked, "Shared confidential details.", trainer)
    services.pause_self(paused_holder)
    db.session.commit()

    verdicts = run_independent_verifier(tmp_path, client, credentials)

    independent = verdicts["credentials"]
    assert {name: v["verified"] for name, v in independent.items()} == {
        "fresh": True,
        "signed before rotate-key": True,
        "tampered": False,
        "revoked": False,
        "paused": False,
        "forged with a foreign key": False,
        "proof without @context": False,
        "issuer is not the signing key's controller": False,
    }, independent
    for number, (name, document) in enumerate(credentials.items()):
        result = academy_verify(app, client, monkeypatch, tmp_path / f"{number}.json", document)
        assert result.exit_code == (0 if independent[name]["verified"] else 1), (name, result)
        assert result.output.startswith("VALID" if independent[name]["verified"] else "NOT VALID")
    assert independent["revoked"]["message"] == "revoked"
    assert independent["paused"]["message"] == "paused"
    assert independent["fresh"]["status"] == 0
    assert any("Invalid signature" in p for p in independent["tampered"]["problems"])
    assert any(
        "issuer must match the verification method controller" in p
        for p in independent["issuer is not the signing key's controller"]["problems"]
    )
    # Both keys' status lists verify on their own too, and nothing came from the network.
    assert len(verdicts["documents"]) == 2
    assert all(v["verified"] for v in verdicts["documents"].values()), verdicts["documents"]
    assert all(not url.startswith("http") for url in verdicts["loaded"]), verdicts["loaded"]


# --- 1EdTech's Open Badges 3.0 JSON Schema -------------------------------------------------


def schema_errors(document: dict) -> list[str]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def test_a_credential_validates_against_the_ob_3_0_achievement_credential_schema(
    certificate, trainee, make_user
):
    assert schema_errors(documents.issue_credential(certificate)) == []
    path = services.issue_or_renew(trainee, "path", "core", "Core training", "1.0+1.2", 24)
    db.session.commit()
    assert schema_errors(documents.issue_credential(path)) == []


def test_the_schema_refuses_a_list_of_status_entries_and_a_proof_object(certificate):
    # What credentials looked like before: the schema is really applied.
    document = documents.issue_credential(certificate)
    document["credentialStatus"] = [document["credentialStatus"]] * 2
    document["proof"] = document["proof"][0]
    problems = schema_errors(document)
    assert any(p.startswith("credentialStatus: ") for p in problems), problems
    assert any(p.startswith("proof: ") for p in problems), problems


# --- the requirement switch ---------------------------------------------------------------


def test_when_required_a_missing_verifier_fails_instead_of_skipping(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "INTEROP", tmp_path)
    monkeypatch.setenv("ACADEMY_REQUIRE_INTEROP", "1")
    with pytest.raises(pytest.fail.Exception, match="is required"):
        _require_verifier()
    monkeypatch.delenv("ACADEMY_REQUIRE_INTEROP")
    with pytest.raises(pytest.skip.Exception):
        _require_verifier()
