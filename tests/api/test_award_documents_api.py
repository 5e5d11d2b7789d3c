"""/api/v1/awards/: the document fields (the URL each caller downloads from, the public credential, when it
was issued) and the reissue of a lost document by the certifier's staff."""

import hashlib
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cqp.accounts.enums import Role
from cqp.awards import services as awards
from cqp.core.models import AuditEvent
from cqp.credentials import services as credentials
from cqp.credentials.models import AwardDocument, Credential
from tests.candidacies.factories import UserFactory, certifier_staff, member
from tests.juries.factories import decided_candidacy, deliberate, jury_with_members, open_session, ready_candidacy, sign

pytestmark = pytest.mark.django_db

DOCUMENT_FIELDS = {"document_url", "credential_url", "document_issued_at"}


def fake_pdf(award, credential, *, reissued_at=None):
    body = f"%PDF-1.7\n{award.number}\n{hashlib.sha256(credential.signed_json.encode()).hexdigest()}\n"
    return (body + (f"duplicata {reissued_at.isoformat()}\n" if reissued_at else "")).encode()


@pytest.fixture
def signing(issuer_key, monkeypatch):  # noqa: F811
    monkeypatch.setattr(credentials, "_render", fake_pdf)
    return issuer_key


def site(path):
    return settings.SITE_URL.rstrip("/") + path


def delivered(*, issue=True):
    candidacy, session, staff = decided_candidacy(opinion="AWARD")
    (result,) = awards.session_deliver(session=session, by=staff)
    if issue:
        credentials.award_documents_issue(award_id=result.award.pk)
    return result.award, staff


def test_a_pending_award_has_null_document_fields(api):
    award, staff = delivered(issue=False)
    api.force_authenticate(staff)

    row = api.get(f"/api/v1/awards/{award.pk}/").json()

    assert set(row) >= DOCUMENT_FIELDS
    assert (row["document_url"], row["credential_url"], row["document_issued_at"]) == (None, None, None)
    assert row["number"] == award.number and row["revoked"] is False  # the fields kept


def test_an_issued_award_gives_the_staff_pdf_and_the_public_credential(api, signing):
    award, staff = delivered()
    document = AwardDocument.objects.get(award=award)
    api.force_authenticate(staff)

    (row,) = api.get("/api/v1/awards/").json()["results"]

    assert row["document_url"] == site(reverse("www:award_document_pdf", kwargs={"pk": award.pk}))
    assert row["credential_url"] == site(f"/verify/{award.uuid}/credential.json")
    assert row["document_issued_at"].startswith(timezone.localtime(document.rendered_at).date().isoformat())
    assert api.get(f"/api/v1/awards/{award.pk}/").json() == row


def test_the_holder_gets_the_url_of_their_own_space(api, signing):
    award, _staff = delivered()
    api.force_authenticate(award.candidacy.candidate.user)

    row = api.get(f"/api/v1/awards/{award.pk}/").json()

    assert row["document_url"] == site(reverse("www:candidate_award_pdf", kwargs={"uuid": award.uuid}))
    assert row["credential_url"] == site(f"/verify/{award.uuid}/credential.json")


def test_reissue_by_the_certifier_keeps_the_number_and_the_credential(api, signing):
    award, staff = delivered()
    signed = Credential.objects.get(award=award).signed_json
    api.force_authenticate(staff)

    response = api.post(f"/api/v1/awards/{award.pk}/reissue/")

    assert response.status_code == 200, response.content
    row = response.json()
    assert row["number"] == award.number and row["document_url"]
    document = AwardDocument.objects.get(award=award)
    assert document.reissue_count == 1
    assert Credential.objects.get(award=award).signed_json == signed
    assert AuditEvent.objects.filter(action="award_document_reissue", object_id=str(award.pk), actor=staff).exists()


def test_reissue_is_the_certifier_staff_s_alone(api, signing):
    award, _staff = delivered()
    _other, other_staff = delivered()
    employer = member(UserFactory(), Role.EMPLOYER, organisation=award.candidacy.employer)

    assert api.post(f"/api/v1/awards/{award.pk}/reissue/").status_code in (401, 403)
    for user in (award.candidacy.candidate.user, other_staff, employer):
        api.force_authenticate(user)
        response = api.post(f"/api/v1/awards/{award.pk}/reissue/")
        assert response.status_code == 404, (user, response.content)
    assert AwardDocument.objects.get(award=award).reissue_count == 0


def test_reissue_of_a_pending_or_revoked_award_is_refused(api, signing):
    pending, staff = delivered(issue=False)
    revoked, revoked_staff = delivered()
    awards.award_revoke(award=revoked, by=revoked_staff, reason="Erreur de saisie")

    api.force_authenticate(staff)
    response = api.post(f"/api/v1/awards/{pending.pk}/reissue/")
    assert response.status_code == 400 and "pas encore émis" in json.dumps(response.json(), ensure_ascii=False)
    api.force_authenticate(revoked_staff)
    response = api.post(f"/api/v1/awards/{revoked.pk}/reissue/")
    assert response.status_code == 400 and "retirée" in json.dumps(response.json(), ensure_ascii=False)
    assert AwardDocument.objects.get(award=revoked).reissue_count == 0


TRANSACTION = 2
# As in test_awards: the caller's certifiers, the count, the page (its document joined), the blocks.
LIST_QUERIES = TRANSACTION + 4


@pytest.mark.parametrize("count", [1, 3])
def test_the_document_fields_cost_no_query(api, signing, django_assert_num_queries, count):
    candidacies = [ready_candidacy()]
    candidacies += [ready_candidacy(certification=candidacies[0].certification) for _ in range(count - 1)]
    jury, staff = jury_with_members(candidacies[0].certification)
    session = open_session(jury, staff, candidacies)
    for candidacy in candidacies:
        deliberate(session, candidacy, by=staff)
    sign(session)
    results = awards.session_deliver(session=session, by=staff)
    credentials.award_documents_issue(award_id=results[0].award.pk)
    api.force_authenticate(certifier_staff(candidacies[0].certifier))

    with django_assert_num_queries(LIST_QUERIES):
        rows = api.get("/api/v1/awards/").json()["results"]

    assert sum(1 for row in rows if row["document_url"]) == 1 and len(rows) == count


def test_the_schema_declares_the_document_fields_and_the_reissue(tmp_path):
    path = tmp_path / "openapi.json"
    call_command("spectacular", "--fail-on-warn", "--validate", "--format", "openapi-json", "--file", str(path))
    openapi = json.loads(path.read_text())

    award = openapi["components"]["schemas"]["Award"]
    assert set(award["properties"]) >= DOCUMENT_FIELDS
    assert award["properties"]["document_url"].get("nullable") is True
    reissue = openapi["paths"]["/api/v1/awards/{id}/reissue/"]["post"]
    assert {"200", "400", "404"} <= set(reissue["responses"])
