"""The libraries behind the proofs: RFC 8785 (``rfc8785``) and base58-btc (``base58``),
checked against the specifications' own vectors, and the multibase wrappers around them."""

from __future__ import annotations

import json
import struct

import pytest
import rfc8785

from academy.modules.credentials.multibase import (
    MultibaseError,
    decode_base58btc,
    decode_ed25519_public_key,
    encode_base58btc,
)

# --- RFC 8785 (JCS) -----------------------------------------------------------------------


def test_jcs_escapes_strings_as_rfc_8785_section_3_2_2_2():
    value = {"string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/"}
    assert rfc8785.dumps(value) == '{"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'.encode()


def test_jcs_sorts_member_names_by_utf16_code_units_as_rfc_8785_section_3_2_3():
    names = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]
    canonical = rfc8785.dumps({name: index for index, name in enumerate(names)}).decode()
    order = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert [json.loads(f"[{part.split(':')[0]}]")[0] for part in canonical[1:-1].split(",")] == (
        order
    )


def test_jcs_writes_the_rfc_8785_section_3_2_4_example():
    value = {
        "numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
        "literals": [None, True, False],
    }
    assert (
        rfc8785.dumps(value)
        == (
            '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
            '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
        ).encode()
    )


# RFC 8785 Appendix B: IEEE 754 binary64 values and their canonical text.
APPENDIX_B = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize(("bits", "text"), APPENDIX_B)
def test_jcs_writes_numbers_as_rfc_8785_appendix_b(bits, text):
    (number,) = struct.unpack(">d", bytes.fromhex(bits))
    assert rfc8785.dumps(number) == text.encode()


def test_jcs_writes_literals_arrays_and_nested_objects_without_whitespace():
    value = {"b": [True, False, None, 0, -7], "a": {"d": "x", "c": []}}
    assert rfc8785.dumps(value) == b'{"a":{"c":[],"d":"x"},"b":[true,false,null,0,-7]}'


@pytest.mark.parametrize("value", [2**53, "\ud800", {1: "x"}, {"a": object()}])
def test_jcs_refuses_what_it_cannot_write_exactly(value):
    with pytest.raises(rfc8785.CanonicalizationError):
        rfc8785.dumps(value)


# --- multibase base58-btc -----------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\0", b"\0\0\x01", b"hello world", bytes(range(256))])
def test_base58_round_trips_including_leading_zero_bytes(data):
    assert decode_base58btc(encode_base58btc(data)) == data


def test_base58_matches_the_bitcoin_alphabet():
    # The base58-btc examples of the multibase specification's test vectors.
    assert encode_base58btc(b"hello world") == "zStV1DL6CwTryKyV"
    assert encode_base58btc(b"\0\0\x01") == "z112"
    assert encode_base58btc(b"\0yes mani !") == "z17paNL19xttacUY"


@pytest.mark.parametrize("text", ["StV1", "z0OIl", "zé", None, 7])
def test_anything_but_base58_btc_is_refused_with_a_multibase_error(text):
    with pytest.raises(MultibaseError):
        decode_base58btc(text)


def test_only_an_ed25519_multikey_is_taken_for_a_public_key():
    with pytest.raises(MultibaseError, match="Ed25519"):
        decode_ed25519_public_key(encode_base58btc(b"\x80\x26" + bytes(32)))
