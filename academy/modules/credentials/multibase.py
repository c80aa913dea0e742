"""Multibase and multicodec encodings used by Data Integrity proofs and did:key.

Only what the credentials need: base58-btc (prefix ``z``, the ``base58`` package) for
signatures and public keys, base64url without padding (prefix ``u``, the standard
library) for status lists, and the Ed25519 public-key multicodec header.
"""

from __future__ import annotations

import base64
import binascii

import base58

# Multicodec "ed25519-pub" (0xed) as an unsigned varint: 0xed 0x01.
ED25519_PUB_HEADER = b"\xed\x01"
ED25519_KEY_LENGTH = 32


class MultibaseError(ValueError):
    """A value that is not the multibase (or multicodec) encoding it should be."""


def encode_base58btc(data: bytes) -> str:
    """Multibase base58-btc: ``z`` followed by the base58 text (Bitcoin's alphabet)."""
    return "z" + base58.b58encode(data).decode("ascii")


def decode_base58btc(text: object) -> bytes:
    if not isinstance(text, str) or not text.startswith("z"):
        raise MultibaseError("not a multibase base58-btc value (it must start with 'z')")
    try:
        return base58.b58decode(text[1:])
    except ValueError as error:  # a character outside the alphabet, or non-ASCII text
        raise MultibaseError(f"not base58-btc: {error}") from error


def encode_base64url(data: bytes) -> str:
    """Multibase base64url without padding: ``u`` followed by the text."""
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_base64url(text: object) -> bytes:
    if not isinstance(text, str) or not text.startswith("u"):
        raise MultibaseError("not a multibase base64url value (it must start with 'u')")
    body = text[1:]
    if "=" in body or any(c in body for c in "+/"):
        raise MultibaseError("base64url must be unpadded and URL-safe")
    try:
        # validate=True: a stray character is an error, not silently skipped.
        return base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        raise MultibaseError("not valid base64url") from error


def encode_ed25519_public_key(raw: bytes) -> str:
    """The Multikey ``publicKeyMultibase`` form of a raw 32-byte Ed25519 public key."""
    if len(raw) != ED25519_KEY_LENGTH:
        raise MultibaseError("an Ed25519 public key has 32 bytes")
    return encode_base58btc(ED25519_PUB_HEADER + raw)


def decode_ed25519_public_key(text: str) -> bytes:
    """The raw 32 bytes of a ``z6Mk…`` Multikey value; anything else is refused."""
    data = decode_base58btc(text)
    if not data.startswith(ED25519_PUB_HEADER) or len(data) != 2 + ED25519_KEY_LENGTH:
        raise MultibaseError("not an Ed25519 public key (multicodec 0xed01 + 32 bytes)")
    return data[2:]
