"""Certifier staff enrol a job seeker from the pipeline, in a real Chromium, with axe checks."""

import pytest

from cqp.candidacies.models import Candidacy
from tests.candidacies.factories import certification_with_blocks, certifier_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_enrol_a_job_seeker(page, axe):
    certification = certification_with_blocks(title="CQP Conducteur de ligne automatisée")
    staff = certifier_staff(certification.certifiers.get(), email="instruction@cpne.example")
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(staff.email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/")

    page.goto("/espace/pipeline/")
    page.get_by_role("link", name="Inscrire une personne").click()
    axe(page, "pipeline-enrol")
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label("Nom de naissance").fill("Moreau")
    page.get_by_label("E-mail").fill("ines.moreau@exemple.fr")
    page.get_by_label("Code de la certification").fill(certification.code)
    page.get_by_label("Par la formation").check()
    page.get_by_label("Demandeur d'emploi").check()
    page.get_by_label("Financement").select_option("FRANCE_TRAVAIL")
    page.get_by_role("button", name="Inscrire et déposer la candidature").click()
    page.wait_for_url("**/espace/candidatures/*/")
    assert "Inès Moreau" in page.locator("main").inner_text()
    axe(page, "pipeline-enrol-done")
    assert Candidacy.objects.get().state == "SUBMITTED"
