"""A VAE journey through recevabilité and the dossier de validation, in a real Chromium with axe checks."""

import pytest

from cqp.assessments.models import VaeDossierEntry, VaeEligibility
from cqp.candidacies.models import Candidacy
from tests.assessments.vae_helpers import PDF, vae_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-solide"  # the factories' password


def sign_in(page, email, next_url):
    page.context.clear_cookies()
    page.goto(f"/compte/connexion/?next={next_url}")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{next_url}")


def add_period(page, start, end, job, employer, *, block_codes=()):
    page.locator("#id_start").fill(start)
    page.locator("#id_end").fill(end)
    page.locator("#id_job_title").fill(job)
    page.locator("#id_employer_name").fill(employer)
    page.locator("#id_activities").fill("Conduite et réglage de la ligne, contrôle qualité.")
    for code in block_codes:
        page.get_by_label(code).check()
    page.get_by_role("button", name="Ajouter la période").click()
    page.get_by_text("La période est ajoutée.").wait_for()


def upload(page, name):
    page.locator("#id_file").set_input_files(files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Déposer le justificatif").click()
    page.get_by_text("Le justificatif est déposé.").wait_for()


def test_vae_journey_through_recevabilite_and_the_dossier(page, axe):
    draft, staff = vae_draft()
    candidate = draft.candidate.user
    url = f"/espace/vae/{draft.pk}/recevabilite/"

    # From the candidacy page, the candidate finds their recevabilité.
    sign_in(page, candidate.email, f"/espace/candidatures/{draft.pk}/")
    page.get_by_role("link", name="Recevabilité VAE").click()
    page.wait_for_url(f"**{url}")
    assert "Recevabilité de la VAE" in page.get_by_role("heading", level=1).inner_text()
    axe(page, "vae-eligibility-empty")
    # Fourteen months over two overlapping periods: the overlap counts once.
    first_block = draft.blocks.select_related("block").order_by("block__position").first().block
    add_period(page, "2025-01-01", "2025-09-30", "Conducteur de ligne", "Usine A", block_codes=[first_block.code])
    add_period(page, "2025-06-01", "2026-03-15", "Régleur", "Usine B")
    assert "Expérience retenue : 14 mois (439 jours" in page.locator("#experience-total").inner_text()
    assert list(draft.experience_periods.get(employer_name="Usine A").blocks.all()) == [first_block]
    upload(page, "certificat-usine-a.pdf")
    axe(page, "vae-eligibility-ready")
    page.get_by_role("button", name="Déposer le dossier").click()
    page.get_by_text("est déposé (version 1)").wait_for()

    sign_in(page, staff.email, url)
    axe(page, "vae-eligibility-staff")
    page.get_by_label("Incomplète").check()
    page.get_by_label("Motifs").fill("Joignez le certificat de travail de l'usine B.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("La décision est enregistrée").wait_for()

    sign_in(page, candidate.email, url)
    assert "Joignez le certificat de travail de l'usine B." in page.get_by_role("main").inner_text()
    axe(page, "vae-eligibility-incomplete")
    upload(page, "certificat-usine-b.pdf")
    page.get_by_role("button", name="Redéposer le dossier complété").click()
    page.get_by_text("est déposé (version 2)").wait_for()

    sign_in(page, staff.email, url)
    page.get_by_label("Recevable", exact=True).check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("La décision est enregistrée").wait_for()
    assert [(e.version, e.state) for e in VaeEligibility.objects.order_by("version")] == [
        (1, "INCOMPLETE"),
        (2, "ADMISSIBLE"),
    ]
    axe(page, "vae-eligibility-history")

    sign_in(page, candidate.email, url)
    page.get_by_role("link", name="Rédiger le dossier de validation").click()
    page.wait_for_url(f"**/espace/vae/{draft.pk}/dossier/")
    axe(page, "vae-dossier")
    for row in draft.blocks.select_related("block").order_by("block__position"):
        block = row.block
        page.locator(f"#id_block-{block.pk}-narrative").fill(f"Sur la ligne, j'ai mis en œuvre {block.title}.")
        page.get_by_role("button", name=f"Enregistrer le bloc {block.code}").click()
        page.get_by_text(f"Votre texte pour le bloc {block.code} est enregistré.").wait_for()
    page.get_by_role("button", name="Déposer le dossier de validation").click()
    page.get_by_text("Votre dossier de validation est déposé.").wait_for()
    axe(page, "vae-dossier-submitted")
    assert Candidacy.objects.get(pk=draft.pk).state == "DOSSIER_SUBMITTED"
    assert VaeDossierEntry.objects.filter(candidacy=draft).count() == draft.blocks.count()
