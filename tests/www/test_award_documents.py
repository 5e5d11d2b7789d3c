"""Where the issued documents are found: the holder's space (their own only), the staff's award page
(status, downloads, reissue, issue now), the register's document column in a constant number of queries,
and the session delivery's progress with its relaunch."""

import hashlib
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.awards import services as awards
from cqp.awards.models import Award
from cqp.core.models import AuditEvent
from cqp.credentials import openbadges
from cqp.credentials import services as credentials
from cqp.credentials.models import AwardDocument, Credential
from cqp.juries.enums import MemberRole
from tests.candidacies.factories import UserFactory, certifier_staff, member
from tests.juries.factories import decided_candidacy, decided_session, member_user

pytestmark = pytest.mark.django_db


def fake_pdf(award, credential, *, reissued_at=None):
    """A stand-in for the PDF renderer: what each test needs is the file's bytes, not its drawing."""
    body = f"%PDF-1.7\n{award.number}\n{hashlib.sha256(credential.signed_json.encode()).hexdigest()}\n"
    if reissued_at:
        body += f"duplicata {reissued_at.isoformat()}\n"
    return body.encode()


@pytest.fixture
def signing(issuer_key, monkeypatch):  # noqa: F811
    monkeypatch.setattr(credentials, "_render", fake_pdf)
    return issuer_key


def text(response) -> str:
    return html.unescape(response.content.decode())


def sign_in(client, user):
    client.force_login(User.objects.get(pk=user.pk))


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def delivered(opinion="AWARD", *, issue=True, **kwargs):
    """A delivered award (its documents issued unless told otherwise) and the certifier's staff."""
    candidacy, _session, staff = decided_candidacy(opinion=opinion, **kwargs)
    award = awards.candidacy_deliver(candidacy=candidacy, by=staff).award
    if issue:
        credentials.award_documents_issue(award_id=award.pk)
    return award, staff


def holder(award):
    return award.candidacy.candidate.user


def stored(award) -> bytes:
    with AwardDocument.objects.get(award=award).file.open("rb") as handle:
        return handle.read()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def urls(award):
    return {
        "holder_pdf": reverse("www:candidate_award_pdf", kwargs={"uuid": award.uuid}),
        "holder_json": reverse("www:candidate_award_credential", kwargs={"uuid": award.uuid}),
        "staff_pdf": reverse("www:award_document_pdf", kwargs={"pk": award.pk}),
        "staff_json": reverse("www:award_credential_json", kwargs={"pk": award.pk}),
    }


# --- The holder's space ------------------------------------------------------------------------------


def test_the_holder_finds_their_documents_with_the_verification_link(client, signing):
    award, _staff = delivered()
    sign_in(client, holder(award))

    page = text(client.get(reverse("www:candidate_home")))

    assert "Mes certificats et attestations" in page
    assert award.number in page and award.get_kind_display() in page
    assert award.certification.code in page
    for block in award.blocks.all():
        assert block.code in page
    assert "Télécharger le PDF" in page and "Télécharger l'attestation numérique (.json)" in page
    assert urls(award)["holder_pdf"] in page and urls(award)["holder_json"] in page
    assert openbadges.verification_url(award) in page
    assert reverse("www:verify_upload") in page and "tout employeur" in page


def test_the_holder_downloads_the_stored_pdf_and_the_credential_as_signed(client, signing):
    award, _staff = delivered()
    sign_in(client, holder(award))

    pdf = client.get(urls(award)["holder_pdf"])
    credential = client.get(urls(award)["holder_json"])

    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="{award.number}.pdf"'
    assert body(pdf) == stored(award)
    assert credential.status_code == 200
    assert credential["Content-Disposition"] == f'attachment; filename="{award.number}.json"'
    assert body(credential) == Credential.objects.get(award=award).signed_json.encode()


def test_a_pending_document_is_shown_as_being_issued_without_download(client):
    award, _staff = delivered(issue=False)
    sign_in(client, holder(award))

    page = text(client.get(reverse("www:candidate_home")))

    assert award.number in page and "en cours d'émission" in page
    assert urls(award)["holder_pdf"] not in page
    assert client.get(urls(award)["holder_pdf"]).status_code == 404


def test_a_revoked_award_shows_its_date_and_no_download(client, signing):
    award, staff = delivered()
    awards.award_revoke(award=award, by=staff, reason="Fraude à l'examen")
    award.refresh_from_db()
    sign_in(client, holder(award))

    page = text(client.get(reverse("www:candidate_home")))

    assert f"retiré le {timezone.localtime(award.revoked_at).day}" in page  # the day in Paris
    assert urls(award)["holder_pdf"] not in page and "Télécharger le PDF" not in page
    assert client.get(urls(award)["holder_pdf"]).status_code == 404
    assert client.get(urls(award)["holder_json"]).status_code == 404


def test_nobody_else_downloads_from_the_holder_space(client, signing):
    award, staff = delivered()
    other, _other_staff = delivered()
    employer = member(UserFactory(), Role.EMPLOYER, organisation=award.candidacy.employer)

    assert client.get(urls(award)["holder_pdf"]).status_code == 302  # anonymous: to the sign-in page
    for user in (holder(other), staff, employer):
        sign_in(client, user)
        assert client.get(urls(award)["holder_pdf"]).status_code == 404, user
        assert client.get(urls(award)["holder_json"]).status_code == 404, user
    sign_in(client, holder(other))
    assert award.number not in text(client.get(reverse("www:candidate_home")))


# --- The staff's award page --------------------------------------------------------------------------


def test_staff_see_the_document_status_and_download_for_their_certifier_only(client, signing):
    award, staff = delivered()
    other, other_staff = delivered()
    document = AwardDocument.objects.get(award=award)
    sign_in(client, staff)

    page = text(client.get(reverse("www:award_detail", args=[award.pk])))
    pdf = client.get(urls(award)["staff_pdf"])
    credential = client.get(urls(award)["staff_json"])

    assert "Émis le" in page and document.sha256[:16] in page and "Rééditer le document" in page
    assert "Titulaire prévenu le" in page
    assert pdf.status_code == 200 and body(pdf) == stored(award)
    assert pdf["Content-Disposition"] == f'attachment; filename="{award.number}.pdf"'
    assert body(credential) == Credential.objects.get(award=award).signed_json.encode()
    for url in urls(other)["staff_pdf"], urls(other)["staff_json"]:
        assert client.get(url).status_code == 404
    employer = member(UserFactory(), Role.EMPLOYER, organisation=award.candidacy.employer)
    for user in (holder(award), employer, other_staff):
        sign_in(client, user)
        assert client.get(urls(award)["staff_pdf"]).status_code == 404, user
        assert client.get(urls(award)["staff_json"]).status_code == 404, user
    client.logout()
    assert client.get(urls(award)["staff_pdf"]).status_code == 302


def test_reissue_keeps_the_number_and_the_credential(client, signing):
    award, staff = delivered()
    signed = Credential.objects.get(award=award).signed_json
    first = stored(award)
    sign_in(client, staff)

    response = client.post(reverse("www:award_document_reissue", args=[award.pk]), follow=True)

    assert "Duplicata édité" in messages_of(response)
    document = AwardDocument.objects.get(award=award)
    assert document.reissue_count == 1 and document.reissued_at is not None
    assert Credential.objects.get(award=award).signed_json == signed
    assert Award.objects.get(pk=award.pk).number == award.number
    assert stored(award) != first and b"duplicata" in stored(award)
    assert document.sha256 == hashlib.sha256(stored(award)).hexdigest()
    event = AuditEvent.objects.get(action="award_document_reissue", object_id=str(award.pk))
    assert event.actor_id == staff.pk and event.after["reissue"] == 1
    assert "1 duplicata" in text(response)


def test_reissue_refused_is_a_message_and_foreign_staff_get_404(client, signing):
    pending, staff = delivered(issue=False)
    award, _ = delivered()
    sign_in(client, staff)

    response = client.post(reverse("www:award_document_reissue", args=[pending.pk]), follow=True)

    assert "Rien n'a été réédité" in messages_of(response) and "pas encore émis" in messages_of(response)
    assert not AwardDocument.objects.filter(award=pending).exists()
    assert client.post(reverse("www:award_document_reissue", args=[award.pk])).status_code == 404
    assert AwardDocument.objects.get(award=award).reissue_count == 0


def test_a_pending_award_is_issued_now_from_its_page(client, signing):
    award, staff = delivered(issue=False)
    sign_in(client, staff)

    page = text(client.get(reverse("www:award_detail", args=[award.pk])))
    assert "en cours d'émission" in page and "Émettre maintenant" in page

    response = client.post(reverse("www:award_documents_issue", args=[award.pk]), follow=True)

    assert "L'émission du document est lancée." in messages_of(response)
    assert AwardDocument.objects.filter(award=award).exists()
    assert "Rééditer le document" in text(response)


def test_without_a_signing_key_the_award_page_says_what_to_do(client):
    award, staff = delivered(issue=False)
    sign_in(client, staff)

    response = client.post(reverse("www:award_documents_issue", args=[award.pk]), follow=True)

    assert not AwardDocument.objects.filter(award=award).exists()
    assert "credentials_key create" in text(response)
    assert "pas de clé de signature" in text(response)


# --- The register ------------------------------------------------------------------------------------


def test_the_register_shows_each_document_state_in_a_constant_number_of_queries(client, signing):
    session, candidacies, staff = decided_session(opinions=("AWARD",))
    awards.session_deliver(session=session, by=staff)
    reader = certifier_staff(candidacies[0].certifier)
    sign_in(client, reader)
    url = reverse("www:award_list")
    client.get(url)  # the session and the caches warm
    with CaptureQueriesContext(connection) as one:
        first = client.get(url)
    assert text(first).count("en attente") == 1

    more, more_candidacies, more_staff = decided_session(candidacies[0].certification, opinions=("AWARD",) * 3)
    delivered_awards = [r.award for r in awards.session_deliver(session=more, by=more_staff)]
    credentials.award_documents_issue(award_id=delivered_awards[0].pk)
    awards.award_revoke(award=delivered_awards[1], by=more_staff, reason="Erreur de saisie")
    with CaptureQueriesContext(connection) as four:
        page = text(client.get(url))

    assert len(four) == len(one)
    assert "Document" in page
    assert page.count(">en attente<") == 2 and page.count(">émis<") == 1 and page.count(">retiré<") == 1


# --- Session delivery --------------------------------------------------------------------------------


def test_delivery_shows_the_documents_issued(client, signing, django_capture_on_commit_callbacks):
    session, _candidacies, staff = decided_session(opinions=("AWARD", "PARTIAL"))
    sign_in(client, staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("www:jury_session_deliver", args=[session.pk]))
    # The page is drawn before the commit that queues the issuance: it starts polling.
    page = text(response)
    assert "Documents émis : 0 / 2" in page and 'hx-trigger="every 2s"' in page
    assert "<progress" in page and "Relancer l'émission des documents en attente" in page

    fragment = text(client.get(reverse("www:jury_session_documents", args=[session.pk])))

    assert "Documents émis : 2 / 2" in fragment and '<progress value="2"' in fragment
    assert "hx-trigger" not in fragment
    assert AwardDocument.objects.filter(award__deliberation__session=session).count() == 2


def test_the_progress_fragment_counts_and_polls_until_all_are_issued(client, signing):
    session, _candidacies, staff = decided_session(opinions=("AWARD", "AWARD", "REFUSAL"))
    first, second, _refusal = awards.session_deliver(session=session, by=staff)  # nothing issued yet
    credentials.award_documents_issue(award_id=first.award.pk)
    sign_in(client, staff)
    url = reverse("www:jury_session_documents", args=[session.pk])

    fragment = text(client.get(url))
    assert "Documents émis : 1 / 2" in fragment
    assert 'hx-trigger="every 2s"' in fragment and f'hx-get="{url}"' in fragment
    assert second.award.number in fragment and first.award.number not in fragment
    assert "<html" not in fragment
    page = text(client.get(reverse("www:jury_session_deliver", args=[session.pk])))
    assert "Relancer l'émission des documents en attente" in page and "Documents émis : 1 / 2" in page

    credentials.award_documents_issue(award_id=second.award.pk)
    fragment = text(client.get(url))
    assert "Documents émis : 2 / 2" in fragment and "hx-trigger" not in fragment


def test_only_the_certifier_staff_follow_the_progress(client, signing):
    session, _candidacies, staff = decided_session(opinions=("AWARD",))
    awards.session_deliver(session=session, by=staff)
    url = reverse("www:jury_session_documents", args=[session.pk])
    relaunch = reverse("www:jury_session_documents_relaunch", args=[session.pk])

    sign_in(client, member_user(session.jury, MemberRole.PRESIDENT))
    assert client.get(url).status_code == 403
    assert client.post(relaunch).status_code == 403
    sign_in(client, certifier_staff(_other_certifier()))
    assert client.get(url).status_code == 404
    assert client.post(relaunch).status_code == 404
    assert not AwardDocument.objects.exists()


def _other_certifier():
    from tests.catalogue.factories import CertifierFactory

    return CertifierFactory()


def test_relaunch_issues_the_pending_ones_once(client, signing, monkeypatch):
    session, _candidacies, staff = decided_session(opinions=("AWARD", "AWARD"))
    first, second = awards.session_deliver(session=session, by=staff)
    credentials.award_documents_issue(award_id=first.award.pk)
    before = AwardDocument.objects.get(award=first.award)
    issued = []
    real = credentials.award_documents_issue
    monkeypatch.setattr(
        credentials, "award_documents_issue", lambda *, award_id: issued.append(award_id) or real(award_id=award_id)
    )
    sign_in(client, staff)
    relaunch = reverse("www:jury_session_documents_relaunch", args=[session.pk])

    response = client.post(relaunch, follow=True)
    again = client.post(relaunch, follow=True)

    assert issued == [second.award.pk]
    assert "L'émission de 1 document en attente est relancée." in messages_of(response)
    assert "rien n'a été relancé" in messages_of(again)
    assert "Documents émis : 2 / 2" in text(again)
    after = AwardDocument.objects.get(award=first.award)
    assert (after.sha256, after.reissue_count, after.rendered_at) == (before.sha256, 0, before.rendered_at)


def test_without_a_signing_key_the_delivery_page_says_so(client):
    session, _candidacies, staff = decided_session(opinions=("AWARD",))
    sign_in(client, staff)

    before = text(client.get(reverse("www:jury_session_deliver", args=[session.pk])))
    after = text(client.post(reverse("www:jury_session_deliver", args=[session.pk])))

    for page in before, after:
        assert "pas de clé de signature" in page and "credentials_key create" in page
    assert "Documents émis : 0 / 1" in after


def test_with_the_real_renderer_the_holder_and_staff_download_the_same_pdf(client, issuer_key):  # noqa: F811
    award, staff = delivered()
    sign_in(client, holder(award))
    pdf = body(client.get(urls(award)["holder_pdf"]))

    assert pdf.startswith(b"%PDF") and pdf == stored(award)
    sign_in(client, staff)
    assert body(client.get(urls(award)["staff_pdf"])) == pdf
    signed = Credential.objects.get(award=award).signed_json
    client.post(reverse("www:award_document_reissue", args=[award.pk]))
    assert stored(award).startswith(b"%PDF") and stored(award) != pdf
    assert Credential.objects.get(award=award).signed_json == signed
