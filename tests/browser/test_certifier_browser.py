"""A certifier staff member builds an unregistered CQP in a real Chromium, then finds it in the public catalogue."""

import re

import pytest

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.catalogue.models import Certification
from tests.catalogue.factories import CertifierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-cqp-2026"


@pytest.fixture
def staff_member():
    uimm = CertifierFactory(siret="78471719100018", name="UIMM")
    user = User.objects.create_user("claire.lambert@uimm.example", PASSWORD, first_name="Claire", last_name="Lambert")
    Membership.objects.create(user=user, role=Role.CERTIFIER_STAFF, certifier=uimm)
    return user


def add_block(page, title, competencies):
    form = page.locator("form", has=page.get_by_role("button", name="Ajouter le bloc"))
    form.get_by_label("Intitulé du bloc").fill(title)
    form.get_by_label("Compétences").fill("\n".join(competencies))
    form.get_by_role("button", name="Ajouter le bloc").click()
    page.wait_for_url(re.compile(r"#bloc-\d+$"))


def test_staff_builds_an_unregistered_cqp_and_finds_it_in_the_catalogue(page, axe, staff_member):
    # Sign in: the login form lands in « Mon espace ».
    page.goto("/compte/connexion/")
    axe(page, "certifier-login")
    page.get_by_label("Adresse e-mail").fill("claire.lambert@uimm.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mon espace"
    axe(page, "certifier-dashboard")

    # Create a CQP registered nowhere: the platform gives it its code.
    page.get_by_role("link", name="Créer une certification").first.click()
    page.wait_for_url("**/espace/certifications/nouvelle/**")
    axe(page, "certifier-create")
    page.locator("#id_title").fill("CQP Opérateur de découpe laser")
    page.get_by_role("combobox", name="Type (obligatoire)").select_option("CQP")
    page.get_by_label("Non enregistré").check()
    page.get_by_label("Formation continue").check()
    page.get_by_label("Objectifs et contexte").fill("Contenu de démonstration.")
    page.get_by_role("button", name="Créer la certification").click()
    page.wait_for_url("**/espace/certifications/CQP-00001/")
    assert "La certification CQP-00001 est créée" in page.locator(".messages").inner_text()

    # Two blocks with their competencies.
    add_block(page, "Préparer la découpe", ["Lire le programme de découpe", "Régler la source laser"])
    add_block(page, "Conduire et contrôler la découpe", ["Lancer la série", "Contrôler les premières pièces"])
    first_block = page.locator("article.block").filter(has_text="Préparer la découpe")
    assert first_block.get_by_role("listitem").filter(has_text="Régler la source laser").count() == 1

    # A mandatory and an optional criterion, added inline (htmx) on the first block.
    criterion = first_block.get_by_label("Critère d'évaluation")
    criterion.fill("Le programme correspond au plan de la pièce")
    assert first_block.get_by_label("Critère obligatoire").is_checked()
    first_block.get_by_role("button", name="Ajouter le critère").click()
    first_block.get_by_role("status").filter(has_text="Critère ajouté").wait_for()
    first_block.get_by_label("Critère d'évaluation").fill("Une amélioration du réglage est proposée")
    first_block.get_by_label("Critère obligatoire").uncheck()
    first_block.get_by_role("button", name="Ajouter le critère").click()
    first_block.get_by_role("cell", name="Une amélioration du réglage est proposée").wait_for()
    rows = first_block.locator("table tbody tr")
    assert rows.count() == 2
    assert "Obligatoire" in rows.nth(0).inner_text()
    assert "Facultatif" in rows.nth(1).inner_text()
    # The inline add gave the keyboard focus back to the emptied field.
    assert page.evaluate("document.activeElement.name") == "text"

    certification = Certification.objects.get(code="CQP-00001")
    assert [(c.text, c.mandatory) for c in certification.blocks.order_by("position")[0].criteria.all()] == [
        ("Le programme correspond au plan de la pièce", True),
        ("Une amélioration du réglage est proposée", False),
    ]
    page.reload()
    assert "Critère ajouté" in page.locator("#historique").locator("..").inner_text()
    axe(page, "certifier-edit")

    # The public fiche shows it to everyone.
    page.get_by_role("link", name="Voir la fiche publique").click()
    page.wait_for_url("**/certifications/CQP-00001/")
    assert page.get_by_role("heading", level=1).inner_text().strip().endswith("CQP Opérateur de découpe laser")
    content = page.locator("main").inner_text()
    assert "Préparer la découpe" in content and "Conduire et contrôler la découpe" in content
    axe(page, "certifier-public-fiche")
