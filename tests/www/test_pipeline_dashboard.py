"""Mon espace: each role finds the way to its candidacies."""

import html

import pytest

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.candidacies import services
from tests.candidacies.factories import (
    OrganisationFactory,
    UserFactory,
    candidacy,
    certification_with_blocks,
    certifier_staff,
    member,
)

pytestmark = pytest.mark.django_db


def page_of(client, user) -> str:
    client.force_login(User.objects.get(pk=user.pk))
    response = client.get("/espace/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_certifier_staff_find_the_pipeline_and_what_waits_for_them(client):
    certification = certification_with_blocks()
    staff = certifier_staff(certification.certifiers.get())
    made = candidacy(certification=certification)
    services.candidacy_transition(candidacy=made, name="submit", by=made.candidate.user)

    page = page_of(client, staff)

    assert 'href="/espace/pipeline/"' in page
    assert "1 candidature déposée attend votre décision de recevabilité." in page
    assert 'href="/espace/pipeline/?state=SUBMITTED"' in page
    # What certifier staff had before stays.
    assert "Mes certifications" in page and 'href="/espace/candidatures/"' not in page


def test_organisations_find_their_assigned_candidacies(client):
    training_org = OrganisationFactory(training_org=True)
    candidacy(training_org=training_org)
    trainer = member(UserFactory(), Role.TRAINING_ORG, organisation=training_org)
    assessor = member(UserFactory(), Role.ASSESSOR, organisation=OrganisationFactory(assessment_centre=True))

    page = page_of(client, trainer)
    assert 'href="/espace/candidatures/"' in page and "1 candidature vous est confiée." in page
    assert "/espace/pipeline/" not in page
    assert "0 candidatures vous sont confiées." in page_of(client, assessor)


def test_employers_and_candidates_find_their_spaces(client):
    employer = OrganisationFactory()
    boss = member(UserFactory(), Role.EMPLOYER, organisation=employer)
    made = candidacy(employer=employer)

    assert 'href="/espace/entreprise/"' in page_of(client, boss)
    page = page_of(client, made.candidate.user)
    assert 'href="/espace/candidat/"' in page and "/espace/pipeline/" not in page
    assert "ouvrira prochainement" not in page


def test_the_platform_administrator_also_reaches_the_pipeline(client):
    admin = User.objects.create_superuser("admin@exemple.fr", "mot-de-passe-solide")
    page = page_of(client, admin)
    assert "Ouvrir l'administration" in page and 'href="/espace/pipeline/"' in page
