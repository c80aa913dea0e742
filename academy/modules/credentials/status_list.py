"""Published status lists (W3C Bitstring Status List v1.0) for revocation and suspension.

Every certificate owns one random position (``Certificate.status_index``) in two lists
of ``STATUS_LIST_LENGTH`` bits. Bit 0 is the left-most bit of the first byte. A bit is
set in the revocation list when the certificate is revoked, and in the suspension list
while its holder has an open pause; lifting the pause clears it. Each list is a signed
BitstringStatusListCredential, rebuilt with one query and cached briefly in the process.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import Select, select

from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.modules.certificates.models import Certificate, Pause
from academy.modules.certificates.services import STATUS_LIST_LENGTH
from academy.modules.credentials import documents, proofs, verification
from academy.modules.credentials.multibase import (
    MultibaseError,
    decode_base64url,
    encode_base64url,
)

# The specification's minimum, for herd privacy: 16 KiB of bits.
MINIMUM_BITS = 131_072
# A fetched list may be longer than ours, but not absurdly (a zip bomb is refused).
MAXIMUM_BYTES = 16 * 1024 * 1024
DEFAULT_CACHE_SECONDS = 60
# How long a published list stays valid: a replayed old copy is refused after this.
LIST_VALIDITY = timedelta(days=1)
PURPOSES = documents.STATUS_PURPOSES
CACHE_KEY = "academy.status_lists"
MESSAGES = {
    "revocation": "revoked (status list {url})",
    "suspension": "suspended: the holder's availability is paused (status list {url})",
}


# --- bitstrings ---------------------------------------------------------------------------


def build_bitstring(indexes: Iterable[int], length: int = STATUS_LIST_LENGTH) -> bytes:
    """``length`` bits with the given positions set; position 0 is the first byte's MSB."""
    bits = bytearray(length // 8)
    for index in indexes:
        bits[index >> 3] |= 0x80 >> (index & 7)
    return bytes(bits)


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index >> 3] & (0x80 >> (index & 7)))


def encode_list(bitstring: bytes) -> str:
    """GZIP, then multibase base64url without padding, as ``encodedList`` requires."""
    # Level 6: level 9 spends seconds on long runs of zeros for a few bytes less.
    return encode_base64url(gzip.compress(bitstring, compresslevel=6, mtime=0))


def decode_list(encoded: object) -> bytes:
    """The bitstring of an ``encodedList``; ValueError for anything malformed or huge."""
    try:
        compressed = decode_base64url(encoded)
    except MultibaseError as error:
        raise ValueError(f"encodedList: {error}") from error
    inflater = zlib.decompressobj(wbits=31)  # 31: gzip framing
    try:
        bitstring = inflater.decompress(compressed, MAXIMUM_BYTES)
    except zlib.error as error:
        raise ValueError("encodedList is not GZIP data") from error
    if inflater.unconsumed_tail:
        raise ValueError("encodedList is larger than any status list should be")
    return bitstring


# --- the published lists ------------------------------------------------------------------


def _positions(statement: Select) -> list[int]:
    # Run on the session's connection: plain integers, without the ORM's per-row work,
    # which would double the time for half a million certificates.
    return list(db.session.connection().execute(statement).scalars())


def revoked_indexes() -> list[int]:
    return _positions(select(Certificate.status_index).where(Certificate.revoked_at.is_not(None)))


def suspended_indexes() -> list[int]:
    """Positions of certificates whose holder has an open pause, in one query."""
    open_pauses = select(Pause.user_id).where(Pause.ended_at.is_(None))
    return _positions(select(Certificate.status_index).where(Certificate.user_id.in_(open_pauses)))


def build_status_list_credential(purpose: str, now: datetime) -> dict:
    """The unsigned BitstringStatusListCredential for ``purpose``."""
    indexes = revoked_indexes() if purpose == "revocation" else suspended_indexes()
    url = documents.status_list_url(purpose)
    return {
        "@context": [documents.VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": documents.issuer_id(),
        "validFrom": proofs.format_timestamp(now),
        "validUntil": proofs.format_timestamp(now + LIST_VALIDITY),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(build_bitstring(indexes)),
        },
    }


@dataclass
class _Cached:
    body: bytes
    expires: datetime


def _cache() -> tuple[dict[str, _Cached], threading.Lock]:
    return current_app.extensions.setdefault(CACHE_KEY, ({}, threading.Lock()))


def cache_seconds() -> int:
    """How long a signed list is reused; tests set ``ACADEMY_STATUS_LIST_TTL`` to 0."""
    return int(current_app.config.get("ACADEMY_STATUS_LIST_TTL", DEFAULT_CACHE_SECONDS))


def published_status_list(purpose: str) -> bytes:
    """The signed list as JSON bytes, rebuilt at most every ``ACADEMY_STATUS_LIST_TTL`` s."""
    if purpose not in PURPOSES:
        raise ValueError(f"no status list for {purpose!r}")
    entries, lock = _cache()
    now = utcnow()
    with lock:
        cached = entries.get(purpose)
        if cached is not None and now < cached.expires:
            return cached.body
    signed = proofs.sign_document(build_status_list_credential(purpose, now))
    body = documents.credential_json(signed)
    with lock:
        entries[purpose] = _Cached(body, now + timedelta(seconds=cache_seconds()))
    return body


def clear_cache() -> None:
    entries, lock = _cache()
    with lock:
        entries.clear()


# --- checking an entry (the verifier) -----------------------------------------------------


def check_entry(
    entry: object,
    trusted: verification.TrustedKeys,
    fetch: verification.Fetch,
    now: datetime,
) -> str | None:
    """A problem with the credential's status (revoked, suspended, unverifiable) or None."""
    problem = _entry_problem(entry)
    if problem or not isinstance(entry, dict):
        return problem
    url, purpose = entry["statusListCredential"], entry["statusPurpose"]
    try:
        bitstring = _fetch_verified_list(url, purpose, trusted, fetch, now)
    except ValueError as error:
        return f"cannot check {purpose} with the status list {url}: {error}"
    index = int(entry["statusListIndex"])
    if index >= len(bitstring) * 8:
        return f"the status list {url} has no position {index}"
    return MESSAGES[purpose].format(url=url) if bit_is_set(bitstring, index) else None


def _entry_problem(entry: object) -> str | None:
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return "credentialStatus is not a BitstringStatusListEntry"
    if entry.get("statusPurpose") not in PURPOSES:
        return f"unknown status purpose {entry.get('statusPurpose')!r}"
    index = entry.get("statusListIndex")
    if not isinstance(index, str) or not index.isascii() or not index.isdigit():
        return "statusListIndex must be a non-negative integer written as a string"
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        return "statusListCredential must be an http or https address"
    return None


def _fetch_verified_list(
    url: str,
    purpose: str,
    trusted: verification.TrustedKeys,
    fetch: verification.Fetch,
    now: datetime,
) -> bytes:
    """The bitstring of the list at ``url`` once its proof, issuer, dates and purpose hold."""
    try:
        document = verification.load_json_strictly(fetch(url))
    except Exception as error:  # network, HTTP status or JSON: all mean "cannot check"
        raise ValueError(f"could not fetch it ({error})") from error
    if not isinstance(document, dict):
        raise ValueError("it is not a JSON object")
    problems = verification.proof_problems(document, trusted)
    problems += _list_problems(document, url, purpose, trusted, now)
    if problems:
        raise ValueError("; ".join(problems))
    bitstring = decode_list(document["credentialSubject"]["encodedList"])
    if len(bitstring) * 8 < MINIMUM_BITS:
        raise ValueError("the list is shorter than the 131,072 bits the specification requires")
    return bitstring


def _list_problems(
    document: dict, url: str, purpose: str, trusted: verification.TrustedKeys, now: datetime
) -> list[str]:
    problems = []
    if document.get("id") != url:
        problems.append(f"its id is {document.get('id')}, not the address it came from")
    if "BitstringStatusListCredential" not in (document.get("type") or []):
        problems.append("it is not a BitstringStatusListCredential")
    if verification.issuer_id_of(document) != trusted.issuer:
        problems.append(f"its issuer is {verification.issuer_id_of(document)}")
    problems += [f"the list is {p}" for p in verification.date_problems(document, now)]
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("type") != "BitstringStatusList":
        problems.append("its credentialSubject is not a BitstringStatusList")
    elif subject.get("statusPurpose") != purpose:
        problems.append(f"it lists {subject.get('statusPurpose')!r}, not {purpose!r}")
    return problems
