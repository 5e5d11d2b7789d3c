"""The VAE pages: the candidate's recevabilité and dossier, the certifier's decision, who may see them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cqp.accounts.enums import Role
from cqp.assessments.models import VaeDossierEntry, VaeEligibility
from tests.candidacies.factories import OrganisationFactory, UserFactory, member

from .vae_helpers import PDF, vae_draft

pytestmark = pytest.mark.django_db


def page(candidacy):
    return reverse("www:vae_eligibility", args=[candidacy.pk])


def period(client, candidacy, start, end, job):
    return client.post(
        page(candidacy), {"action": "add_period", "start": start, "end": end, "job_title": job}, follow=True
    )


def test_candidate_declares_uploads_submits_and_staff_decides(client):
    draft, staff = vae_draft()
    client.force_login(draft.candidate.user)
    refused = period(client, draft, "2024-05-01", "2024-04-01", "Opérateur")
    assert "se termine avant de commencer" in refused.content.decode()
    period(client, draft, "2024-01-01", "2024-10-31", "Opérateur")
    shown = period(client, draft, "2024-06-01", "2025-02-28", "Régleur").content.decode()
    assert "Expérience retenue : 13 mois (425 jours" in shown
    no_proof = client.post(page(draft), {"action": "submit"}).content.decode()
    assert "justificatif" in no_proof and not VaeEligibility.objects.exists()
    client.post(
        page(draft),
        {"action": "upload_proof", "file": SimpleUploadedFile("attestation.pdf", PDF, content_type="application/pdf")},
    )
    client.post(page(draft), {"action": "submit"})
    assert VaeEligibility.objects.get().state == "SUBMITTED"
    assert "Décider de la recevabilité" not in client.get(page(draft)).content.decode()

    client.force_login(staff)
    text = client.get(page(draft)).content.decode()
    assert "Décider de la recevabilité" in text and "Versions du dossier" in text
    missing = client.post(page(draft), {"action": "decide", "decision": "INCOMPLETE"}).content.decode()
    assert "Donnez les motifs" in missing
    client.post(page(draft), {"action": "decide", "decision": "INCOMPLETE", "reasons": "Il manque une attestation B."})

    client.force_login(draft.candidate.user)
    text = client.get(page(draft)).content.decode()
    assert "Il manque une attestation B." in text and "Redéposer le dossier complété" in text


def test_dossier_page_saves_each_block_then_submits(client):
    draft, staff = vae_draft()
    client.force_login(draft.candidate.user)
    period(client, draft, "2024-01-01", "2025-02-28", "Opérateur")
    client.post(
        page(draft),
        {"action": "upload_proof", "file": SimpleUploadedFile("attestation.pdf", PDF, content_type="application/pdf")},
    )
    client.post(page(draft), {"action": "submit"})
    client.force_login(staff)
    client.post(page(draft), {"action": "decide", "decision": "ADMISSIBLE"})
    draft.refresh_from_db()
    assert draft.state == "ADMISSIBLE"
    client.force_login(draft.candidate.user)
    url = reverse("www:vae_dossier", args=[draft.pk])
    blocks = [cb.block for cb in draft.blocks.select_related("block").order_by("block__position")]
    early = client.post(url, {"action": "submit"}).content.decode()
    assert "Décrivez encore votre expérience" in early
    for block in blocks:
        client.post(
            url,
            {
                "action": "save",
                "block": block.pk,
                f"block-{block.pk}-narrative": f"Ce que j'ai fait pour {block.code}.",
                f"block-{block.pk}-file": SimpleUploadedFile("photo.pdf", PDF, content_type="application/pdf"),
            },
        )
    assert VaeDossierEntry.objects.filter(candidacy=draft).count() == len(blocks)
    client.post(url, {"action": "submit"})
    draft.refresh_from_db()
    assert draft.state == "DOSSIER_SUBMITTED"


@pytest.mark.parametrize("name", ["vae_eligibility", "vae_dossier"])
def test_outsiders_get_404_and_anonymous_are_sent_to_sign_in(client, name):
    draft, _staff = vae_draft()
    url = reverse(f"www:{name}", args=[draft.pk])
    assert client.get(url).status_code == 302
    client.force_login(member(UserFactory(), Role.EMPLOYER, organisation=OrganisationFactory()))
    assert client.get(url).status_code == 404


def test_employer_sees_but_has_no_forms(client):
    draft, _staff = vae_draft()
    client.force_login(member(UserFactory(), Role.EMPLOYER, organisation=draft.employer))
    text = client.get(page(draft)).content.decode()
    assert "Ajouter une période" not in text and "Décider" not in text
    client.post(page(draft), {"action": "add_period", "start": "2024-01-01", "end": "", "job_title": "Agent"})
    assert not draft.experience_periods.exists()
