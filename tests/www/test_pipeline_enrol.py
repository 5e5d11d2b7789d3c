"""Certifier staff enrol a person on one of their certifications from the pipeline."""

import pytest
from django.urls import reverse

from cqp.candidacies.models import Candidacy, CandidacyEvent, Candidate
from tests.candidacies.factories import UserFactory, certification_with_blocks, certifier_staff

pytestmark = pytest.mark.django_db

URL = "/espace/pipeline/inscrire/"


def periods(prefix="periodes", rows=()):
    data = {f"{prefix}-TOTAL_FORMS": "3", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "50"}
    for index, (start, end) in enumerate(rows):
        data.update(
            {
                f"{prefix}-{index}-start": start,
                f"{prefix}-{index}-end": end,
                f"{prefix}-{index}-job_title": "Opératrice",
            }
        )
    return data


def body(certification, **extra):
    data = {
        "first_name": "Inès",
        "last_name": "Moreau",
        "email": "ines.moreau@exemple.fr",
        "certification": certification.code,
        "path": "TRAINING",
        "situation": "JOB_SEEKER",
        "funding": "FRANCE_TRAVAIL",
        "action": "submit",
        **periods(),
    }
    data.update(extra)
    return data


@pytest.fixture
def staff_and_certification():
    certification = certification_with_blocks()
    return certifier_staff(certification.certifiers.get()), certification


def test_staff_enrol_a_job_seeker_and_the_candidacy_is_submitted(client, staff_and_certification):
    staff, certification = staff_and_certification
    client.force_login(staff)
    assert client.get(reverse("www:pipeline")).content.decode().count(URL) == 1
    response = client.post(URL, body(certification))
    candidacy = Candidacy.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/espace/candidatures/{candidacy.pk}/"
    assert (candidacy.state, candidacy.candidate.email, candidacy.created_by) == (
        "SUBMITTED",
        "ines.moreau@exemple.fr",
        staff,
    )
    assert list(CandidacyEvent.objects.values_list("name", "by")) == [("create", staff.pk), ("submit", staff.pk)]


def test_vae_with_too_little_experience_is_refused_and_nothing_is_written(client, staff_and_certification):
    staff, certification = staff_and_certification
    client.force_login(staff)
    response = client.post(
        URL,
        body(certification, path="VAE", funding="", **periods(rows=[("2026-01-05", "2026-06-30")])),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "au moins un an d&#x27;expérience" in page or "au moins un an d'expérience" in page
    assert not Candidacy.objects.exists() and not Candidate.objects.exists()


def test_staff_cannot_enrol_on_another_certifiers_certification(client, staff_and_certification):
    staff, _certification = staff_and_certification
    foreign = certification_with_blocks()
    client.force_login(staff)
    response = client.post(URL, body(foreign))
    assert response.status_code == 400
    assert "pas délivrée par votre certificateur" in response.content.decode()
    assert not Candidacy.objects.exists()


def test_only_certifier_staff_may_enrol(client, staff_and_certification):
    _staff, certification = staff_and_certification
    assert client.get(URL).status_code == 302  # anonymous: to the login page
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
    assert client.post(URL, body(certification)).status_code == 403
    assert not Candidacy.objects.exists()
