"""verify_credential on real signed credentials: what holds, what was altered, what was revoked, what cannot
be read, and credentials signed elsewhere."""

import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cqp.awards import services as awards
from cqp.credentials import keys, services
from cqp.credentials.vc import multibase, proof
from cqp.credentials.verification import State, verify_credential
from tests.juries.factories import decided_candidacy

pytestmark = pytest.mark.django_db

FIXTURES = "vc/ob-v3p0/validator-fixtures"


@pytest.fixture
def award(issuer_key, monkeypatch):
    monkeypatch.setattr(awards, "_issue_documents", lambda award_id: None)
    candidacy, session, staff = decided_candidacy(opinion="AWARD")
    return awards.candidacy_deliver(candidacy=candidacy, by=staff).award


@pytest.fixture
def signed(award):
    return json.loads(services.credential_issue(award=award).signed_json)


def _resign(document: dict, *, private_key, verification_method: str) -> dict:
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    result = proof.sign(unsigned, private_key=private_key, verification_method=verification_method)
    result["proof"] = [result["proof"]]
    return result


def test_a_credential_as_issued_is_valid_and_names_its_award(award, signed):
    report = verify_credential(json.dumps(signed).encode())
    assert report.state == State.VALID and report.valid
    assert report.problems == [] and report.notes == []
    assert report.status_checked
    assert report.award == award
    candidate = award.candidacy.candidate
    assert report.holder == f"{candidate.first_name} {candidate.last_name}"
    assert report.human_code == award.certification.code
    assert report.title == award.certification.title
    assert report.issuer_name == award.certifier.name
    assert report.valid_from.date() == award.delivered_on


def test_the_text_bytes_and_parsed_forms_give_the_same_verdict(award, signed):
    text = services.credential_issue(award=award).signed_json
    for raw in (text, text.encode("utf-8"), signed, b"\xef\xbb\xbf" + text.encode("utf-8")):
        assert verify_credential(raw).state == State.VALID


def test_a_changed_holder_breaks_the_signature(signed):
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = "Quelqu'un d'autre"
    report = verify_credential(json.dumps(tampered))
    assert report.state == State.INVALID
    assert report.codes == ["invalid_signature"]
    assert "modifiée après sa signature" in report.problems[0]
    assert report.award is None
    assert report.holder == "Quelqu'un d'autre"  # what the document claims, shown as such


def test_a_credential_signed_by_another_did_web_is_from_an_unknown_key(signed):
    forged = _resign(
        signed, private_key=Ed25519PrivateKey.generate(), verification_method="did:web:ailleurs.example#key-1"
    )
    report = verify_credential(json.dumps(forged))
    assert report.state == State.INVALID
    assert report.codes == ["unknown_key"]
    assert "clé inconnue" in report.problems[0]


def test_a_key_id_of_our_did_that_is_not_published_is_unknown(signed):
    forged = _resign(
        signed, private_key=Ed25519PrivateKey.generate(), verification_method=f"{keys.issuer_did()}#key-absente"
    )
    assert verify_credential(json.dumps(forged)).codes == ["unknown_key"]


def test_a_copy_resigned_with_a_did_key_cannot_pass_for_ours(signed):
    """did:key proves itself: without this rule anyone could alter our credential and sign it again."""
    private = Ed25519PrivateKey.generate()
    did_key = "did:key:" + multibase.encode_public_key(private.public_key())
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = "Faussaire"
    forged = _resign(tampered, private_key=private, verification_method=f"{did_key}#{did_key[8:]}")
    report = verify_credential(json.dumps(forged))
    assert report.state == State.INVALID
    assert report.codes == ["issuer_key_mismatch"]
    assert report.award is None


def test_a_revoked_award_makes_its_credential_revoked(award, signed):
    awards.award_revoke(award=award, by=award.delivered_by, reason="Fraude établie.")
    report = verify_credential(json.dumps(signed))
    assert report.state == State.REVOKED and not report.valid
    assert report.revoked_at is not None and report.status_checked
    assert report.award == award
    assert "Fraude" not in json.dumps(report.problems + report.notes)


def test_a_status_list_hosted_elsewhere_is_noted_not_checked(signed):
    private = Ed25519PrivateKey.generate()
    did_key = "did:key:" + multibase.encode_public_key(private.public_key())
    document = copy.deepcopy(signed)
    document["issuer"]["id"] = did_key
    document["credentialSubject"]["achievement"]["creator"]["id"] = did_key
    document["credentialStatus"]["statusListCredential"] = "https://ailleurs.example/status/3"
    report = verify_credential(json.dumps(_resign(document, private_key=private, verification_method=did_key)))
    assert report.state == State.VALID and not report.status_checked
    assert any("https://ailleurs.example/status/3" in note for note in report.notes)
    assert any("clé extérieure" in note for note in report.notes)
    assert report.award is None  # not ours, even with one of our awards' ids


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", "empty"),
        ("   ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not_text"),
        (b"caf\xe9", "not_text"),
        ("ceci n'est pas du JSON", "not_json"),
        ("{'simple': 'quotes'}", "not_json"),
        ("[1, 2, 3]", "not_object"),
        ("42", "not_object"),
        ('"texte"', "not_object"),
        ("null", "not_object"),
        ("[" * 10_000 + "]" * 10_000, "too_deep"),
        ('{"a":' * 10_000 + "1" + "}" * 10_000, "too_deep"),
        (None, "not_json"),
        (12, "not_json"),
    ],
)
def test_what_cannot_be_read_is_malformed_with_its_reason(db, raw, code):
    report = verify_credential(raw)
    assert report.state == State.MALFORMED
    assert report.codes == ["malformed", code]
    assert len(report.problems) == 1 and report.problems[0]


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"@context": 5},
        {"@context": "https://www.w3.org/ns/credentials/v2", "type": "VerifiableCredential"},
        {"@context": ["https://inconnu.example/ctx"], "proof": {}},
        {"@context": ["https://www.w3.org/ns/credentials/v2"], "proof": [{"type": "Ed25519Signature2020"}]},
        {"@context": ["https://www.w3.org/ns/credentials/v2"], "credentialSubject": [], "issuer": 3, "proof": 7},
    ],
)
def test_structurally_wrong_documents_never_raise(db, document):
    report = verify_credential(json.dumps(document))
    assert report.state in (State.MALFORMED, State.INVALID)
    assert report.problems


def test_an_id_that_only_looks_like_a_uuid_is_no_award(db):
    private = Ed25519PrivateKey.generate()
    did_key = "did:key:" + multibase.encode_public_key(private.public_key())
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:" + "-" * 36,
        "type": ["VerifiableCredential"],
        "issuer": did_key,
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:1"},
    }
    signed = proof.sign(document, private_key=private, verification_method=did_key)
    report = verify_credential(json.dumps(signed))
    assert report.state == State.VALID and report.award is None


def test_the_validator_fixture_signed_by_a_did_key_is_a_valid_proof(db, shared_data):
    raw = (shared_data / FIXTURES / "simple-did-key-method.json").read_bytes()
    report = verify_credential(raw)
    assert report.state == State.VALID, report.problems
    assert report.award is None and not report.status_checked
    assert report.issuer_name == "Andy F. Miller"
    assert any("did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" in note for note in report.notes)


def test_the_validator_fixture_signed_by_an_https_issuer_key_is_not_fetched(db, shared_data):
    """simple.json names its key by the issuer's https URL: the platform fetches no one's keys."""
    report = verify_credential((shared_data / FIXTURES / "simple.json").read_bytes())
    assert report.state == State.INVALID and report.codes == ["unknown_key"]
    assert report.title == "Teamwork" and report.issuer_name == "Example Corp"


def test_the_validator_fixture_with_a_corrupted_proof_value_is_invalid(db, shared_data):
    report = verify_credential((shared_data / FIXTURES / "simple-err-proof-value.json").read_bytes())
    assert report.state == State.INVALID
