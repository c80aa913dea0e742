"""W3C Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite, and the timestamps
credentials and proofs carry.

"Data Integrity EdDSA Cryptosuites v1.0" (W3C Recommendation), §3.3: the signature is
Ed25519 over ``SHA-256(JCS(proof configuration)) || SHA-256(JCS(document without proof))``,
where the proof configuration is the proof without ``proofValue``; Create Proof copies the
document's ``@context`` into the proof.
docs/credentials.md explains the choice and how to verify a credential independently.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from academy.core.clock import utcnow
from academy.modules.credentials import keys
from academy.modules.credentials.multibase import decode_base58btc, encode_base58btc

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_PURPOSE = "assertionMethod"
SIGNATURE_LENGTH = 64


# --- timestamps ----------------------------------------------------------------------------


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
    """proofConfigHash || transformedDocumentHash, in this order (§3.3.4).

    The proof configuration is the proof options as they stand (§3.3.5): the context is
    in them only because Create Proof put it there, so a verifier hashes what it reads.
    """
    config = {key: value for key, value in options.items() if key != "proofValue"}
    config_hash = hashlib.sha256(rfc8785.dumps(config)).digest()
    document_hash = hashlib.sha256(rfc8785.dumps(unsecured)).digest()
    return config_hash + document_hash


def add_proof(document: dict, private_key: Ed25519PrivateKey, options: dict) -> dict:
    """The document with an eddsa-jcs-2022 proof (§3.3.1) as a one-element proof set.

    ``options`` become the proof. When the document has an ``@context`` the proof carries
    it too, as the algorithm requires: verifiers hash the proof as it is, context included.
    Open Badges 3.0 wants ``proof`` as a list.
    """
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != CRYPTOSUITE:
        raise ValueError("only DataIntegrityProof with eddsa-jcs-2022 is produced here")
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    if "@context" in unsecured:
        options = {"@context": unsecured["@context"], **options}
    signature = private_key.sign(_hash_data(unsecured, options))
    return {**unsecured, "proof": [{**options, "proofValue": encode_base58btc(signature)}]}


def single_proof(document: dict) -> object:
    """The document's one proof, whether written as an object or a one-element list."""
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        return proof[0]
    return proof


def proof_is_valid(secured: dict, public_key: Ed25519PublicKey) -> bool:
    """The eddsa-jcs-2022 Verify Proof algorithm (§3.3.2) for the document's one proof.

    Raises MultibaseError or rfc8785.CanonicalizationError for a value that cannot even
    be checked.
    """
    proof = single_proof(secured)
    if not isinstance(proof, dict):
        return False
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


def sign_document(document: dict, key: keys.KeyRecord, private_key: Ed25519PrivateKey) -> dict:
    """Sign with ``key``: the current key for credentials, a list's own key for its list."""
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_timestamp(utcnow()),
        "verificationMethod": key.id,
        "proofPurpose": PROOF_PURPOSE,
    }
    return add_proof(document, private_key, options)
