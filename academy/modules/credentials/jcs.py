"""The JSON Canonicalization Scheme (RFC 8785) for the JSON the credentials use.

Credentials and status lists hold strings, integers, booleans, null, lists and
objects, never fractions, so this implementation refuses floats instead of carrying
RFC 8785's ECMAScript number formatting. Everything else follows the RFC:

- objects have their members sorted by the UTF-16 code units of their names;
- strings are escaped as ECMAScript's JSON.stringify does (only ``"``, ``\\`` and
  control characters; everything else is written as UTF-8);
- no whitespace; the result is UTF-8.
"""

from __future__ import annotations

import json

# Integers beyond this are not exactly representable as IEEE 754 doubles, which is
# how RFC 8785 (like JavaScript) reads every number.
MAX_SAFE_INTEGER = 2**53 - 1


class CanonicalizationError(ValueError):
    """The value cannot be canonicalised (a float, a huge integer, a lone surrogate...)."""


def canonicalize(value: object) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of ``value``."""
    return "".join(_serialize(value)).encode("utf-8")


def _serialize(value: object):
    # Checked before int: bool is a subclass of int.
    if value is None or isinstance(value, bool):
        yield json.dumps(value)
    elif isinstance(value, int):
        yield _integer(value)
    elif isinstance(value, str):
        yield _string(value)
    elif isinstance(value, list | tuple):
        yield from _array(value)
    elif isinstance(value, dict):
        yield from _object(value)
    elif isinstance(value, float):
        raise CanonicalizationError("numbers with a fraction are not supported")
    else:
        raise CanonicalizationError(f"{type(value).__name__} is not a JSON value")


def _integer(value: int) -> str:
    if abs(value) > MAX_SAFE_INTEGER:
        raise CanonicalizationError("integer too large to be exact in JSON")
    return str(value)


def _string(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate has no UTF-8 form
        raise CanonicalizationError("string holds a lone surrogate") from error
    # With ensure_ascii=False, Python escapes exactly what JSON.stringify escapes, in
    # the same form (\b \t \n \f \r, \" \\, other controls as lowercase \u00xx).
    return json.dumps(value, ensure_ascii=False)


def _array(values):
    yield "["
    for position, item in enumerate(values):
        if position:
            yield ","
        yield from _serialize(item)
    yield "]"


def _object(members: dict):
    for name in members:
        if not isinstance(name, str):
            raise CanonicalizationError("object member names must be strings")
    yield "{"
    # Big-endian UTF-16 bytes compare exactly as their 16-bit code units do.
    for position, name in enumerate(sorted(members, key=_utf16_key)):
        if position:
            yield ","
        yield _string(name)
        yield ":"
        yield from _serialize(members[name])
    yield "}"


def _utf16_key(name: str) -> bytes:
    return name.encode("utf-16-be", "surrogatepass")
