"""The assessor's pages: worklist, grid (save, submit, concurrent edit, correction), readiness panel."""

import pytest
from django.urls import reverse

from cqp.assessments.models import BlockAssessment
from tests.candidacies.factories import UserFactory, certifier_staff

from .assessment_helpers import assessor_of, candidacy_in_assessment, first_block

pytestmark = pytest.mark.django_db


def grid_url(candidacy, block):
    return reverse("www:assessment_grid", kwargs={"pk": candidacy.pk, "code": block.code})


def grid_post(assessment, action, **overrides):
    data = {
        "action": action,
        "revision": assessment.revision,
        "situation": "INTERVIEW",
        "assessed_on": "2024-06-03",
        "verdict": "ACQUIRED",
        "summary": "Pour le jury.",
        "no_conflict_declared": "on",
    }
    for r in assessment.results.all():
        data[f"met_{r.criterion_id}"] = "yes"
        data[f"obs_{r.criterion_id}"] = "Observé."
    data.update(overrides)
    return data


def test_worklist_grid_and_readiness(client):
    candidacy = candidacy_in_assessment(blocks=1)
    assessor = assessor_of(candidacy)
    block = first_block(candidacy)
    client.force_login(assessor)
    page = client.get(reverse("www:assessor_worklist")).content.decode()
    assert f"Évaluer le bloc {block.code}" in page
    client.post(grid_url(candidacy, block), {"action": "start"})
    assessment = BlockAssessment.objects.get()
    page = client.get(grid_url(candidacy, block)).content.decode()
    assert "obligatoire : observation exigée" in page and "Satisfait" in page
    refused = client.post(grid_url(candidacy, block), grid_post(assessment, "submit", verdict="NOT_ACQUIRED"))
    assert refused.status_code == 400 and "ne correspond pas à la grille" in refused.content.decode()
    assessment.refresh_from_db()
    done = client.post(grid_url(candidacy, block), grid_post(assessment, "submit"))
    assert done.status_code == 302
    assert BlockAssessment.objects.get().state == "SUBMITTED"
    staff = certifier_staff(candidacy.certifier)
    client.force_login(staff)
    panel = client.get(reverse("www:jury_readiness", kwargs={"pk": candidacy.pk})).content.decode()
    assert "peut être transmise au jury" in panel
    history = client.get(grid_url(candidacy, block)).content.decode()
    assert "Version 1" in history and "Transmise" in history


def test_a_concurrent_edit_shows_both_versions_and_keeps_the_input(client):
    candidacy = candidacy_in_assessment(blocks=1)
    first, second = assessor_of(candidacy), assessor_of(candidacy)
    block = first_block(candidacy)
    client.force_login(first)
    client.post(grid_url(candidacy, block), {"action": "start"})
    assessment = BlockAssessment.objects.get()
    stale = grid_post(assessment, "save", summary="Saisie du second")
    client.post(grid_url(candidacy, block), grid_post(assessment, "save", summary="Saisie de la première"))
    client.force_login(second)
    response = client.post(grid_url(candidacy, block), stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Quelqu&#x27;un d&#x27;autre a modifié cette grille" in page
    assert "Saisie de la première" in page and "Saisie du second" in page
    assert BlockAssessment.objects.get().summary == "Saisie de la première"


def test_who_may_not_see_gets_404_and_who_may_not_assess_sees_why(client):
    candidacy = candidacy_in_assessment(blocks=1)
    block = first_block(candidacy)
    client.force_login(UserFactory())
    assert client.get(grid_url(candidacy, block)).status_code == 404
    assert client.get(reverse("www:jury_readiness", kwargs={"pk": candidacy.pk})).status_code == 404
    client.force_login(certifier_staff(candidacy.certifier))
    page = client.get(grid_url(candidacy, block)).content.decode()
    assert "Seul un évaluateur" in page and "Commencer" not in page
    client.post(grid_url(candidacy, block), {"action": "start"})
    assert not BlockAssessment.objects.exists()
    panel = client.get(reverse("www:jury_readiness", kwargs={"pk": candidacy.pk})).content.decode()
    assert "pas encore d&#x27;évaluation" in panel or "pas encore d'évaluation" in panel


def test_the_assessor_attaches_a_document_of_the_candidacy(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cqp.candidacies.services import document_upload

    candidacy = candidacy_in_assessment(blocks=1)
    assessor = assessor_of(candidacy)
    block = first_block(candidacy)
    client.force_login(assessor)
    client.post(grid_url(candidacy, block), {"action": "start"})
    pdf = SimpleUploadedFile("observation.pdf", b"%PDF-1.4\n%%EOF\n")
    document = document_upload(candidacy=candidacy, by=assessor, kind="OTHER", uploaded_file=pdf)
    client.post(grid_url(candidacy, block), {"action": "attach", "document": document.pk})
    assert list(BlockAssessment.objects.get().evidence.values_list("document_id", flat=True)) == [document.pk]
    assert "observation.pdf" in client.get(grid_url(candidacy, block)).content.decode()
