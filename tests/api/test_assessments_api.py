"""/api/v1/candidacies/{id}/assessments/: fixed fields, scoping (404 / 403), French refusals, 409 when stale."""

import pytest

from cqp.accounts.enums import Role
from tests.assessments.assessment_helpers import assessor_of, candidacy_in_assessment
from tests.candidacies.factories import UserFactory, certifier_staff, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidacy():
    return candidacy_in_assessment(blocks=1)


def url(candidacy, suffix=""):
    return f"/api/v1/candidacies/{candidacy.pk}/assessments/{suffix}"


def grid_body(assessment, *, revision, verdict="ACQUIRED"):
    return {
        "revision": revision,
        "situation": "SIMULATION",
        "assessed_on": "2024-06-03",
        "criteria": [{"criterion": c["criterion"], "met": True, "observation": "Vu."} for c in assessment["criteria"]],
        "verdict": verdict,
        "summary": "Pour le jury.",
        "no_conflict_declared": True,
    }


def test_the_assessor_starts_saves_and_submits_and_the_list_has_the_fixed_fields(api, candidacy):
    assessor = assessor_of(candidacy)
    api.force_authenticate(assessor)
    block = candidacy.blocks.get().block
    started = api.post(url(candidacy), {"block": block.code}, format="json")
    assert started.status_code == 201, started.content
    assessment = started.json()
    assert assessment["state"] == "DRAFT" and len(assessment["criteria"]) == 4
    saved = api.patch(url(candidacy, f"{assessment['id']}/"), grid_body(assessment, revision=0), format="json")
    assert saved.status_code == 200, saved.content
    submitted = api.post(url(candidacy, f"{assessment['id']}/submit/"))
    assert submitted.status_code == 200, submitted.content
    listing = api.get(url(candidacy)).json()
    assert listing["ready_for_jury"] is True and listing["missing"] == []
    (row,) = listing["assessments"]
    assert {"block", "verdict", "criteria", "assessor", "submitted_at"} <= set(row)
    assert row["block"] == block.code and row["verdict"] == "ACQUIRED" and row["submitted_at"]
    assert {"criterion", "met", "mandatory"} <= set(row["criteria"][0])
    assert [c["mandatory"] for c in row["criteria"]] == [True, True, False, False]
    correction = api.post(url(candidacy, f"{row['id']}/correct/"), {"reason": "Situation erronée"}, format="json")
    assert correction.status_code == 201 and correction.json()["version"] == 2
    assert correction.json()["supersedes"] == row["id"]


def test_refusals_are_in_french_and_a_stale_save_is_a_409_with_the_other_version(api, candidacy):
    assessor = assessor_of(candidacy)
    api.force_authenticate(assessor)
    assessment = api.post(url(candidacy), {"block": candidacy.blocks.get().block.code}, format="json").json()
    refused = api.post(url(candidacy, f"{assessment['id']}/submit/"))
    assert refused.status_code == 400
    assert "Indiquez la situation d'évaluation." in refused.json()["situation"]
    body = grid_body(assessment, revision=0, verdict="NOT_ACQUIRED")
    assert api.patch(url(candidacy, f"{assessment['id']}/"), body, format="json").status_code == 200
    inconsistent = api.post(url(candidacy, f"{assessment['id']}/submit/"))
    assert "ne correspond pas à la grille" in inconsistent.json()["verdict"][0]
    stale = api.patch(url(candidacy, f"{assessment['id']}/"), {"revision": 0, "summary": "Autre"}, format="json")
    assert stale.status_code == 409
    assert "Quelqu'un d'autre a modifié cette grille" in stale.json()["detail"]
    assert stale.json()["current"]["summary"] == "Pour le jury."


def test_who_sees_but_may_not_assess_gets_403_and_others_404(api, candidacy):
    block = candidacy.blocks.get().block
    api.force_authenticate(certifier_staff(candidacy.certifier))
    assert api.get(url(candidacy)).status_code == 200
    forbidden = api.post(url(candidacy), {"block": block.code}, format="json")
    assert forbidden.status_code == 403 and "Seul un évaluateur" in forbidden.json()["detail"]
    linked = assessor_of(candidacy)
    member(linked, Role.EMPLOYER, organisation=candidacy.employer)
    api.force_authenticate(linked)
    conflict = api.post(url(candidacy), {"block": block.code}, format="json")
    assert conflict.status_code == 403 and "conflit d'intérêts" in conflict.json()["detail"]
    api.force_authenticate(UserFactory())
    assert api.get(url(candidacy)).status_code == 404
    assert api.post(url(candidacy), {"block": block.code}, format="json").status_code == 404
    api.force_authenticate(None)
    assert api.get(url(candidacy)).status_code == 401


def test_the_schema_declares_the_assessment_paths(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/candidacies/{id}/assessments/" in paths
    assert "409" in paths["/api/v1/candidacies/{id}/assessments/{assessment_id}/"]["patch"]["responses"]


def test_a_document_of_the_candidacy_is_attached_as_evidence(api, candidacy):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cqp.candidacies.services import document_upload

    assessor = assessor_of(candidacy)
    api.force_authenticate(assessor)
    assessment = api.post(url(candidacy), {"block": candidacy.blocks.get().block.code}, format="json").json()
    pdf = SimpleUploadedFile("grille.pdf", b"%PDF-1.4\n%%EOF\n")
    document = document_upload(candidacy=candidacy, by=assessor, kind="OTHER", uploaded_file=pdf)
    attached = api.post(url(candidacy, f"{assessment['id']}/evidence/"), {"document": document.pk}, format="json")
    assert attached.status_code == 200 and attached.json()["evidence"] == [document.pk]
    missing = api.post(url(candidacy, f"{assessment['id']}/evidence/"), {"document": 999999}, format="json")
    assert missing.status_code == 400 and "Pièce introuvable" in missing.json()["document"][0]
