"""eddsa-rdfc-2022 signing and verification of platform-shaped Open Badges credentials: tampering, refusals,
error codes, and property tests (round trip; verify never raises)."""

import copy
import socket

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from pyld.jsonld import JsonLdError

from cqp.credentials.vc.canon import canonize, dropped_terms
from cqp.credentials.vc.loader import default_loader, make_loader
from cqp.credentials.vc.multibase import (
    MultibaseError,
    b58decode,
    b58encode,
    decode_private_key,
    decode_public_key,
    encode_private_key,
    encode_public_key,
    public_key_from_did_key,
)
from cqp.credentials.vc.proof import ProofError, key_resolver, sign, verify
from cqp.credentials.vc.status_list import status_entry

ISSUER = "https://cqp.example.org/organismes/42"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
METHOD = f"{ISSUER}#{encode_public_key(KEY.public_key())}"
RESOLVE = key_resolver({METHOD: KEY.public_key()})
CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def credential(name="Soudeur industriel", holder="Camille Martin", narrative="Évaluation en situation de travail."):
    return {
        "@context": list(CONTEXT),
        "id": "https://cqp.example.org/attestations/1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Branche de la métallurgie"},
        "validFrom": "2026-06-30T00:00:00Z",
        "name": f"CQP {name}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityHash": holder, "identityType": "name", "hashed": False}],
            "achievement": {
                "id": "https://cqp.example.org/certifications/RNCP37674",
                "type": ["Achievement"],
                "criteria": {"narrative": narrative},
                "description": f"Certificat de qualification professionnelle : {name}.",
                "name": name,
            },
        },
        "credentialStatus": status_entry(list_url="https://cqp.example.org/statut/1", index=4242),
    }


@pytest.fixture(scope="module")
def signed():
    return sign(credential(), private_key=KEY, verification_method=METHOD, created="2026-07-01T08:00:00Z")


def test_sign_then_verify(signed):
    assert signed["proof"]["type"] == "DataIntegrityProof"
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["proofValue"].startswith("z")
    result = verify(signed, resolve_key=RESOLVE)
    assert result.ok and result.errors == []
    assert result.verification_methods == [METHOD]


def test_sign_does_not_modify_its_input_and_dates_the_proof():
    unsigned = credential()
    before = copy.deepcopy(unsigned)
    signed = sign(unsigned, private_key=KEY, verification_method=METHOD)
    assert unsigned == before
    assert len(signed["proof"]["created"]) == len("2026-07-01T08:00:00Z") and signed["proof"]["created"][-1] == "Z"


def test_proof_as_a_one_element_array_verifies(signed):
    as_array = {**signed, "proof": [signed["proof"]]}
    assert verify(as_array, resolve_key=RESOLVE).ok


def test_one_changed_character_in_the_subject(signed):
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Soudeur industrieL"
    assert verify(tampered, resolve_key=RESOLVE).codes == ["invalid_signature"]


def test_changed_proof_options_break_the_signature(signed):
    tampered = copy.deepcopy(signed)
    tampered["proof"]["created"] = "2026-07-01T08:00:01Z"
    assert verify(tampered, resolve_key=RESOLVE).codes == ["invalid_signature"]


def test_added_unknown_property_is_reported_as_dropped(signed):
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["note"] = "ajouté après signature"
    result = verify(tampered, resolve_key=RESOLVE)
    assert result.codes == ["dropped_terms"]
    assert "credentialSubject.note" in result.errors[0][1]


def test_unknown_context_is_refused_without_network(signed, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    tampered = copy.deepcopy(signed)
    tampered["@context"][1] = "https://example.org/contexts/evil.jsonld"
    result = verify(tampered, resolve_key=RESOLVE)
    assert result.codes == ["unknown_context"]
    assert "evil.jsonld" in result.errors[0][1]
    # Nested in an inline context, the URL is reached only by pyld: still refused, still offline.
    nested = copy.deepcopy(signed)
    nested["credentialSubject"]["@context"] = ["https://example.org/contexts/other.jsonld"]
    assert verify(nested, resolve_key=RESOLVE).codes == ["unknown_context"]


def test_loader_refuses_other_urls_with_a_jsonld_error():
    loader = default_loader()
    with pytest.raises(JsonLdError, match="unknown context"):
        loader("https://example.org/contexts/evil.jsonld")
    document = loader("https://www.w3.org/ns/credentials/v2")["document"]
    document["@context"]["name"] = "changed"  # a copy: the cached context is untouched
    assert loader("https://www.w3.org/ns/credentials/v2")["document"]["@context"]["name"] != "changed"


def test_extra_contexts_do_not_leak_into_the_default_loader(shared_data):
    examples = "https://www.w3.org/ns/credentials/examples/v2"
    extra = make_loader({examples: shared_data / "vc/contexts/credentials-examples-v2.jsonld"})
    document = {"@context": ["https://www.w3.org/ns/credentials/v2", examples], "type": "VerifiableCredential"}
    assert canonize(document, extra)
    with pytest.raises(JsonLdError):
        canonize(document)


def test_wrong_key(signed):
    other = Ed25519PrivateKey.generate().public_key()
    assert verify(signed, resolve_key=lambda url: other).codes == ["invalid_signature"]


def test_unknown_key(signed):
    assert verify(signed, resolve_key=lambda url: None).codes == ["unknown_key"]

    def failing(url):
        raise LookupError(url)

    assert verify(signed, resolve_key=failing).codes == ["unknown_key"]


def test_proof_removed(signed):
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    assert verify(unsigned, resolve_key=RESOLVE).codes == ["no_proof"]
    assert verify({**unsigned, "proof": []}, resolve_key=RESOLVE).codes == ["no_proof"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"type": "Ed25519Signature2020"}, "unsupported_proof"),
        ({"cryptosuite": "ecdsa-rdfc-2019"}, "unsupported_proof"),
        ({"proofPurpose": "authentication"}, "proof_purpose"),
        ({"proofValue": "u" + "A" * 86}, "bad_proof_value"),
        ({"proofValue": "z0OIl"}, "bad_proof_value"),
        ({"proofValue": "z" + b58encode(b"\1" * 63)}, "bad_proof_value"),
        ({"proofValue": 42}, "bad_proof_value"),
        ({"created": "yesterday"}, "malformed"),
        ({"verificationMethod": None}, "malformed"),
    ],
)
def test_proof_errors(signed, change, code):
    tampered = copy.deepcopy(signed)
    tampered["proof"].update(change)
    assert verify(tampered, resolve_key=RESOLVE).codes == [code]


@pytest.mark.parametrize("value", [None, 1, "text", [], {}, {"proof": {}}, {"@context": 5, "proof": {}}])
def test_malformed(value):
    assert verify(value, resolve_key=RESOLVE).codes == ["malformed"]


def test_sign_refuses_dropped_terms_and_unknown_contexts():
    with pytest.raises(ProofError) as refused:
        sign({**credential(), "note": "x"}, private_key=KEY, verification_method=METHOD)
    assert refused.value.code == "dropped_terms" and "note" in refused.value.message
    with pytest.raises(ProofError) as refused:
        sign({**credential(), "@context": ["https://example.org/x"]}, private_key=KEY, verification_method=METHOD)
    assert refused.value.code == "unknown_context"


def test_dropped_terms_paths():
    document = credential()
    document["credentialSubject"]["achievement"]["criteria"]["bareme"] = {"points": 20}
    document["credentialSubject"]["identifier"][0]["extra"] = True
    document["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": "RNCP", "targetUrl": "https://example.org", "zz": [1, {"a": 2}]}
    ]
    document["type"].append("UndefinedType")
    assert sorted(dropped_terms(document)) == [
        "credentialSubject.achievement.alignment.zz",
        "credentialSubject.achievement.criteria.bareme",
        "credentialSubject.identifier.extra",
        "type=UndefinedType",
    ]
    assert dropped_terms(credential()) == []


def test_multibase_and_multikey():
    assert b58encode(b"") == "" and b58decode("") == b""
    assert b58encode(b"\0\0\1") == "112"
    assert b58decode(b58encode(b"\0\0hello")) == b"\0\0hello"
    public = KEY.public_key()
    assert encode_public_key(decode_public_key(encode_public_key(public))) == encode_public_key(public)
    assert encode_public_key(public).startswith("z6Mk")
    assert encode_private_key(decode_private_key(encode_private_key(KEY))) == encode_private_key(KEY)
    assert encode_private_key(KEY).startswith("z3u2")
    did = "did:key:" + encode_public_key(public)
    assert encode_public_key(public_key_from_did_key(did)) == encode_public_key(public)
    assert public_key_from_did_key(did + "#" + encode_public_key(public)) is not None
    assert public_key_from_did_key(did + "#other") is None
    with pytest.raises(MultibaseError):
        decode_public_key(encode_private_key(KEY))
    with pytest.raises(MultibaseError):
        decode_public_key("u" + encode_public_key(public)[1:])


@given(st.binary(max_size=64))
def test_base58_round_trip(data):
    assert b58decode(b58encode(data)) == data


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=25)
@given(name=text, holder=text, narrative=text)
def test_sign_verify_round_trip(name, holder, narrative):
    signed = sign(credential(name, holder, narrative), private_key=KEY, verification_method=METHOD)
    assert verify(signed, resolve_key=RESOLVE).ok
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = name + "x"
    assert verify(tampered, resolve_key=RESOLVE).codes == ["invalid_signature"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
keys = st.sampled_from(["@context", "id", "type", "proof", "credentialSubject", "@id", "@type", "@graph", "name"])
contexts = st.one_of(st.just(CONTEXT), st.sampled_from(CONTEXT), json_values)
proofs = st.one_of(json_values, st.fixed_dictionaries({}, optional=dict.fromkeys(("type", "proofValue"), json_values)))
documents = st.one_of(
    json_values,
    st.dictionaries(keys | st.text(max_size=8), json_values, max_size=6),
    st.fixed_dictionaries({"@context": contexts, "proof": proofs}, optional=dict.fromkeys(("id", "type"), json_values)),
)


@settings(max_examples=150)
@given(documents)
def test_verify_never_raises(document):
    result = verify(document, resolve_key=RESOLVE)
    assert not result.ok
    assert result.codes and all(isinstance(code, str) for code in result.codes)


@settings(max_examples=50)
@given(st.dictionaries(st.text(max_size=8), json_values, max_size=4))
def test_verify_never_raises_on_a_mangled_credential(extra):
    document = sign(credential(), private_key=KEY, verification_method=METHOD, created="2026-07-01T08:00:00Z")
    document["credentialSubject"].update(extra)
    verify(document, resolve_key=RESOLVE)
