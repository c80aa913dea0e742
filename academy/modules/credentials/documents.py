"""Signed Open Badges 3.0 credentials (W3C VC 2.0) for certificates, and what the issuer
publishes for verifiers: its profile with every key, and the key list.

Signed on request with ``proofs.sign_document``; nothing is stored. verification.py checks
them; docs/credentials.md explains the format.
"""

from __future__ import annotations

import json

from flask import current_app

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
STATUS_PURPOSES = ("revocation", "suspension")

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
    return str(current_app.config.get("ACADEMY_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def issuer_id() -> str:
    return f"{base_url()}/issuer"


def status_list_url(purpose: str) -> str:
    return f"{base_url()}/status/{purpose}"


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
