"""Issuing the signed credential of an award: the standard's shape, one per award, revocation through the
status list, keys that rotate without breaking what they signed."""

import json

import jsonschema
import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from cqp.awards import services as awards
from cqp.credentials import keys, services
from cqp.credentials.models import Credential, IssuerKey, StatusList
from cqp.credentials.vc import canon, proof, status_list
from cqp.credentials.verification import State, verify_credential
from tests.juries.factories import award_in_force, decided_candidacy

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(issuer_key, monkeypatch):
    monkeypatch.setattr(awards, "_issue_documents", lambda award_id: None)
    candidacy, session, staff = decided_candidacy(opinion="AWARD")
    return awards.candidacy_deliver(candidacy=candidacy, by=staff).award


@pytest.fixture
def partial_award(issuer_key, monkeypatch):
    monkeypatch.setattr(awards, "_issue_documents", lambda award_id: None)
    candidacy, session, staff = decided_candidacy(opinion="PARTIAL")
    return awards.candidacy_deliver(candidacy=candidacy, by=staff).award


def test_the_credential_is_an_open_badge_signed_with_eddsa_rdfc_2022_and_verifies(award):
    credential = services.credential_issue(award=award)
    signed = json.loads(credential.signed_json)
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert signed["id"] == f"urn:uuid:{award.uuid}"
    assert signed["issuer"]["id"] == keys.issuer_did()
    assert signed["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"][0]["verificationMethod"] == f"{keys.issuer_did()}#{credential.key.key_id}"
    achievement = signed["credentialSubject"]["achievement"]
    assert achievement["humanCode"] == award.certification.code
    assert {a["targetCode"] for a in achievement["alignment"]} == set(award.blocks.values_list("code", flat=True))
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    assert canon.dropped_terms(unsigned) == []  # every property is signed
    assert proof.verify(signed, resolve_key=keys.public_key).ok
    report = verify_credential(credential.signed_json)
    assert report.state == State.VALID and report.award == award and report.status_checked


def test_the_credential_validates_against_the_open_badges_json_schema(award, shared_data):
    schema = json.loads((shared_data / "vc/ob-v3p0/schema/achievementcredential.json").read_text())
    signed = json.loads(services.credential_issue(award=award).signed_json)
    errors = sorted(jsonschema.Draft201909Validator(schema).iter_errors(signed), key=str)
    assert not errors, [e.message for e in errors]


def test_a_block_attestation_carries_the_block_codes(partial_award):
    signed = json.loads(services.credential_issue(award=partial_award).signed_json)
    codes = list(partial_award.blocks.values_list("code", flat=True))
    assert signed["credentialSubject"]["achievement"]["humanCode"] == " + ".join(codes)
    assert signed["credentialSubject"]["achievement"]["achievementType"] == "Certificate"


def test_the_holder_appears_by_name_and_a_salted_hash_of_the_email_only(award):
    signed = json.loads(services.credential_issue(award=award).signed_json)
    candidate = award.candidacy.candidate
    text = json.dumps(signed, ensure_ascii=False)
    assert candidate.email not in text
    if candidate.birth_date:
        assert candidate.birth_date.isoformat() not in text
    identities = signed["credentialSubject"]["identifier"]
    assert identities[0]["identityHash"] == f"{candidate.first_name} {candidate.last_name}"
    if candidate.email:
        assert identities[1]["hashed"] is True and identities[1]["identityHash"].startswith("sha256$")


def test_issuing_twice_gives_the_same_credential_and_one_status_entry(award):
    first = services.credential_issue(award=award)
    second = services.credential_issue(award=award)
    assert first.pk == second.pk and first.signed_json == second.signed_json
    assert Credential.objects.count() == 1
    assert StatusList.objects.get().allocated == 1
    row = StatusList.objects.get()
    assert row.size >= 131072
    assert 0 <= first.status_index < row.size


def test_status_indexes_are_random_not_sequential(issuer_key, monkeypatch):
    monkeypatch.setattr(awards, "_issue_documents", lambda award_id: None)
    indexes = []
    for _ in range(3):
        candidacy, session, staff = decided_candidacy(opinion="AWARD")
        award = awards.candidacy_deliver(candidacy=candidacy, by=staff).award
        indexes.append(services.credential_issue(award=award).status_index)
    assert indexes != sorted(indexes) or indexes[-1] - indexes[0] > 3


def test_revocation_sets_the_bit_and_publishes_the_list_again(award):
    credential = services.credential_issue(award=award)
    awards.award_revoke(award=award, by=award.delivered_by, reason="Fraude établie.")
    row = StatusList.objects.get()
    published = json.loads(row.signed_json)
    assert proof.verify(published, resolve_key=keys.public_key).ok
    bits = status_list.decode_status_list_credential(published)
    assert bits.get(credential.status_index)
    assert bits.set_indexes() == [credential.status_index]
    report = verify_credential(credential.signed_json)
    assert report.state == State.REVOKED and report.revoked_at is not None


def test_a_revoked_award_gets_no_credential(award):
    awards.award_revoke(award=award, by=award.delivered_by, reason="Erreur de saisie.")
    with pytest.raises(ValidationError):
        services.credential_issue(award=award)


def test_rotation_keeps_old_credentials_verifiable_and_signs_with_the_new_key(award, issuer_key, monkeypatch):
    old = services.credential_issue(award=award)
    keys.key_rotate()
    document = keys.did_document()
    assert len(document["verificationMethod"]) == 2
    assert len(document["assertionMethod"]) == 2
    assert verify_credential(old.signed_json).state == State.VALID
    monkeypatch.setattr(awards, "_issue_documents", lambda award_id: None)
    candidacy, session, staff = decided_candidacy(opinion="AWARD")
    new = services.credential_issue(award=awards.candidacy_deliver(candidacy=candidacy, by=staff).award)
    assert new.key != old.key and new.key.retired_at is None
    assert IssuerKey.objects.filter(retired_at__isnull=False).get() == old.key


def test_the_private_key_is_never_in_the_database(award, settings):
    services.credential_issue(award=award)
    secret = json.loads(settings.CQP_SIGNING_KEY_FILE.read_text())["private_key_multibase"]
    for row in IssuerKey.objects.values():
        assert secret not in json.dumps(row, default=str)
    assert oct(settings.CQP_SIGNING_KEY_FILE.stat().st_mode & 0o777) == "0o600"


def test_the_environment_variable_takes_the_place_of_the_file(award, settings, monkeypatch):
    content = settings.CQP_SIGNING_KEY_FILE.read_text()
    settings.CQP_SIGNING_KEY_FILE = settings.CQP_SIGNING_KEY_FILE.parent / "absent.json"
    monkeypatch.setenv(settings.CQP_SIGNING_KEY_ENV, content)
    assert verify_credential(services.credential_issue(award=award).signed_json).state == State.VALID


def test_without_a_key_issuance_says_how_to_create_one(award, settings):
    settings.CQP_SIGNING_KEY_FILE = settings.CQP_SIGNING_KEY_FILE.parent / "absent.json"
    with pytest.raises(ImproperlyConfigured, match="credentials_key create"):
        services.credential_issue(award=award)
    assert not Credential.objects.exists() and StatusList.objects.count() == 0


def test_an_unpublished_key_is_refused(award, settings, tmp_path):
    keys.key_create(path=tmp_path / "other.json")
    IssuerKey.objects.order_by("-pk").first().delete()
    settings.CQP_SIGNING_KEY_FILE = tmp_path / "other.json"
    with pytest.raises(ImproperlyConfigured, match="register"):
        services.credential_issue(award=award)


def test_the_did_document_is_did_web_of_the_site(settings, issuer_key):
    settings.SITE_URL = "https://certif.example.org:8443"
    assert keys.issuer_did() == "did:web:certif.example.org%3A8443"
    document = keys.did_document()
    assert document["id"] == "did:web:certif.example.org%3A8443"
    assert document["verificationMethod"][0]["type"] == "Multikey"
    assert document["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")


def test_the_key_command_creates_rotates_and_shows(settings, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    settings.CQP_SIGNING_KEY_FILE = tmp_path / "k.json"
    call_command("credentials_key", "create")
    with pytest.raises(CommandError):
        call_command("credentials_key", "create")
    call_command("credentials_key", "rotate")
    call_command("credentials_key", "show")
    out = capsys.readouterr().out
    assert "1 retired key(s) published" in out
    assert json.loads(out[out.index("{") :])["assertionMethod"]


def test_award_in_force_factory_still_works(issuer_key):
    # Awards made on the models (outside delivery) get their credential on request too.
    candidacy, session, staff = decided_candidacy(opinion="AWARD")
    award = award_in_force(candidacy)
    assert services.credential_issue(award=award).award == award


def test_delivery_issues_the_documents_and_mails_the_holder_once(
    issuer_key, django_capture_on_commit_callbacks, mailoutbox
):
    from cqp.credentials.models import AwardDocument

    candidacy, session, staff = decided_candidacy(opinion="AWARD")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        award = awards.candidacy_deliver(candidacy=candidacy, by=staff).award
    document = AwardDocument.objects.get(award=award)
    assert document.file.read(4) == b"%PDF"
    assert document.notified_at is not None
    sent = [message for message in mailoutbox if message.attachments]
    assert len(sent) == 1
    name, content, mimetype = sent[0].attachments[0]
    assert name == f"{award.number}.pdf" and mimetype == "application/pdf" and content[:4] == b"%PDF"
    assert f"/verify/{award.uuid}/" in sent[0].body
    assert sent[0].to == [candidacy.candidate.email]
    with django_capture_on_commit_callbacks(execute=True):
        again = services.award_documents_issue(award_id=award.pk)
    assert again.pk == document.pk and len([m for m in mailoutbox if m.attachments]) == 1


def test_the_holder_exports_their_awards_with_the_signed_credential(award, django_assert_max_num_queries):
    from cqp.accounts.models import User
    from cqp.accounts.services import personal_data_export

    credential = services.credential_issue(award=award)
    candidate = award.candidacy.candidate
    if candidate.user is None:
        candidate.user = User.objects.create_user(email="titulaire@example.org", password="x" * 12)
        candidate.save(update_fields=["user"])
    data = personal_data_export(user=candidate.user)
    exported = [a for c in data["candidacies"] for a in c["awards"]]
    assert len(exported) == 1
    assert exported[0]["number"] == award.number
    assert exported[0]["credential"] == json.loads(credential.signed_json)
    assert exported[0]["verification_url"].endswith(f"/verify/{award.uuid}/")


def test_a_list_half_full_is_left_for_a_new_one(award, settings):
    from cqp.credentials.models import StatusList

    full = StatusList.objects.create(size=131072, bits=bytes(131072 // 8), allocated=131072 // 2)
    credential = services.credential_issue(award=award)
    assert credential.status_list != full
    assert StatusList.objects.count() == 2
    assert json.loads(credential.status_list.signed_json)["credentialSubject"]["type"] == "BitstringStatusList"
