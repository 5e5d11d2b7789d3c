"""The eddsa-rdfc-2022 and Open Badges 3.0 published test vectors, 1EdTech's validator fixtures, and the
integrity of the shipped contexts."""

import hashlib
import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cqp.credentials.vc.canon import canonize
from cqp.credentials.vc.loader import CONTEXTS_DIR, make_loader, shipped_contexts
from cqp.credentials.vc.multibase import (
    b58encode,
    decode_private_key,
    decode_public_key,
    encode_private_key,
    encode_public_key,
)
from cqp.credentials.vc.proof import proof_configuration, sign, verify
from cqp.credentials.vc.status_list import decode_status_list_credential, is_set, read_status_entries

# The public key of the OB 3.0 LDP vector, which 1EdTech also used to sign the validator fixtures.
OB_KEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"


@pytest.fixture
def vc(shared_data):
    return shared_data / "vc"


@pytest.fixture
def test_loader(vc):
    """Shipped contexts plus the two only the W3C vectors use, from the shared folder."""
    return make_loader(
        {
            "https://www.w3.org/ns/credentials/examples/v2": vc / "contexts/credentials-examples-v2.jsonld",
            "https://w3id.org/citizenship/v4rc1": vc / "contexts/citizenship-v4rc1.jsonld",
        }
    )


def fragment_key(url):
    """Test resolver: the Multikey in the URL (did:key:z6Mk..., did:key:z6Mk...#z6Mk..., https://...#z6Mk...)."""
    value = url.rsplit("#", 1)[1] if "#" in url else url.removeprefix("did:key:")
    return decode_public_key(value)


def read(path):
    return path.read_text(encoding="utf-8")


def load(path):
    return json.loads(read(path))


@pytest.mark.parametrize(
    ("unsigned_name", "folder"),
    [("unsigned.json", "eddsa-rdfc-2022"), ("employmentAuth.json", "eddsa-rdfc-2022/employ")],
)
def test_w3c_eddsa_rdfc_2022_vectors(vc, test_loader, unsigned_name, folder):
    base = vc / "test-vectors/vc-di-eddsa"
    out = base / folder
    keys = load(base / "keyPair.json")
    private_key = decode_private_key(keys["privateKeyMultibase"])
    assert encode_public_key(private_key.public_key()) == keys["publicKeyMultibase"]
    assert encode_private_key(private_key) == keys["privateKeyMultibase"]
    unsigned = load(base / unsigned_name)
    expected = load(out / "signedDataInt.json")

    canon_doc = canonize(unsigned, test_loader)
    assert canon_doc == read(out / "canonDocDataInt.txt")
    doc_hash = hashlib.sha256(canon_doc.encode()).digest()
    assert doc_hash.hex() == read(out / "docHashDataInt.txt")

    config = proof_configuration(unsigned, {k: v for k, v in expected["proof"].items() if k != "proofValue"})
    assert config == load(out / "proofConfigDataInt.json")
    canon_proof = canonize(config, test_loader)
    assert canon_proof == read(out / "proofCanonDataInt.txt")
    proof_hash = hashlib.sha256(canon_proof.encode()).digest()
    assert proof_hash.hex() == read(out / "proofHashDataInt.txt")
    assert (proof_hash + doc_hash).hex() == read(out / "combinedHashDataInt.txt")

    signature = private_key.sign(proof_hash + doc_hash)
    assert signature.hex() == read(out / "sigHexDataInt.txt")
    assert "z" + b58encode(signature) == read(out / "sigBTC58DataInt.txt")

    signed = sign(
        unsigned,
        private_key=private_key,
        verification_method=expected["proof"]["verificationMethod"],
        created=expected["proof"]["created"],
        loader=test_loader,
    )
    assert signed == expected
    assert "proof" not in unsigned  # the input is not modified
    result = verify(expected, resolve_key=fragment_key, loader=test_loader)
    assert result.ok, result.errors


def test_w3c_vectors_need_their_contexts(vc):
    """Without the extra map the examples context is refused, and the shipped loader does not keep it."""
    unsigned = load(vc / "test-vectors/vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json")
    result = verify(unsigned, resolve_key=fragment_key)
    assert result.codes == ["unknown_context"]


def _ob_vector(vc):
    html = read(vc / "test-vectors/ob-v3p0-ldp/linked-data-proof-ob.html")

    def pre(title):
        return json.loads(re.search(rf'<pre class="example json" title="{title}">(.*?)</pre', html, re.S).group(1))

    def code(anchor):
        return re.search(rf'id="{anchor}".*?<code\s*>\s*(\S+?)\s*</code', html, re.S).group(1)

    secret = re.search(r"secretKey: Uint8Array\(64\) \[(.*?)\]", html, re.S).group(1)
    seed = bytes(int(n) for n in secret.replace("\n", " ").split(",")[:32])
    return {
        "credential": pre("Credential"),
        "proof": pre("Proof"),
        "signed": pre("Signed credential"),
        "key": Ed25519PrivateKey.from_private_bytes(seed),
        "doc_hash": code("ob-document-hash"),
        "proof_hash": code("ob-proof-hash"),
        "data": code("ob-data"),
        "signature": code("ob-signature"),
        "proof_value": code("ob-proof-value"),
    }


def test_open_badges_ldp_vector(vc):
    v = _ob_vector(vc)
    assert encode_public_key(v["key"].public_key()) == OB_KEY
    canon_doc = canonize(v["credential"])
    assert canon_doc == read(vc / "test-vectors/ob-v3p0-ldp/document-canon.txt")
    assert hashlib.sha256(canon_doc.encode()).hexdigest() == v["doc_hash"]
    options = {k: val for k, val in v["proof"].items() if k != "proofValue"}
    canon_proof = canonize(proof_configuration(v["credential"], options))
    assert canon_proof == read(vc / "test-vectors/ob-v3p0-ldp/proof-canon.txt")
    assert hashlib.sha256(canon_proof.encode()).hexdigest() == v["proof_hash"]
    assert v["proof_hash"] + v["doc_hash"] == v["data"]
    assert v["key"].sign(bytes.fromhex(v["data"])).hex() == v["signature"]

    signed = sign(
        v["credential"],
        private_key=v["key"],
        verification_method=options["verificationMethod"],
        created=options["created"],
    )
    assert signed["proof"]["proofValue"] == v["proof_value"] == v["proof"]["proofValue"]
    assert signed == v["signed"]
    assert verify(v["signed"], resolve_key=fragment_key).ok


@pytest.mark.parametrize(
    "name",
    [
        "simple.json",
        "simple-did-key-method.json",
        "endorsement-valid.json",
        "bit-string-list/testlist",
        "bit-string-list/credential-status-revoked.json",
        "bit-string-list/credential-status-revoked-blank-nodes.json",
    ],
)
def test_validator_fixtures_verify(vc, name):
    result = verify(load(vc / "ob-v3p0/validator-fixtures" / name), resolve_key=fragment_key)
    assert result.ok, result.errors


def test_validator_fixtures_resolve_by_method_url(vc):
    """The issuer's URL form and the did:key form both name the vector key."""
    key = decode_public_key(OB_KEY)
    known = {"https://example.com/issuers/876543#" + OB_KEY: key, "did:key:" + OB_KEY: key}
    for name in ("simple.json", "simple-did-key-method.json"):
        assert verify(load(vc / "ob-v3p0/validator-fixtures" / name), resolve_key=known.get).ok


def test_validator_fixture_with_a_corrupted_proof_value_fails(vc):
    result = verify(load(vc / "ob-v3p0/validator-fixtures/simple-err-proof-value.json"), resolve_key=fragment_key)
    assert not result.ok
    assert result.codes[0] in {"invalid_signature", "bad_proof_value"}


def test_validator_status_list(vc):
    folder = vc / "ob-v3p0/validator-fixtures/bit-string-list"
    status_list = load(folder / "testlist")
    bits = decode_status_list_credential(status_list)
    assert bits.size == 131072
    assert bits.set_indexes() == [23]
    revoked = load(folder / "credential-status-revoked.json")
    [(url, index)] = read_status_entries(revoked)
    assert index == 23
    assert is_set(revoked, status_list, list_url=url)
    assert not is_set(revoked, status_list)  # the list's own id is another URL: the entry does not point at it


def test_shipped_contexts_are_the_pinned_bytes(vc):
    manifest = {entry["file"].rsplit("/", 1)[-1]: entry["sha256"] for entry in load(vc / "MANIFEST.json")}
    shipped = shipped_contexts()
    assert len(shipped) == 7
    for path in shipped.values():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == manifest[path.name], path.name
    for path in (CONTEXTS_DIR / "licenses").iterdir():
        if path.name in manifest:
            assert hashlib.sha256(path.read_bytes()).hexdigest() == manifest[path.name], path.name
    shared_map = load(vc / "contexts/context-map.json")
    for url, path in shipped.items():
        assert shared_map[url].rsplit("/", 1)[-1] == path.name
    sources = read(CONTEXTS_DIR / "SOURCES.md")
    for path in shipped.values():
        assert hashlib.sha256(path.read_bytes()).hexdigest() in sources
