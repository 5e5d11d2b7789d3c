"""Bitstring Status List: bit order, encoding, the list credential and the reading of status entries."""

import base64
import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cqp.credentials.vc.canon import dropped_terms
from cqp.credentials.vc.status_list import (
    MIN_SIZE,
    Bitstring,
    StatusListError,
    decode_status_list_credential,
    is_set,
    read_status_entries,
    status_entry,
    status_list_credential,
)

LIST_URL = "https://cqp.example.org/statut/1"
# The all-zero 16 KB list of the W3C Bitstring Status List specification (index.html).
SPEC_EMPTY_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_default_size_and_minimum():
    assert Bitstring().size == MIN_SIZE == 131072
    with pytest.raises(StatusListError):
        Bitstring(1024)
    assert Bitstring(MIN_SIZE * 2).size == MIN_SIZE * 2


def test_index_zero_is_the_leftmost_bit_of_the_first_byte():
    bits = Bitstring()
    bits.set(0)
    bits.set(23)
    raw = gzip.decompress(base64.urlsafe_b64decode(bits.encode()[1:] + "=="))
    assert raw[0] == 0x80 and raw[2] == 0x01 and raw[1] == 0 and not any(raw[3:])


def test_spec_empty_list_decodes():
    bits = Bitstring.decode(SPEC_EMPTY_LIST)
    assert bits.size == MIN_SIZE and bits.set_indexes() == []
    assert Bitstring.decode(Bitstring().encode()) == bits


def test_out_of_range_and_bad_input():
    bits = Bitstring()
    for index in (-1, MIN_SIZE, True, "3"):
        with pytest.raises(StatusListError):
            bits.get(index)
    for encoded in ("zabc", "u!!!", "uAAAA", 5, None):
        with pytest.raises(StatusListError):
            Bitstring.decode(encoded)


def test_decode_bounds_the_inflated_size():
    huge = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(4 * 1024 * 1024))).decode().rstrip("=")
    with pytest.raises(StatusListError):
        Bitstring.decode(huge, max_size=MIN_SIZE * 8)


@settings(max_examples=30)
@given(st.sets(st.integers(0, MIN_SIZE - 1), max_size=50), st.integers(0, MIN_SIZE - 1))
def test_round_trip(indexes, cleared):
    bits = Bitstring()
    for index in indexes:
        bits.set(index)
    bits.set(cleared, False)
    decoded = Bitstring.decode(bits.encode())
    assert decoded.set_indexes() == sorted(indexes - {cleared})
    assert all(decoded.get(i) for i in indexes - {cleared})
    assert not decoded.get(cleared)


def test_list_credential_and_entries():
    bits = Bitstring()
    bits.set(4242)
    document = status_list_credential(
        url=LIST_URL, issuer="https://cqp.example.org/organismes/42", valid_from="2026-07-01T00:00:00Z", bitstring=bits
    )
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["credentialSubject"]["id"] == LIST_URL + "#list"
    assert document["credentialSubject"]["statusPurpose"] == "revocation"
    assert dropped_terms(document) == []
    entry = status_entry(list_url=LIST_URL, index=4242)
    assert entry["statusListIndex"] == "4242" and entry["type"] == "BitstringStatusListEntry"
    revoked = {"credentialStatus": entry}
    valid = {"credentialStatus": [status_entry(list_url=LIST_URL, index=7)]}
    assert read_status_entries(revoked) == [(LIST_URL, 4242)]
    assert is_set(revoked, document) and not is_set(valid, document)
    assert read_status_entries({"credentialStatus": entry}, status_purpose="suspension") == []
    with pytest.raises(StatusListError):
        decode_status_list_credential(document, status_purpose="suspension")
    with pytest.raises(StatusListError):
        read_status_entries({"credentialStatus": {**entry, "statusListIndex": "-1"}})
    with pytest.raises(StatusListError):
        is_set({"credentialStatus": status_entry(list_url=LIST_URL, index=MIN_SIZE)}, document)
