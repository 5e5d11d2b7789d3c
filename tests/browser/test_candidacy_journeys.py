"""Candidacy journeys in a real Chromium, with an axe check on every page."""

from datetime import date, timedelta

import pytest

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.candidacies import services
from cqp.candidacies.models import Candidacy
from tests.candidacies.factories import OrganisationFactory, candidacy, certification_with_blocks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-cqp-2026"


def sign_in(page, email, next_url):
    page.goto(f"/compte/connexion/?next={next_url}")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{next_url}")


def test_a_candidate_refused_for_vae_applies_by_training_and_sees_the_timeline(page, axe):
    certification = certification_with_blocks(blocks=3, title="CQP Conducteur de ligne de conditionnement")
    assert certification.vae_open
    User.objects.create_user("ines.bernard@exemple.fr", PASSWORD, first_name="Inès", last_name="Bernard")

    sign_in(page, "ines.bernard@exemple.fr", "/espace/candidat/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mes candidatures"
    axe(page, "candidate-home-empty")

    page.get_by_role("link", name="Candidater à une certification").click()
    axe(page, "candidate-choose-certification")
    page.get_by_label("Code de la certification").fill(certification.code)
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(f"**certification={certification.code}")
    axe(page, "candidate-apply")

    # VAE with eight months of experience: refused, with the months counted and the way that stays open.
    page.get_by_label("Par la VAE").check()
    page.get_by_label("Salarié").check()
    page.locator("#id_periodes-0-start").fill((date.today() - timedelta(days=243)).isoformat())
    page.locator("#id_periodes-0-job_title").fill("Conductrice de ligne")
    page.locator("#id_periodes-0-employer_name").fill("Conserverie du Port")
    page.get_by_role("button", name="Déposer la candidature").click()
    alert = page.get_by_role("alert")
    assert "Rien n'a été enregistré" in alert.inner_text()
    assert "en couvrent 8 mois" in alert.inner_text()
    assert "voie de la formation" in alert.inner_text()
    axe(page, "candidate-apply-vae-refused")
    assert not Candidacy.objects.exists()

    # The training path, self-funded: deposited.
    page.get_by_label("Par la formation").check()
    page.get_by_label("Financement", exact=True).select_option("PERSONAL")
    page.get_by_role("button", name="Déposer la candidature").click()
    page.wait_for_url("**/espace/candidatures/*/")
    assert "Votre candidature est déposée" in page.locator(".messages").inner_text()
    timeline = page.locator("ol.timeline")
    assert timeline.locator("[aria-current=step]").inner_text().startswith("Déposée")
    assert "Positionnement fait" in timeline.inner_text()
    assert "à venir" in timeline.inner_text()
    axe(page, "candidacy-detail-candidate")

    page.get_by_role("link", name="Mes candidatures").click()
    page.wait_for_url("**/espace/candidat/")
    assert certification.title in page.locator(".result-list").inner_text()
    axe(page, "candidate-home")


def test_an_employer_enrols_an_employee_under_a_contrat_pro_with_a_new_tutor(page, axe):
    certification = certification_with_blocks(blocks=2, title="CQP Agent de maintenance industrielle")
    company = OrganisationFactory(name="Fonderie Martin")
    boss = User.objects.create_user("rh@fonderie-martin.example", PASSWORD, first_name="Hélène", last_name="Petit")
    Membership.objects.create(user=boss, role=Role.EMPLOYER, organisation=company)

    sign_in(page, "rh@fonderie-martin.example", "/espace/entreprise/")
    assert page.get_by_role("heading", level=1).inner_text() == "Candidatures des salariés"
    axe(page, "employer-home-empty")

    page.get_by_role("link", name="Inscrire un salarié").first.click()
    page.wait_for_url("**/espace/entreprise/inscrire/")
    axe(page, "employer-enrol")
    page.get_by_role("textbox", name="Prénom (obligatoire)").fill("Yanis")
    page.get_by_label("Nom de naissance").fill("Roux")
    page.get_by_role("textbox", name="E-mail (obligatoire)").fill("yanis.roux@exemple.fr")
    page.get_by_label("Code de la certification").fill(certification.code)
    page.get_by_label("Par la formation").check()
    page.get_by_label("Jeune complétant sa formation initiale").check()
    page.get_by_label("Contrat de professionnalisation").check()

    # Forgetting the tutor: the form says so on the tutor field, nothing is written.
    page.get_by_role("button", name="Inscrire et déposer la candidature").click()
    assert "demandent un tuteur" in page.get_by_role("alert").inner_text()
    axe(page, "employer-enrol-no-tutor")
    assert not Candidacy.objects.exists()

    page.get_by_label("Prénom du nouveau tuteur").fill("Sophie")
    page.get_by_label("Nom du nouveau tuteur", exact=True).fill("Lefèvre")
    page.get_by_label("Fonction du nouveau tuteur").fill("Cheffe d'atelier")
    page.get_by_role("button", name="Inscrire et déposer la candidature").click()
    page.wait_for_url("**/espace/candidatures/*/")
    assert "Yanis Roux est inscrit" in page.locator(".messages").inner_text()
    facts = page.locator("dl.facts").inner_text()
    assert "Sophie Lefèvre" in facts and "Contrat de professionnalisation" in facts
    axe(page, "candidacy-detail-employer")

    page.get_by_role("navigation", name="Fil d’Ariane").get_by_role("link", name="Candidatures des salariés").click()
    page.wait_for_url("**/espace/entreprise/")
    row = page.locator("tbody tr").filter(has_text="Yanis Roux")
    assert "Déposée" in row.inner_text()
    axe(page, "employer-home")

    page.get_by_role("link", name="Tuteurs").click()
    assert "Sophie Lefèvre" in page.locator("tbody").inner_text()
    axe(page, "employer-tutors")


def test_certifier_staff_refuses_a_candidacy_with_its_motive_and_the_trail_shows_it(page, axe):
    made = candidacy(funding="PERSONAL")
    services.candidacy_transition(candidacy=made, name="submit", by=made.candidate.user)
    staff = User.objects.create_user("claire.lambert@cpne.example", PASSWORD, first_name="Claire", last_name="Lambert")
    Membership.objects.create(user=staff, role=Role.CERTIFIER_STAFF, certifier=made.certifier)

    sign_in(page, "claire.lambert@cpne.example", f"/espace/candidatures/{made.pk}/")
    assert "Examinez la recevabilité" in page.locator(".next-step").inner_text()
    axe(page, "candidacy-detail-certifier")

    refusal = page.locator("form", has=page.get_by_role("button", name="Déclarer non recevable"))
    refusal.get_by_role("button", name="Déclarer non recevable").click()
    assert "Rien n'a été fait" in page.locator(".messages").inner_text()
    axe(page, "candidacy-detail-certifier-motive-missing")

    refusal = page.locator("form", has=page.get_by_role("button", name="Déclarer non recevable"))
    refusal.get_by_label("Motif").fill("Le métier exercé ne relève pas de cette certification.")
    refusal.get_by_role("button", name="Déclarer non recevable").click()
    page.wait_for_url(f"**/espace/candidatures/{made.pk}/")
    assert "c'est fait" in page.locator(".messages").inner_text()
    history = page.get_by_role("table", name="Historique de la candidature, du plus ancien au plus récent")
    assert "Le métier exercé ne relève pas de cette certification." in history.inner_text()
    assert page.locator("ol.timeline [aria-current=step]").inner_text().startswith("Non recevable")
    axe(page, "candidacy-detail-certifier-refused")
