"""The import pages: employers and certifier staff only, each their own files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cqp.accounts.enums import Role
from cqp.candidacies.models import Candidacy
from tests.candidacies.factories import (
    CandidateFactory,
    OrganisationFactory,
    UserFactory,
    certification_with_blocks,
    certifier_staff,
    member,
)
from tests.imports.test_imports import csv_bytes, row

pytestmark = pytest.mark.django_db


def test_staff_upload_preview_and_confirm(client):
    certification = certification_with_blocks()
    staff = certifier_staff(certification.certifiers.get())
    client.force_login(staff)
    assert client.get("/espace/import/").status_code == 200
    assert client.get("/espace/import/modele.xlsx").status_code == 200
    assert client.get("/espace/import/modele.csv").content.startswith(b"\xef\xbb\xbfNom de naissance;")
    data = csv_bytes([row(1, certification.code)])
    response = client.post("/espace/import/", {"file": SimpleUploadedFile("a.csv", data)})
    assert response.status_code == 302
    preview = response["Location"]
    assert "Confirmer l'import" in client.get(preview).content.decode()
    assert client.post(preview).status_code == 302
    assert client.post(preview).status_code == 302  # a second submit changes nothing
    assert Candidacy.objects.count() == 1


@pytest.mark.parametrize("role", ["anonymous", "candidate", "training_org", "assessor", "other_staff", "employer"])
def test_other_roles_and_foreign_batches_get_404(client, role):
    certification = certification_with_blocks()
    staff = certifier_staff(certification.certifiers.get())
    client.force_login(staff)
    client.post("/espace/import/", {"file": SimpleUploadedFile("a.csv", csv_bytes([row(1, certification.code)]))})
    from cqp.imports.models import ImportBatch

    preview = f"/espace/import/{ImportBatch.objects.get().pk}/"
    client.logout()
    if role == "candidate":
        client.force_login(CandidateFactory().user)
    elif role == "training_org":
        client.force_login(
            member(UserFactory(), Role.TRAINING_ORG, organisation=OrganisationFactory(training_org=True))
        )
    elif role == "assessor":
        client.force_login(
            member(UserFactory(), Role.ASSESSOR, organisation=OrganisationFactory(assessment_centre=True))
        )
    elif role == "other_staff":
        client.force_login(certifier_staff(certification_with_blocks().certifiers.get()))
    elif role == "employer":
        client.force_login(member(UserFactory(), Role.EMPLOYER, organisation=OrganisationFactory()))
    if role in ("candidate", "training_org", "assessor"):
        assert client.get("/espace/import/").status_code == 404
        assert client.get("/espace/import/modele.csv").status_code == 404
    elif role == "anonymous":
        assert client.get("/espace/import/").status_code == 302
    else:
        assert client.get("/espace/import/").status_code == 200
    assert client.get(preview).status_code in (302, 404)
    assert client.post(preview).status_code in (302, 404) and not Candidacy.objects.exists()
    if role != "anonymous":
        assert client.post(preview).status_code == 404
