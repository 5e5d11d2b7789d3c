"""The public verification pages, as anyone sees them without an account: an award's page, its credential
and PDF, the form that checks a credential file, the issuer's DID document, the status lists, the limits."""

import hashlib
import html
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cqp.awards import services as awards
from cqp.catalogue.models import Block
from cqp.credentials import keys, services
from cqp.credentials.models import AwardDocument, StatusList
from cqp.credentials.vc import proof
from cqp.www.verify import forms, views
from tests.juries.factories import decided_candidacy

pytestmark = pytest.mark.django_db

UPLOAD = reverse("www:verify_upload")
REASON = "Fraude documentaire constatée par le certificateur"
PDF = b"%PDF-1.7\n% document de test\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def award(issuer_key, monkeypatch):  # noqa: F811
    monkeypatch.setattr(awards, "_issue_documents", lambda award_id: None)
    candidacy, session, staff = decided_candidacy(opinion="AWARD")
    return awards.candidacy_deliver(candidacy=candidacy, by=staff).award


@pytest.fixture
def credential(award):
    return services.credential_issue(award=award)


@pytest.fixture
def document(award, credential):
    row = AwardDocument(award=award, rendered_at=timezone.now(), sha256=hashlib.sha256(PDF).hexdigest(), size=len(PDF))
    row.file.save("document.pdf", ContentFile(PDF), save=False)
    row.save()
    return row


def page_url(award):
    return reverse("www:verify_award", kwargs={"uuid": award.uuid})


def json_url(award):
    return reverse("www:verify_credential_json", kwargs={"uuid": award.uuid})


def pdf_url(award):
    return reverse("www:verify_document_pdf", kwargs={"uuid": award.uuid})


def text(response) -> str:
    return html.unescape(response.content.decode())


def assert_noindex(response):
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    if response["Content-Type"].startswith("text/html"):
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def revoke(award):
    return awards.award_revoke(award=award, by=award.delivered_by, reason=REASON)


def upload(client, content: bytes, name="attestation.json", **extra):
    return client.post(UPLOAD, {"credential_file": SimpleUploadedFile(name, content, "application/json")}, **extra)


# The award's page


def test_the_page_of_a_valid_award_says_so_and_shows_what_was_delivered(client, award, credential, document):
    response = client.get(page_url(award))
    assert response.status_code == 200
    assert_noindex(response)
    body = text(response)
    candidate = award.candidacy.candidate
    assert f"{candidate.first_name} {candidate.last_name}" in body
    assert award.number in body and award.certification.code in body and award.certification.title in body
    assert award.get_kind_display() in body and award.certifier.name in body
    for block in award.blocks.all():
        assert block.code in body and block.title in body
    assert 'role="status"' in body and "Valide" in body
    assert "n'a pas été retiré" in body
    assert f'href="{pdf_url(award)}"' in body and f'href="{json_url(award)}"' in body
    assert "<h1>" in body


def test_an_award_whose_credential_is_not_issued_yet_is_being_issued_without_links(client, award):
    response = client.get(page_url(award))
    assert response.status_code == 200
    body = text(response)
    assert "en cours d'émission" in body
    assert pdf_url(award) not in body and json_url(award) not in body
    assert award.number in body


def test_a_revoked_award_says_when_but_never_why(client, award, credential, document):
    revoke(award)
    award.refresh_from_db()
    response = client.get(page_url(award))
    body = text(response)
    assert response.status_code == 200
    assert "Délivrance retirée le" in body and "Retirée" in body
    assert REASON not in body and "Fraude" not in body
    assert pdf_url(award) not in body
    assert json_url(award) in body  # a verifier still reads the signed text, and finds it revoked


def test_the_reason_appears_nowhere_public(client, award, credential, document):
    revoke(award)
    responses = [
        client.get(page_url(award)),
        client.get(json_url(award)),
        client.get(pdf_url(award)),
        upload(client, credential.signed_json.encode()),
        client.post(UPLOAD, credential.signed_json, content_type="application/json"),
    ]
    for response in responses:
        assert REASON not in response.content.decode("utf-8", "replace")


def test_an_unknown_award_is_a_french_404(client, db):
    response = client.get(reverse("www:verify_award", kwargs={"uuid": "00000000-0000-4000-8000-000000000000"}))
    assert response.status_code == 404
    assert_noindex(response)
    assert "Document introuvable" in text(response)


def test_the_page_reads_the_same_number_of_queries_whatever_the_blocks(
    client, award, credential, document, django_assert_num_queries
):
    with django_assert_num_queries(2):
        client.get(page_url(award))
    certification = award.certification
    for position in range(5):
        award.blocks.add(Block.objects.create(certification=certification, code=f"BX{position}", title="Bloc ajouté"))
    with django_assert_num_queries(2):
        response = client.get(page_url(award))
    assert "BX4" in text(response)


def test_the_verification_views_run_outside_the_request_transaction():
    for view in (views.verify_award, views.credential_json, views.document_pdf, views.verify_upload):
        assert view._non_atomic_requests
    for view in (views.did_document, views.status_list):
        assert view._non_atomic_requests


# The signed credential and the PDF


def test_the_credential_is_served_byte_for_byte(client, award, credential):
    response = client.get(json_url(award))
    assert response.status_code == 200
    assert response.content == credential.signed_json.encode("utf-8")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="{award.number}.credential.json"'
    assert_noindex(response)


def test_no_credential_is_a_404(client, award):
    response = client.get(json_url(award))
    assert response.status_code == 404
    assert_noindex(response)


def test_the_pdf_is_served(client, award, document):
    response = client.get(pdf_url(award))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert_noindex(response)


def test_no_pdf_is_a_404(client, award, credential):
    response = client.get(pdf_url(award))
    assert response.status_code == 404
    assert "Document introuvable" in text(response)


def test_the_pdf_of_a_revoked_award_is_gone(client, award, document):
    revoke(award)
    award.refresh_from_db()
    response = client.get(pdf_url(award))
    assert response.status_code == 410
    body = text(response)
    assert "a été retirée le" in body and REASON not in body
    assert page_url(award) in body
    assert_noindex(response)


# The verification form


def test_the_form_is_reachable_from_every_page_and_labelled(client, db):
    home = client.get(reverse("www:home"))
    assert f'href="{UPLOAD}"' in home.content.decode() and "Vérifier un certificat" in text(home)
    response = client.get(UPLOAD)
    assert response.status_code == 200
    assert_noindex(response)
    body = response.content.decode()
    assert '<label for="id_credential_file">' in body and '<label for="id_credential_text">' in body
    assert 'enctype="multipart/form-data"' in body


def test_an_uploaded_credential_of_ours_is_valid_with_a_link_to_its_page(client, award, credential):
    response = upload(client, credential.signed_json.encode())
    assert response.status_code == 200
    assert_noindex(response)
    body = text(response)
    assert 'role="status"' in body
    assert "La signature de l'attestation est valide et l'attestation n'a pas été retirée." in body
    assert page_url(award) in body
    assert "Ce que l'attestation certifie" in body and "selon le document" not in body
    assert award.certification.code in body


def test_a_pasted_credential_is_checked_too(client, award, credential):
    response = client.post(UPLOAD, {"credential_text": credential.signed_json})
    assert response.status_code == 200
    assert "La signature de l'attestation est valide" in text(response)


def test_a_revoked_credential_is_said_revoked_with_its_date(client, award, credential):
    revoke(award)
    body = text(upload(client, credential.signed_json.encode()))
    assert "l'attestation a été retirée le" in body
    assert "selon le document" in body


def test_a_tampered_credential_is_invalid_and_its_claims_marked_as_such(client, award, credential):
    tampered = json.loads(credential.signed_json)
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = "Nom Inventé"
    response = upload(client, json.dumps(tampered).encode())
    assert response.status_code == 200
    body = text(response)
    assert "Non valide" in body
    assert "l'attestation a été modifiée après sa signature" in body
    assert "selon le document (non garanti)" in body and "Nom Inventé" in body
    assert page_url(award) not in body


def test_a_credential_signed_by_an_unknown_key_is_refused(client, award, credential):
    document = {k: v for k, v in json.loads(credential.signed_json).items() if k != "proof"}
    forged = proof.sign(
        document, private_key=Ed25519PrivateKey.generate(), verification_method="did:web:ailleurs.example#k"
    )
    body = text(upload(client, json.dumps(forged).encode()))
    assert "La signature a été faite avec une clé inconnue" in body


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"bonjour", "Ce fichier n'est pas un document JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\x00", "Ce fichier n'est pas un texte (UTF-8)"),
        (b'{"nom": "caf\xe9"}', "Ce fichier n'est pas un texte (UTF-8)"),
        (b"[1, 2]", "Ce document JSON n'est pas une attestation"),
        (b"3.14", "Ce document JSON n'est pas une attestation"),
        (b"[" * 10_000 + b"]" * 10_000, "Ce document JSON est imbriqué trop profondément"),
        (b'{"@context": "https://www.w3.org/ns/credentials/v2"}', "L'attestation ne porte aucune signature"),
        (b"   \n", "Le document est vide."),
    ],
)
def test_unreadable_files_get_their_message_and_never_an_error(client, db, content, message):
    response = upload(client, content)
    assert response.status_code == 200
    body = text(response)
    assert message in body
    assert "Illisible" in body or "Non valide" in body


def test_an_empty_submission_asks_for_a_file(client, db):
    response = client.post(UPLOAD, {})
    assert response.status_code == 400
    assert "Choisissez le fichier .json de l'attestation ou collez son texte." in text(response)


def test_an_empty_file_is_refused(client, db):
    response = upload(client, b"")
    assert response.status_code == 400
    assert "vide" in text(response)


def test_a_file_and_a_text_at_once_are_refused(client, award, credential):
    response = client.post(
        UPLOAD,
        {
            "credential_file": SimpleUploadedFile("a.json", credential.signed_json.encode()),
            "credential_text": credential.signed_json,
        },
    )
    assert response.status_code == 400
    assert "pas les deux à la fois" in text(response)


def test_a_file_over_the_limit_is_refused_with_the_limit(client, db, settings):
    settings.CQP_VERIFY_UPLOAD_MAX_BYTES = 1000
    response = upload(client, b"{" + b" " * 1000 + b"}")
    assert response.status_code == 400
    assert "Le document est trop volumineux : une attestation fait au plus 1000" in text(response)
    assert upload(client, b"[" + b" " * 997 + b"]").status_code == 200  # 999 bytes: read and judged


def test_the_upload_handler_keeps_at_most_the_limit_plus_one_byte(rf):
    request = rf.post(UPLOAD)
    handler = forms.BoundedUploadHandler(request, 10)
    handler.new_file("credential_file", "a.json", "application/json", None)
    handler.receive_data_chunk(b"12345", 0)
    with pytest.raises(forms.SkipFile):
        handler.receive_data_chunk(b"6789012345", 5)
    assert handler.too_large and handler.buffer is None
    other = forms.BoundedUploadHandler(request, 10)
    with pytest.raises(forms.SkipFile):
        other.new_file("autre", "a.json", "application/json", None)


def test_a_huge_body_is_refused_before_it_is_read(client, db, settings):
    settings.CQP_VERIFY_UPLOAD_MAX_BYTES = 100
    response = upload(client, b"x" * 100_000)
    assert response.status_code == 400
    assert "Le document est trop volumineux" in text(response)


def test_a_pasted_text_over_the_limit_is_refused(client, db, settings):
    settings.CQP_VERIFY_UPLOAD_MAX_BYTES = 1000
    response = client.post(UPLOAD, {"credential_text": "{" + "é" * 600 + "}"})
    assert response.status_code == 400
    assert "trop volumineux" in text(response)


def test_a_text_over_djangos_memory_limit_is_refused_with_the_page(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 500
    response = client.post(UPLOAD, {"credential_text": "x" * 2000})
    assert response.status_code == 400
    assert "trop volumineux" in text(response)


def test_the_form_needs_its_csrf_token_but_the_json_api_does_not(award, credential):
    client = Client(enforce_csrf_checks=True)
    assert upload(client, credential.signed_json.encode()).status_code == 403
    response = client.post(UPLOAD, credential.signed_json, content_type="application/json")
    assert response.status_code == 200


# The JSON use of the form


def test_a_json_body_gets_a_json_verdict(client, award, credential):
    response = client.post(UPLOAD, credential.signed_json, content_type="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["state"] == "valid" and data["problems"] == [] and data["codes"] == []
    assert data["verification_url"] == page_url(award)
    assert data["claims"]["code"] == award.certification.code
    assert data["claims"]["issuer"] == award.certifier.name
    assert data["revoked_at"] is None
    assert_noindex(response)


def test_a_json_body_that_is_not_a_credential_gets_its_codes(client, db):
    data = client.post(UPLOAD, "[1]", content_type="application/json").json()
    assert data["state"] == "malformed" and data["codes"] == ["malformed", "not_object"]
    assert data["problems"][0].startswith("Ce document JSON n'est pas une attestation")
    tampered = client.post(UPLOAD, b"\xff\xfe", content_type="application/json").json()
    assert tampered["codes"] == ["malformed", "not_text"]


def test_a_json_body_over_the_limit_is_413(client, db, settings):
    settings.CQP_VERIFY_UPLOAD_MAX_BYTES = 100
    response = client.post(UPLOAD, "[" + " " * 200 + "]", content_type="application/json")
    assert response.status_code == 413
    assert response.json()["codes"] == ["too_large"]


# The issuer's DID document and the status lists


def test_the_did_document_is_public_and_cached(client, issuer_key):  # noqa: F811
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"
    assert json.loads(response.content) == keys.did_document()
    assert json.loads(response.content)["verificationMethod"][0]["publicKeyMultibase"] == (
        issuer_key.public_key_multibase
    )
    plain = client.get("/.well-known/did.json", HTTP_ACCEPT="application/json")
    assert plain["Content-Type"] == "application/json"
    assert "Accept" in plain["Vary"]


def test_a_status_list_is_served_with_cache_validators(client, award, credential):
    row = StatusList.objects.get()
    url = reverse("www:status_list", kwargs={"number": row.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == row.signed_json.encode("utf-8")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["ETag"] == '"' + hashlib.sha256(response.content).hexdigest() + '"'
    assert response["Last-Modified"]
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == response["ETag"]
    revoke(award)
    changed = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != response["ETag"]


def test_an_unknown_status_list_is_a_404(client, db):
    assert client.get(reverse("www:status_list", kwargs={"number": 999})).status_code == 404


# Rate limiting


def test_too_many_pages_from_one_address_get_a_429_for_a_minute(client, award, settings):
    settings.CQP_VERIFY_RATE = "2/m"
    assert client.get(page_url(award)).status_code == 200
    assert client.get(json_url(award)).status_code == 404  # counted too
    response = client.get(page_url(award))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Trop de vérifications depuis votre adresse, réessayez dans une minute" in text(response)
    assert_noindex(response)
    other = client.get(page_url(award), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_submissions_are_limited_more_strictly(client, db, settings):
    settings.CQP_VERIFY_RATE = "6/m"
    assert upload(client, b"[]").status_code == 200
    assert upload(client, b"[]").status_code == 200
    assert upload(client, b"[]").status_code == 429  # a third of six
    assert client.get(UPLOAD).status_code == 200  # the pages keep their own allowance
    api = client.post(UPLOAD, "[]", content_type="application/json")
    assert api.status_code == 429 and api.json()["codes"] == ["rate_limited"] and api["Retry-After"] == "60"


def test_a_forwarded_address_is_ignored_unless_configured(client, award, settings):
    settings.CQP_VERIFY_RATE = "1/m"
    assert client.get(page_url(award), HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    assert client.get(page_url(award), HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429


def test_the_status_lists_and_did_document_are_not_rate_limited(client, issuer_key, settings):  # noqa: F811
    settings.CQP_VERIFY_RATE = "1/m"
    for _ in range(3):
        assert client.get("/.well-known/did.json").status_code == 200
