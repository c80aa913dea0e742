"""Checking a credential (or a status list) as a verifier does: shape, proof, issuer,
dates and, online, its status (valid, paused or revoked). No database: a verifier needs
only the document, the academy's key set and, to check status, a way to fetch the list.

The issuer of a credential is the did:key of its signing key (documents.py); the key set
says which did:keys are the academy's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from academy.core.clock import utcnow
from academy.modules.credentials import keys
from academy.modules.credentials.documents import VC_CONTEXT
from academy.modules.credentials.multibase import MultibaseError, decode_base58btc
from academy.modules.credentials.proofs import (
    CRYPTOSUITE,
    PROOF_PURPOSE,
    PROOF_TYPE,
    SIGNATURE_LENGTH,
    format_timestamp,
    parse_timestamp,
    proof_is_valid,
    single_proof,
)

# Clocks differ: a status list signed a moment ago by a server whose clock runs ahead
# must not count as "not valid yet". Expiry is never stretched.
CLOCK_SKEW = timedelta(minutes=5)

Fetch = Callable[[str], bytes]
LOCAL_KEYS = "this installation's key directory"


# --- whom a verifier trusts ---------------------------------------------------------------


@dataclass(frozen=True)
class TrustedKeys:
    """Whom a verifier trusts: the keys the academy signs with, and where that list is from."""

    source: str
    key_ids: frozenset[str]


def local_trusted_keys() -> TrustedKeys:
    """The key set of this installation, read from the key directory (never created).

    Needs no ACADEMY_BASE_URL: a key is trusted for what it is, not for an address.
    """
    records = keys.published_keys(keys.key_directory())
    return TrustedKeys(LOCAL_KEYS, frozenset(record.id for record in records))


def _method_id(method: object) -> object:
    """assertionMethod entries are ids or embedded verification methods."""
    return method.get("id") if isinstance(method, dict) else method


def trusted_keys_from_json(data: object) -> TrustedKeys:
    """A key set from the academy's Profile (``/issuer``) or ``academy-keys.json``."""
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
    if document.get("proof") is None:
        return ["the document has no proof: it is not signed"]
    proof = single_proof(document)
    if not isinstance(proof, dict):
        return ["expected exactly one proof"]
    problems = _proof_option_problems(proof)
    if problems:
        return problems
    method = proof.get("verificationMethod")
    try:
        public_key = keys.public_key_from_verification_method(method)
    except ValueError as error:
        return [f"verification method {method!r}: {error}"]
    if method not in trusted.key_ids:
        return [f"signed with a key that {trusted.source} does not list: {method}"]
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
        if len(decode_base58btc(single_proof(document).get("proofValue"))) != SIGNATURE_LENGTH:
            return ["proofValue is not a 64-byte Ed25519 signature"]
        valid = proof_is_valid(document, public_key)
    except MultibaseError as error:
        return [f"proofValue is not a base58-btc signature: {error}"]
    except rfc8785.CanonicalizationError as error:
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
    report.problems.extend(date_problems(document, now))
    if not signature:
        method = single_proof(document)["verificationMethod"]
        report.problems.extend(issuer_problems(document))
        report.notes.append(f"signed by {method}, a key listed by {trusted_keys.source}")
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


def issuer_problems(document: dict) -> list[str]:
    """The issuer must be the controller of the signing key (its did:key), as every Data
    Integrity verifier requires. For a document whose proof was checked."""
    method = single_proof(document)["verificationMethod"]
    issuer, controller = issuer_id_of(document), method.partition("#")[0]
    if issuer != controller:
        return [f"issuer is {issuer}, but the signing key belongs to {controller}"]
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
    # Imported here: status_list checks a fetched list with this module's functions.
    from academy.modules.credentials import status_list

    entry = document.get("credentialStatus")
    if entry is None:
        return
    if fetch is None:
        report.notes.append("revocation and pauses were not checked (offline)")
        return
    problem = status_list.check_entry(entry, issuer_id_of(document), trusted, fetch, now)
    if problem is None:
        report.notes.append("status checked: valid (neither revoked nor paused)")
    else:
        report.problems.append(problem)
