"""Signed Open Badges 3.0 credentials (W3C VC 2.0) for certificates, and their verification.

Proofs are W3C Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite ("Data
Integrity EdDSA Cryptosuites v1.0", §3.3): the signature is Ed25519 over
``SHA-256(JCS(proof configuration)) || SHA-256(JCS(document without proof))``, where the
proof configuration is the proof without ``proofValue`` plus the document's ``@context``.
docs/credentials.md explains the choice and how to verify a credential independently.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from flask import current_app

from academy.core.clock import utcnow
from academy.modules.certificates import keys
from academy.modules.certificates.codes import format_code
from academy.modules.certificates.jcs import CanonicalizationError, canonicalize
from academy.modules.certificates.models import Certificate
from academy.modules.certificates.multibase import (
    MultibaseError,
    decode_base58btc,
    encode_base58btc,
)

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# Defines verificationMethod, assertionMethod, Multikey and publicKeyMultibase.
CID_CONTEXT = "https://www.w3.org/ns/cid/v1"
PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_PURPOSE = "assertionMethod"
SIGNATURE_LENGTH = 64
ISSUER_NAME = "Peer Academy"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
STATUS_PURPOSES = ("revocation", "suspension")
# Clocks differ: a status list signed a moment ago by a server whose clock runs ahead
# must not count as "not valid yet". Expiry is never stretched.
CLOCK_SKEW = timedelta(minutes=5)

CRITERIA = {
    "module": "Studied every lesson of this Peer Academy module and passed its quiz.",
    "path": (
        "Completed every module of this Peer Academy certificate path and, where the path "
        "asks for it, supervised practice confirmed by a trainer."
    ),
}

Fetch = Callable[[str], bytes]


# --- addresses and timestamps -------------------------------------------------------------


def base_url() -> str:
    return str(current_app.config.get("ACADEMY_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def issuer_id() -> str:
    return f"{base_url()}/issuer"


def status_list_url(purpose: str) -> str:
    return f"{base_url()}/status/{purpose}"


def format_timestamp(moment: datetime) -> str:
    """A naive UTC datetime as an XML Schema dateTimeStamp, ``2026-05-01T12:00:00Z``."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def parse_timestamp(text: object) -> datetime | None:
    """A dateTimeStamp as naive UTC, or None when it is not one (a zone is required)."""
    if not isinstance(text, str) or "T" not in text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None)


# --- Data Integrity: eddsa-jcs-2022 -------------------------------------------------------


def _hash_data(unsecured: dict, options: dict) -> bytes:
    """proofConfigHash || transformedDocumentHash, in this order (§3.3.4)."""
    config = {key: value for key, value in options.items() if key != "proofValue"}
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    config_hash = hashlib.sha256(canonicalize(config)).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured)).digest()
    return config_hash + document_hash


def add_proof(document: dict, private_key: Ed25519PrivateKey, options: dict) -> dict:
    """The document with an eddsa-jcs-2022 proof; ``options`` become the proof (§3.3.1)."""
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != CRYPTOSUITE:
        raise ValueError("only DataIntegrityProof with eddsa-jcs-2022 is produced here")
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    signature = private_key.sign(_hash_data(unsecured, options))
    return {**unsecured, "proof": {**options, "proofValue": encode_base58btc(signature)}}


def proof_is_valid(secured: dict, public_key: Ed25519PublicKey) -> bool:
    """The eddsa-jcs-2022 Verify Proof algorithm (§3.3.2) for the document's one proof.

    Raises MultibaseError or CanonicalizationError for a value that cannot even be checked.
    """
    proof = secured["proof"]
    unsecured = {key: value for key, value in secured.items() if key != "proof"}
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    signature = decode_base58btc(proof.get("proofValue"))
    if "@context" in options:
        # A proof that names its context signed a document whose context began with it.
        context = options["@context"]
        document_context = secured.get("@context")
        if not isinstance(context, list) or not isinstance(document_context, list):
            return False
        if document_context[: len(context)] != context:
            return False
        unsecured["@context"] = context
    try:
        public_key.verify(signature, _hash_data(unsecured, options))
    except InvalidSignature:
        return False
    return True


def sign_document(document: dict) -> dict:
    """Sign with the issuer's current key (created on first use)."""
    keyring = keys.load_keyring()
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_timestamp(utcnow()),
        "verificationMethod": keyring.current.id,
        "proofPurpose": PROOF_PURPOSE,
    }
    return add_proof(document, keyring.private_key, options)


# --- the credential -----------------------------------------------------------------------


def build_credential(certificate: Certificate) -> dict:
    """The unsigned OpenBadgeCredential: the skill, the display name, nothing else personal.

    No username, e-mail or account id; nothing about whom the programme serves.
    """
    base = base_url()
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"{base}/verify/{format_code(certificate.code)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.subject_title,
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": ISSUER_NAME},
        "validFrom": format_timestamp(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            # OB 3.0 names a recipient with an IdentityObject; "name", unhashed, is the
            # display name the holder chose (pseudonymous by design).
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": certificate.holder_name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "achievement": _achievement(certificate, base),
        },
        "credentialStatus": [_status_entry(purpose, certificate) for purpose in STATUS_PURPOSES],
    }
    if certificate.expires_at is not None:
        document["validUntil"] = format_timestamp(certificate.expires_at)
    return document


def _achievement(certificate: Certificate, base: str) -> dict:
    return {
        "id": f"{base}/achievements/{certificate.kind}/{certificate.subject_slug}",
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": certificate.subject_title,
        "description": f"{certificate.subject_title}: a Peer Academy training for peer advisors.",
        "criteria": {"narrative": CRITERIA.get(certificate.kind, CRITERIA["module"])},
        "version": certificate.subject_version,
    }


def _status_entry(purpose: str, certificate: Certificate) -> dict:
    url = status_list_url(purpose)
    index = str(certificate.status_index)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": index,
        "statusListCredential": url,
    }


def issue_credential(certificate: Certificate) -> dict:
    """The signed credential for a certificate. Signed on request; nothing is stored."""
    return sign_document(build_credential(certificate))


def credential_json(document: dict) -> bytes:
    """Readable JSON for a download; the signature does not depend on the layout."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


# --- the issuer's published keys ----------------------------------------------------------


def issuer_profile() -> dict:
    """The OB 3.0 Profile of the issuer with every key, current and retired."""
    records = keys.load_keyring().records
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT, CID_CONTEXT],
        "id": issuer_id(),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": base_url(),
        "verificationMethod": [
            {
                "id": record.id,
                "type": "Multikey",
                "controller": record.controller,
                "publicKeyMultibase": record.public_key_multibase,
            }
            for record in records
        ],
        "assertionMethod": [record.id for record in records],
    }


def key_list() -> dict:
    keyring = keys.load_keyring()
    return {
        "issuer": issuer_id(),
        "current": keyring.current.id,
        "keys": [record.id for record in keyring.records],
    }


@dataclass(frozen=True)
class TrustedKeys:
    """Whom a verifier trusts: the issuer's id and the ids of the keys it signs with."""

    issuer: str
    key_ids: frozenset[str]


def local_trusted_keys() -> TrustedKeys:
    """The key set of this installation, read from the key directory (never created)."""
    records = keys.published_keys(keys.key_directory())
    return TrustedKeys(issuer_id(), frozenset(record.id for record in records))


def _method_id(method: object) -> object:
    """assertionMethod entries are ids or embedded verification methods."""
    return method.get("id") if isinstance(method, dict) else method


def trusted_keys_from_json(data: object) -> TrustedKeys:
    """A key set from the issuer's Profile (``/issuer``) or ``academy-keys.json``."""
    if not isinstance(data, dict):
        raise ValueError("the key set is not a JSON object")
    if "issuer" in data and "keys" in data:
        issuer, ids = data["issuer"], data["keys"]
    else:
        issuer = data.get("id")
        ids = [_method_id(method) for method in data.get("assertionMethod") or []]
    if not isinstance(issuer, str) or not isinstance(ids, list):
        raise ValueError("the key set names no issuer or no keys")
    valid_ids = []
    for method_id in ids:
        keys.public_key_from_verification_method(method_id)  # refuses anything but did:key
        valid_ids.append(method_id)
    return TrustedKeys(issuer, frozenset(valid_ids))


# --- verification -------------------------------------------------------------------------


@dataclass
class VerificationReport:
    """The verdict: valid only when there is no problem. Notes say what was checked."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    holder: str | None = None
    achievement: str | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


def load_json_strictly(text: str | bytes) -> object:
    """Parse JSON, refusing duplicate member names (parsers disagree on which one wins)."""

    def no_duplicates(pairs: list[tuple[str, object]]) -> dict:
        names = [name for name, _ in pairs]
        if len(names) != len(set(names)):
            raise ValueError("a JSON object repeats a member name")
        return dict(pairs)

    return json.loads(text, object_pairs_hook=no_duplicates)


def proof_problems(document: dict, trusted: TrustedKeys) -> list[str]:
    """Why the document's proof cannot be trusted; empty when it can."""
    proof = document.get("proof")
    if proof is None:
        return ["the document has no proof: it is not signed"]
    if not isinstance(proof, dict):
        return ["expected exactly one proof object"]
    problems = _proof_option_problems(proof)
    if problems:
        return problems
    method = proof.get("verificationMethod")
    try:
        public_key = keys.public_key_from_verification_method(method)
    except ValueError as error:
        return [f"verification method {method!r}: {error}"]
    if method not in trusted.key_ids:
        return [f"signed with a key that is not one of {trusted.issuer}'s keys: {method}"]
    return _signature_problems(document, public_key)


def _proof_option_problems(proof: dict) -> list[str]:
    problems = []
    if proof.get("type") != PROOF_TYPE:
        problems.append(f"proof type is {proof.get('type')!r}, expected {PROOF_TYPE}")
    if proof.get("cryptosuite") != CRYPTOSUITE:
        problems.append(f"cryptosuite is {proof.get('cryptosuite')!r}, expected {CRYPTOSUITE}")
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        problems.append(f"proof purpose is {proof.get('proofPurpose')!r}, expected {PROOF_PURPOSE}")
    if "created" in proof and parse_timestamp(proof["created"]) is None:
        problems.append("the proof's created date is not a date and time with a time zone")
    return problems


def _signature_problems(document: dict, public_key: Ed25519PublicKey) -> list[str]:
    try:
        if len(decode_base58btc(document["proof"].get("proofValue"))) != SIGNATURE_LENGTH:
            return ["proofValue is not a 64-byte Ed25519 signature"]
        valid = proof_is_valid(document, public_key)
    except MultibaseError as error:
        return [f"proofValue is not a base58-btc signature: {error}"]
    except CanonicalizationError as error:
        return [f"the document holds a value this issuer never signs: {error}"]
    if not valid:
        return ["signature does not match: the credential was changed after it was signed"]
    return []


def verify_credential(
    document: object,
    trusted_keys: TrustedKeys,
    fetch: Fetch | None = None,
    now: datetime | None = None,
) -> VerificationReport:
    """Check a credential: shape, proof, issuer, dates and (with ``fetch``) its status.

    ``fetch(url) -> bytes`` retrieves a status list; without it the status is not checked.
    """
    now = now or utcnow()
    report = VerificationReport()
    report.problems.extend(_shape_problems(document))
    if report.problems or not isinstance(document, dict):
        return report
    _describe(document, report)
    signature = proof_problems(document, trusted_keys)
    report.problems.extend(signature)
    report.problems.extend(_issuer_problems(document, trusted_keys))
    report.problems.extend(date_problems(document, now))
    if not signature:
        report.notes.append(f"signed by {document['proof']['verificationMethod']}")
        _check_status(document, trusted_keys, fetch, now, report)
    return report


def _shape_problems(document: object) -> list[str]:
    if not isinstance(document, dict):
        return ["not a credential: the file is not a JSON object"]
    problems = []
    context = document.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_CONTEXT:
        problems.append(f"@context must be a list starting with {VC_CONTEXT}")
    types = document.get("type")
    if not isinstance(types, list) or not {"VerifiableCredential", "OpenBadgeCredential"} <= set(
        types
    ):
        problems.append("type must include VerifiableCredential and OpenBadgeCredential")
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict) or not isinstance(subject.get("achievement"), dict):
        problems.append("credentialSubject with an achievement is missing")
    if "issuer" not in document:
        problems.append("issuer is missing")
    if "validFrom" not in document:
        problems.append("validFrom is missing")
    return problems


def _describe(document: dict, report: VerificationReport) -> None:
    subject = document["credentialSubject"]
    report.achievement = str(subject["achievement"].get("name"))
    for identifier in subject.get("identifier") or []:
        if isinstance(identifier, dict) and identifier.get("identityType") == "name":
            report.holder = str(identifier.get("identityHash"))


def issuer_id_of(document: dict) -> object:
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _issuer_problems(document: dict, trusted: TrustedKeys) -> list[str]:
    issuer = issuer_id_of(document)
    if issuer != trusted.issuer:
        return [f"issuer is {issuer}, expected {trusted.issuer}"]
    return []


def date_problems(document: dict, now: datetime) -> list[str]:
    problems = []
    valid_from = parse_timestamp(document.get("validFrom"))
    if valid_from is None:
        problems.append("validFrom is not a date and time with a time zone")
    elif now + CLOCK_SKEW < valid_from:
        problems.append(f"not valid yet: valid from {format_timestamp(valid_from)}")
    if "validUntil" in document:
        valid_until = parse_timestamp(document["validUntil"])
        if valid_until is None:
            problems.append("validUntil is not a date and time with a time zone")
        elif now >= valid_until:
            problems.append(f"expired on {format_timestamp(valid_until)}")
    return problems


def _check_status(
    document: dict,
    trusted: TrustedKeys,
    fetch: Fetch | None,
    now: datetime,
    report: VerificationReport,
) -> None:
    # Imported here: the status lists are signed with this module's functions.
    from academy.modules.certificates import status_list

    entries = document.get("credentialStatus")
    if entries is None:
        return
    if fetch is None:
        report.notes.append("revocation and suspension were not checked (offline)")
        return
    for entry in entries if isinstance(entries, list) else [entries]:
        problem = status_list.check_entry(entry, trusted, fetch, now)
        if problem is None:
            report.notes.append(f"{entry['statusPurpose']} status checked: not set")
        else:
            report.problems.append(problem)
