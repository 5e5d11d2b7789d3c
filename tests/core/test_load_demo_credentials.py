"""`load_demo`: every demo award has its PDF and its signed credential, each certifier a document style with
signatures, and a certificate holder who can sign in to find them."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction

from cqp.awards.models import Award
from cqp.credentials.models import AwardDocument, Credential, DocumentStyle
from cqp.credentials.verification import State, verify_credential
from cqp.demo import content

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_every_demo_award_has_its_document_and_a_credential_that_verifies(output):
    awards = Award.objects.filter(revoked_at=None)
    assert awards.exists()
    assert AwardDocument.objects.count() == awards.count() == Credential.objects.count()
    for credential in Credential.objects.select_related("award"):
        report = verify_credential(credential.signed_json)
        assert report.state == State.VALID, report.problems
        assert report.award == credential.award
        assert json.loads(credential.signed_json)["issuer"]["name"] == credential.award.certifier.name
    assert "parchemins et attestations émis" in output


def test_each_delivering_certifier_has_a_style_with_both_signatures(output):
    for certifier_id in Award.objects.values_list("certifier", flat=True).distinct():
        style = DocumentStyle.objects.get(certifier_id=certifier_id)
        assert style.president_name and style.president_signature
        assert style.vice_president_name and style.vice_president_signature


def test_the_printed_holder_signs_in_and_finds_the_documents(output, client):
    line = next(line for line in output.splitlines() if line.startswith("Titulaire d'un certificat"))
    email = line.rsplit(" ", 1)[-1]
    assert client.login(email=email, password=content.PASSWORD)
    page = client.get("/espace/candidat/").content.decode()
    held = Award.objects.filter(candidacy__candidate__user__email=email, kind="CERTIFICATE")
    assert held.exists()
    for award in held:
        assert award.number in page
        assert f"/verify/{award.uuid}/" in page


def test_a_second_run_issues_nothing_again(output):
    before = list(AwardDocument.objects.values_list("pk", "sha256"))
    call_command("load_demo", stdout=io.StringIO())
    assert list(AwardDocument.objects.values_list("pk", "sha256")) == before
