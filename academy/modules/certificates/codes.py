"""Certificate codes: 100 random bits as 20 Crockford base32 characters, grouped by 4.

Crockford's alphabet has no I, L, O or U, so a code read aloud or typed from paper
survives the usual mix-ups (O/0, I/1/L), which ``normalise_code`` repairs.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20  # 20 x 5 bits = 100 bits
GROUP = 4
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


# What a typed code may look like: 20 code characters (any case, and the confusable
# I, L, O) with spaces, tabs and dashes anywhere. The OpenAPI document gives the same rule.
SEPARATORS = " \t-"
TYPED_CODE_PATTERN = r"^[\t -]*(?:[0-9A-TV-Za-tv-z][\t -]*){20}$"
MAX_TYPED_LENGTH = 64  # e.g. "ABCD - EFGH - ..." with room to spare


def normalise_code(text: str) -> str | None:
    """The stored form of a typed code, or None if it cannot be one.

    Only ASCII counts: ``str.upper`` turns some other letters into ASCII ones (the
    dotless i, the long s), which would make more codes valid than the rule says.
    """
    if len(text) > MAX_TYPED_LENGTH or not text.isascii():
        return None
    code = "".join(ch for ch in text.upper() if ch not in SEPARATORS).translate(_CONFUSABLE)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code
