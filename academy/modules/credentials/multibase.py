"""Multibase and multicodec encodings used by Data Integrity proofs and did:key.

Only what the credentials need: base58-btc (prefix ``z``) for signatures and public
keys, base64url without padding (prefix ``u``) for status lists, and the Ed25519
public-key multicodec header. Each is a few lines, so no extra package is needed.
"""

from __future__ import annotations

import base64
import binascii

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {char: value for value, char in enumerate(BASE58_ALPHABET)}

# Multicodec "ed25519-pub" (0xed) as an unsigned varint: 0xed 0x01.
ED25519_PUB_HEADER = b"\xed\x01"
ED25519_KEY_LENGTH = 32


class MultibaseError(ValueError):
    """A value that is not the multibase (or multicodec) encoding it should be."""


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(BASE58_ALPHABET[remainder])
    # Each leading zero byte is written as a leading "1", as in Bitcoin's base58.
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits))


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        value = _BASE58_INDEX.get(char)
        if value is None:
            raise MultibaseError(f"{char!r} is not a base58-btc character")
        number = number * 58 + value
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def encode_base58btc(data: bytes) -> str:
    """Multibase base58-btc: ``z`` followed by the base58 text."""
    return "z" + base58btc_encode(data)


def decode_base58btc(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("z"):
        raise MultibaseError("not a multibase base58-btc value (it must start with 'z')")
    return base58btc_decode(text[1:])


def encode_base64url(data: bytes) -> str:
    """Multibase base64url without padding: ``u`` followed by the text."""
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_base64url(text: str) -> bytes:
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
