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
    page.wait_for_function("document.activeElement && document.activeElement.name === 'text'")

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


def sign_in(page, email):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/")


def test_every_other_certifier_page_is_accessible(page, axe, staff_member):
    from django.urls import reverse

    from cqp.catalogue import services
    from tests.catalogue.factories import BlockFactory, BranchFactory, CertificationFactory

    uimm = staff_member.memberships.get().certifier
    BranchFactory(slug="metallurgie", name="Métallurgie")
    cqp = services.certification_create(by=staff_member, certifier=uimm, title="CQPM Régleur", kind="CQPM")
    block = services.block_create(certification=cqp, by=staff_member, title="Régler", competencies=["Monter l'outil"])
    criterion = services.criterion_create(block=block, by=staff_member, text="Réglage conforme")
    other = BlockFactory(certification=CertificationFactory(code="RNCP36086"), code="RNCP36086BC01")
    equivalence = services.equivalence_create(block=block, target_block=other, by=staff_member)
    fiche = CertificationFactory(code="RS6117", registry="RS", source="REGISTRY", title="CQP Tourier", level=None)
    fiche.certifiers.add(uimm)

    sign_in(page, "claire.lambert@uimm.example")
    code = cqp.code
    pages = {
        "certifier-list": reverse("www:certifier_certification_list"),
        "certifier-update": reverse("www:certifier_certification_update", args=[code]),
        "certifier-branches": reverse("www:certifier_certification_branches", args=[code]),
        "certifier-block-create": reverse("www:certifier_block_create", args=[code]),
        "certifier-block-update": reverse("www:certifier_block_update", args=[code, block.pk]),
        "certifier-block-delete": reverse("www:certifier_block_delete", args=[code, block.pk]),
        "certifier-criterion-create": reverse("www:certifier_criterion_create", args=[code, block.pk]),
        "certifier-criterion-update": reverse("www:certifier_criterion_update", args=[code, criterion.pk]),
        "certifier-criterion-delete": reverse("www:certifier_criterion_delete", args=[code, criterion.pk]),
        "certifier-equivalence-search": reverse("www:certifier_equivalence_create", args=[code, block.pk])
        + "?code=RNCP36086",
        "certifier-equivalence-delete": reverse("www:certifier_equivalence_delete", args=[code, equivalence.pk]),
        "certifier-registry-fiche": reverse("www:certifier_certification_edit", args=["RS6117"]),
        "certifier-registry-read-only": reverse("www:certifier_certification_update", args=["RS6117"]),
    }
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        axe(page, name)

    # A form sent with mistakes: the errors are announced and tied to their fields.
    page.goto(pages["certifier-update"])
    page.locator("#id_title").fill("")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("alert").wait_for()
    assert page.locator("#id_title").get_attribute("aria-invalid") == "true"
    axe(page, "certifier-update-errors")


def test_dashboards_of_the_admin_and_of_other_roles_are_accessible(page, axe, staff_member):
    User.objects.create_superuser("admin@cqp.example", PASSWORD)
    candidate = User.objects.create_user("candidat@cqp.example", PASSWORD)
    Membership.objects.create(user=candidate, role=Role.CANDIDATE)

    sign_in(page, "admin@cqp.example")
    assert page.get_by_role("link", name="Ouvrir l'administration").is_visible()
    axe(page, "dashboard-admin")
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, "candidat@cqp.example")
    assert "Mes candidatures" in page.locator("main").inner_text()
    axe(page, "dashboard-other")
    response = page.goto("/espace/certifications/")
    assert response.status == 403
    axe(page, "certifier-not-staff")
