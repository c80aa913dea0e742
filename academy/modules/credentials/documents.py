"""Signed Open Badges 3.0 credentials (W3C VC 2.0) for certificates, and what the academy
publishes for verifiers: its profile with every key, and the key list.

The issuer of a credential is the did:key of the key that signs it, so any Data Integrity
verifier finds the issuer to be the controller of the signing key without a network; the
academy's published key list says which did:keys are its own. Each credential carries one
status entry: a Bitstring Status List with the purpose ``message`` and two bits per
certificate (valid, paused, revoked), signed by the same key. Signed on request with
``proofs.sign_document``; nothing is stored. docs/credentials.md explains the choices.
"""

from __future__ import annotations

import json

from flask import current_app, has_request_context, request

from academy.modules.certificates.codes import format_code
from academy.modules.certificates.models import Certificate
from academy.modules.credentials import keys
from academy.modules.credentials.proofs import format_timestamp, sign_document

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# Defines verificationMethod, assertionMethod, Multikey and publicKeyMultibase.
CID_CONTEXT = "https://www.w3.org/ns/cid/v1"
ISSUER_NAME = "Peer Academy"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"

# One status entry per credential (the OB 3.0 schema allows one): two bits per certificate.
STATUS_PURPOSE = "message"
STATUS_SIZE = 2
VALID, PAUSED, REVOKED, SUPERSEDED = 0, 1, 2, 3
# The message of each value, in order. A revoked certificate is "revoked" whether or not
# its holder is paused. "superseded": a newer certificate replaced it, or a content
# version asked for a refresher and the grace period ended before the expiry date the
# credential names (``certificates.rules``).
STATUS_MESSAGES = ("valid", "paused", "revoked", "superseded")

CRITERIA = {
    "module": "Studied every lesson of this Peer Academy module and passed its quiz.",
    "path": (
        "Completed every module of this Peer Academy certificate path and, where the path "
        "asks for it, observed practice: role-plays in which a trainer saw every point of "
        "a checklist met, on as many different days as the path sets."
    ),
}


# --- addresses -----------------------------------------------------------------------------


def base_url() -> str:
    """ACADEMY_BASE_URL when set, else the address this request came to (``make run
    PORT=…`` needs no setting), else the development default outside a request."""
    configured = current_app.config.get("ACADEMY_BASE_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return DEFAULT_BASE_URL


def profile_url() -> str:
    """The academy's Open Badges Profile with every key it signs with."""
    return f"{base_url()}/issuer"


def status_list_url(key: keys.KeyRecord) -> str:
    """The status list signed by ``key``: its issuer must be the credential's issuer."""
    return f"{base_url()}/status/{key.public_key_multibase}"


# --- the credential -----------------------------------------------------------------------


def build_credential(certificate: Certificate, key: keys.KeyRecord) -> dict:
    """The unsigned OpenBadgeCredential that ``key`` signs: the skill, the display name,
    nothing else personal. No username, e-mail or account id; nothing about whom the
    programme serves.
    """
    base = base_url()
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"{base}/verify/{format_code(certificate.code)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.subject_title,
        "issuer": {"id": key.controller, "type": ["Profile"], "name": ISSUER_NAME, "url": base},
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
        "credentialStatus": _status_entry(certificate, key),
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


def _status_entry(certificate: Certificate, key: keys.KeyRecord) -> dict:
    url = status_list_url(key)
    index = str(certificate.status_index)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": index,
        "statusSize": STATUS_SIZE,
        "statusMessage": [
            {"status": hex(value), "message": message}
            for value, message in enumerate(STATUS_MESSAGES)
        ],
        "statusListCredential": url,
    }


def issue_credential(certificate: Certificate) -> dict:
    """The credential signed with the current key. Signed on request; nothing is stored."""
    keyring = keys.load_keyring()
    unsigned = build_credential(certificate, keyring.current)
    return sign_document(unsigned, keyring.current, keyring.private_key)


def credential_json(document: dict) -> bytes:
    """Readable JSON for a download; the signature does not depend on the layout."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


# --- the academy's published keys ---------------------------------------------------------


def issuer_profile() -> dict:
    """The OB 3.0 Profile of the academy with every key, current and retired."""
    records = keys.load_keyring().records
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT, CID_CONTEXT],
        "id": profile_url(),
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
        "issuer": profile_url(),
        "current": keyring.current.id,
        "keys": [record.id for record in keyring.records],
    }
