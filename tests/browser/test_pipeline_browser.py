"""In a real Chromium: certifier staff filter the pipeline, admit a candidacy inline, assign its organisations;
the training organisation then finds it in its list. Axe checks on each page."""

import pytest

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.candidacies import services
from cqp.candidacies.models import Candidacy
from tests.candidacies.factories import (
    CandidateFactory,
    OrganisationFactory,
    candidacy,
    certification_with_blocks,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-solide"


def account(email, **kwargs):
    return User.objects.create_user(email, PASSWORD, first_name="Claire", last_name="Lambert", **kwargs)


def sign_in(page, email):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/")


@pytest.fixture
def world():
    certification = certification_with_blocks(title="CQP Conducteur de ligne")
    certifier = certification.certifiers.get()
    staff = member(account("claire@cpne.example"), Role.CERTIFIER_STAFF, certifier=certifier)
    training_org = OrganisationFactory(training_org=True, name="Forma Nord")
    centre = OrganisationFactory(assessment_centre=True, name="Éval Sud")
    centre.accredited_certifications.add(certification)
    trainer = member(account("julien@forma.example"), Role.TRAINING_ORG, organisation=training_org)
    waiting = None
    for last_name in ("Bonnet", "Haddad", "Fontaine"):
        made = candidacy(certification=certification, candidate=CandidateFactory(last_name=last_name))
        if last_name == "Bonnet":
            waiting = services.candidacy_transition(candidacy=made, name="submit", by=made.candidate.user)
    candidacy(certification=certification, path="VAE", funding="", candidate=CandidateFactory(last_name="Girard"))
    return {"staff": staff, "trainer": trainer, "waiting": waiting}


def test_staff_process_the_queue_and_the_training_org_finds_its_candidacy(page, axe, world):
    sign_in(page, "claire@cpne.example")
    page.get_by_role("link", name="Ouvrir le suivi des candidatures").click()
    page.wait_for_url("**/espace/pipeline/")
    assert page.get_by_role("heading", level=1).inner_text() == "Suivi des candidatures"
    assert "4 candidatures" in page.get_by_role("status").first.inner_text()
    axe(page, "pipeline")

    # The counts per state are links: one click filters on the submitted candidacies.
    page.get_by_role("link", name="Déposée (1)").click()
    page.wait_for_url("**/espace/pipeline/?state=SUBMITTED")
    assert page.locator("tbody tr").count() == 1

    # The filters work in place (htmx) and as a plain form.
    page.goto("/espace/pipeline/")
    page.get_by_label("Voie").select_option("VAE")
    page.wait_for_url("**path=VAE**")
    page.locator("tbody tr").first.wait_for()
    assert page.locator("tbody tr").count() == 1 and "GIRARD" in page.locator("tbody").inner_text()

    # Admit the submitted candidacy inline, from the keyboard-reachable disclosure of its row.
    page.goto("/espace/pipeline/?state=SUBMITTED")
    row = page.locator(f"#candidature-{world['waiting'].pk}")
    row.get_by_text("Décider de la recevabilité").click()
    axe(page, "pipeline-decision")
    row.get_by_role("button", name="Recevable", exact=True).click()
    page.wait_for_url("**/espace/pipeline/?state=SUBMITTED**")
    assert "déclarée recevable" in page.locator(".messages").inner_text()
    assert Candidacy.objects.get(pk=world["waiting"].pk).state == "ADMISSIBLE"

    # Assign the organisations.
    page.goto(f"/espace/candidatures/{world['waiting'].pk}/organismes/")
    assert page.get_by_role("heading", level=1).inner_text() == "Organismes de la candidature"
    axe(page, "pipeline-assign")
    page.get_by_label("Organisme de formation").select_option(label="Forma Nord")
    page.get_by_label("Organisme évaluateur").select_option(label="Éval Sud")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/espace/candidatures/{world['waiting'].pk}/")
    assert Candidacy.objects.get(pk=world["waiting"].pk).training_org.name == "Forma Nord"

    # The training organisation finds it in its list.
    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(page, "julien@forma.example")
    page.get_by_role("link", name="Voir les candidatures confiées").click()
    page.wait_for_url("**/espace/candidatures/")
    assert page.locator("tbody tr").count() == 1 and "BONNET" in page.locator("tbody").inner_text()
    axe(page, "assigned-candidacies")


def test_an_assignment_refused_says_why_accessibly(page, axe, world):
    made = candidacy(certification=certification_with_blocks(title="CQP Soudeur"), path="VAE", funding="")
    member(User.objects.get(email="claire@cpne.example"), Role.CERTIFIER_STAFF, certifier=made.certifier)
    sign_in(page, "claire@cpne.example")
    page.goto(f"/espace/candidatures/{made.pk}/organismes/")
    assert "Aucun organisme évaluateur n'est encore habilité" in page.locator("main").inner_text()
    page.get_by_role("button", name="Enregistrer").click()
    assert "Choisissez un organisme" in page.get_by_role("alert").inner_text()
    axe(page, "pipeline-assign-error")
