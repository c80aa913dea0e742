"""Published status lists (W3C Bitstring Status List v1.0): whether a certificate is valid,
paused or revoked, two bits per certificate, under the status purpose ``message``.

Every certificate owns one random position (``Certificate.status_index``); its two bits
are ``index * 2`` and ``index * 2 + 1``, read left to right as a number (0 valid,
1 paused, 2 revoked, 3 superseded; documents.STATUS_MESSAGES), by the lifecycle rules of
``certificates.rules``. Bit 0 is the left-most bit of the first
byte. Each signing key has its own list at ``/status/<key>``, signed by that key, because
a verifier requires the list's issuer to be the credential's issuer (the key's did:key).
All lists hold every certificate. Rebuilt with three queries and cached briefly in the
process.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import Select, select

from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.modules.certificates.models import Certificate, Pause
from academy.modules.certificates.rules import EXPIRED, Rules
from academy.modules.certificates.services import STATUS_LIST_LENGTH
from academy.modules.credentials import documents, keys, proofs, verification
from academy.modules.credentials.multibase import (
    MultibaseError,
    decode_base64url,
    encode_base64url,
)

# The specification's minimum number of entries, for herd privacy.
MINIMUM_ENTRIES = 131_072
# A fetched list may be longer than ours, but not absurdly (a zip bomb is refused).
MAXIMUM_BYTES = 16 * 1024 * 1024
DEFAULT_CACHE_SECONDS = 60
# How long a published list stays valid: a replayed old copy is refused after this.
LIST_VALIDITY = timedelta(days=1)
CACHE_KEY = "academy.status_lists"
# What the verifier says for a status other than "valid", by its message.
PROBLEMS = {
    "revoked": "revoked (status list {url})",
    "paused": "paused: the holder's availability is paused (status list {url})",
    "superseded": "superseded: replaced by a newer certificate, or a new content version "
    "asked for a refresher that was not taken in time (status list {url})",
}


# --- bitstrings ---------------------------------------------------------------------------


def build_bitstring(
    values: Mapping[int, int],
    entries: int = STATUS_LIST_LENGTH,
    size: int = documents.STATUS_SIZE,
) -> bytes:
    """``entries`` statuses of ``size`` bits (1, 2, 4 or 8), entry i at bit ``i * size``.

    Sizes that divide 8 keep an entry inside one byte: one operation per entry, so half a
    million certificates take a fraction of a second.
    """
    bits = bytearray(entries * size // 8)
    for index, value in values.items():
        position = index * size
        bits[position >> 3] |= value << (8 - size - (position & 7))
    return bytes(bits)


def read_status(bitstring: bytes, index: int, size: int) -> int:
    """The value of entry ``index``; IndexError when the list has no such entry."""
    position = index * size
    byte = bitstring[position >> 3]
    return (byte >> (8 - size - (position & 7))) & ((1 << size) - 1)


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


def current_statuses() -> dict[int, int]:
    """Position -> status for every certificate that is not simply valid, in three queries.

    Precedence as in ``certificates.rules``: revoked, then superseded (replaced, or ended
    by a refresher's grace period before its own expiry), then paused. An expiry by date
    is the credential's own ``validUntil``.
    """
    position = select(Certificate.status_index)
    open_pauses = select(Pause.user_id).where(Pause.ended_at.is_(None))
    paused = _positions(position.where(Certificate.user_id.in_(open_pauses)))
    revoked = _positions(position.where(Certificate.revoked_at.is_not(None)))
    statuses = dict.fromkeys(paused, documents.PAUSED)
    statuses.update(dict.fromkeys(_superseded(), documents.SUPERSEDED))
    statuses.update(dict.fromkeys(revoked, documents.REVOKED))
    return statuses


def _superseded() -> list[int]:
    """Positions of replaced certificates, and of those a new content version ended."""
    rules = Rules()
    position = select(Certificate.status_index)
    replaced = _positions(position.where(Certificate.replaced_at.is_not(None)))
    # Only path certificates and module certificates of a module that asks to recertify
    # can be ended by a content version: the rest need not be read.
    candidates = db.session.connection().execute(
        select(
            Certificate.status_index,
            Certificate.kind,
            Certificate.subject_slug,
            Certificate.subject_version,
            Certificate.expires_at,
        ).where(
            Certificate.revoked_at.is_(None),
            Certificate.replaced_at.is_(None),
            (Certificate.kind == "path") | Certificate.subject_slug.in_(sorted(rules.recertify)),
        )
    )
    ended = [
        index
        for index, kind, slug, version, expires_at in candidates
        if (standing := rules.standing(kind, slug, version, expires_at, None, None)).state
        == EXPIRED
        and standing.new_version
    ]
    return replaced + ended


def build_status_list_credential(key: keys.KeyRecord, now: datetime) -> dict:
    """The unsigned BitstringStatusListCredential that ``key`` signs."""
    url = documents.status_list_url(key)
    return {
        "@context": [documents.VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": key.controller,
        "validFrom": proofs.format_timestamp(now),
        "validUntil": proofs.format_timestamp(now + LIST_VALIDITY),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": documents.STATUS_PURPOSE,
            "encodedList": encode_list(build_bitstring(current_statuses())),
        },
    }


@dataclass
class _Cached:
    body: bytes
    expires: datetime


def _cache() -> tuple[dict[tuple[str, str], _Cached], threading.Lock]:
    return current_app.extensions.setdefault(CACHE_KEY, ({}, threading.Lock()))


def cache_seconds() -> int:
    """How long a signed list is reused; tests set ``ACADEMY_STATUS_LIST_TTL`` to 0."""
    return int(current_app.config.get("ACADEMY_STATUS_LIST_TTL", DEFAULT_CACHE_SECONDS))


def published_status_list(public_key_multibase: str) -> bytes | None:
    """The list of that key as signed JSON, rebuilt at most every ``ACADEMY_STATUS_LIST_TTL``
    seconds; None when the academy has no such key."""
    entries, lock = _cache()
    # The list names its own address, so each address the app is reached at has its own.
    cache_key = (documents.base_url(), public_key_multibase)
    now = utcnow()
    with lock:
        cached = entries.get(cache_key)
        if cached is not None and now < cached.expires:
            return cached.body
    signing = keys.signing_key(public_key_multibase)
    if signing is None:
        return None
    key, private_key = signing
    signed = proofs.sign_document(build_status_list_credential(key, now), key, private_key)
    body = documents.credential_json(signed)
    with lock:
        entries[cache_key] = _Cached(body, now + timedelta(seconds=cache_seconds()))
    return body


def clear_cache() -> None:
    entries, lock = _cache()
    with lock:
        entries.clear()


# --- checking an entry (the verifier) -----------------------------------------------------


def check_entry(
    entry: object,
    issuer: object,
    trusted: verification.TrustedKeys,
    fetch: verification.Fetch,
    now: datetime,
) -> str | None:
    """A problem with the credential's status (revoked, paused, unverifiable) or None.

    ``issuer`` is the credential's issuer: the list must have the same one.
    """
    problem = _entry_problem(entry)
    if problem or not isinstance(entry, dict):
        return problem
    url, size = entry["statusListCredential"], entry["statusSize"]
    try:
        bitstring = _fetch_verified_list(url, issuer, size, trusted, fetch, now)
    except ValueError as error:
        return f"cannot check the status with the status list {url}: {error}"
    index = int(entry["statusListIndex"])
    if (index + 1) * size > len(bitstring) * 8:
        return f"the status list {url} has no position {index}"
    value = read_status(bitstring, index, size)
    if value == 0:
        return None
    message = entry["statusMessage"][value]["message"]
    return PROBLEMS.get(message, "status {message!r} (status list {url})").format(
        url=url, message=message
    )


def _entry_problem(entry: object) -> str | None:
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return "credentialStatus is not one BitstringStatusListEntry"
    if entry.get("statusPurpose") != documents.STATUS_PURPOSE:
        return f"unknown status purpose {entry.get('statusPurpose')!r}"
    index = entry.get("statusListIndex")
    if not isinstance(index, str) or not index.isascii() or not index.isdigit():
        return "statusListIndex must be a non-negative integer written as a string"
    size = entry.get("statusSize")
    if not isinstance(size, int) or isinstance(size, bool) or size not in (1, 2, 4, 8):
        return "statusSize must be 1, 2, 4 or 8"
    messages = entry.get("statusMessage")
    expected = [hex(value) for value in range(2**size)]
    if (
        not isinstance(messages, list)
        or [
            m.get("status") if isinstance(m, dict) and isinstance(m.get("message"), str) else None
            for m in messages
        ]
        != expected
    ):
        return f"statusMessage must give a message for each status {', '.join(expected)}"
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        return "statusListCredential must be an http or https address"
    return None


def _fetch_verified_list(
    url: str,
    issuer: object,
    size: int,
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
    if not problems:
        problems = verification.issuer_problems(document)
    problems += _list_problems(document, url, issuer, now)
    if problems:
        raise ValueError("; ".join(problems))
    bitstring = decode_list(document["credentialSubject"]["encodedList"])
    if len(bitstring) * 8 < MINIMUM_ENTRIES * size:
        raise ValueError("the list is shorter than the 131,072 entries the specification requires")
    return bitstring


def _list_problems(document: dict, url: str, issuer: object, now: datetime) -> list[str]:
    problems = []
    if document.get("id") != url:
        problems.append(f"its id is {document.get('id')}, not the address it came from")
    if "BitstringStatusListCredential" not in (document.get("type") or []):
        problems.append("it is not a BitstringStatusListCredential")
    if verification.issuer_id_of(document) != issuer:
        problems.append(f"its issuer is {verification.issuer_id_of(document)}, not {issuer}")
    problems += [f"the list is {p}" for p in verification.date_problems(document, now)]
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("type") != "BitstringStatusList":
        problems.append("its credentialSubject is not a BitstringStatusList")
    elif subject.get("statusPurpose") != documents.STATUS_PURPOSE:
        problems.append(
            f"it lists {subject.get('statusPurpose')!r}, not {documents.STATUS_PURPOSE!r}"
        )
    return problems
