"""The public catalogue in a real headless Chromium: search, filters with htmx, fiches, 404, axe-core and keyboard."""

import re

import pytest

from cqp.catalogue import enums, models
from cqp.catalogue.search import certification_search_text
from tests.catalogue.factories import (
    BlockFactory,
    BranchFactory,
    CertificationFactory,
    CertifierFactory,
    CompetencyFactory,
    EvaluationCriterionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def index(certification):
    certification.search_text = certification_search_text(certification)
    certification.save(update_fields=["search_text"])


@pytest.fixture
def catalogue():
    industry = BranchFactory(
        slug="metallurgie", name="Métallurgie", opco_name="OPCO 2i", opco_url="https://www.opco2i.fr/"
    )
    uimm = CertifierFactory(siret="77567135600025", name="UIMM", website="https://uimm.lafabriquedelavenir.fr/")

    welder = CertificationFactory(code="RNCP90001", title="CQP Soudeur industriel", level=3)
    welder.branches.add(industry)
    welder.certifiers.add(uimm)
    welder.rome.add(models.Rome.objects.create(code="H2913", label="Soudage manuel"))
    welder.agreements.add(models.CollectiveAgreement.objects.create(number="3248", label="Métallurgie"))
    welder.activities = "Le titulaire :   - prépare les pièces   - soude en toutes positions   - contrôle ses soudures"
    welder.registration_end = welder.effective_date = None
    welder.save()
    blocks = []
    for n, title in enumerate(["Préparer un assemblage", "Souder à l'arc", "Contrôler la qualité"], start=1):
        block = BlockFactory(certification=welder, code=f"RNCP90001BC0{n}", position=n, title=title)
        CompetencyFactory(block=block, text=f"Compétence {n}.1 du soudage")
        CompetencyFactory(block=block, text=f"Compétence {n}.2 du soudage")
        EvaluationCriterionFactory(block=block, text=f"Critère {n} observé", mandatory=n != 2)
        blocks.append(block)
    index(welder)

    operator = CertificationFactory(
        code="RNCP90002", title="CQPI Opérateur de production industrielle", level=3, cqpi=True
    )
    operator.branches.add(industry)
    operator.certifiers.add(uimm)
    target = BlockFactory(certification=operator, code="RNCP90002BC01", position=1, title="Contrôler la qualité")
    index(operator)
    models.BlockEquivalence.objects.create(
        certification=welder,
        block=blocks[2],
        target_certification_code="RNCP90002",
        target_block_code="RNCP90002BC01",
        target_block=target,
        kind=enums.EquivalenceKind.COMMON,
    )

    CertificationFactory(code="RNCP80001", title="CQP Soudeur", expired=True)
    models.CertificationLineage.objects.create(old_code="RNCP80001", new_code="RNCP90001")
    CertificationFactory(rs=True, code="RS6117", title="CQP Tourier", access_routes=["FC"])
    for n in range(25):
        CertificationFactory(code=f"RNCP{70000 + n}", title=f"CQP Monteur numéro {n:02d}", level=4)


def test_home(page, axe, catalogue):
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("Trouver un CQP")
    assert page.get_by_label("Métier, compétence, code RNCP ou RS").is_visible()
    assert (
        page.get_by_role("link", name="France Travail").first.get_attribute("href") == "https://www.francetravail.fr/"
    )
    axe(page, "catalogue-home")


def test_keyboard_skip_link_reaches_the_content(page, catalogue):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_search_from_the_home_box_reaches_the_list(page, axe, catalogue):
    page.goto("/")
    box = page.get_by_label("Métier, compétence, code RNCP ou RS")
    box.focus()
    page.keyboard.type("soudage")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/certifications/\?q=soudage$"))
    assert page.locator(".result-count").inner_text() == "1 certification trouvée"
    assert page.get_by_role("link", name="CQP Soudeur industriel").is_visible()
    assert page.get_by_label("Mots-clés").input_value() == "soudage"
    axe(page, "catalogue-search")


def test_list_filters_update_the_results_in_place(page, axe, catalogue):
    page.goto("/certifications/")
    assert page.locator(".result-count").inner_text().startswith("29 certifications trouvées")
    # A marker that a full page load would wipe out.
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Type").select_option("CQPI")
    page.get_by_label("Niveau", exact=True).select_option("3")
    with page.expect_response(lambda r: "/certifications/?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Afficher les résultats").click()
    page.wait_for_url(re.compile(r"kind=CQPI"))
    assert "level=3" in page.url
    assert page.locator("#results-status").inner_text().startswith("1 certification trouvée")
    assert page.locator("#results .result").count() == 1
    assert page.get_by_role("link", name="CQPI Opérateur de production industrielle").is_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.locator("#results-status").get_attribute("role") == "status"
    axe(page, "catalogue-list-filtered")


def test_list_filters_can_be_used_with_the_keyboard(page, catalogue):
    page.goto("/certifications/")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Ouverte à la VAE").focus()
    page.keyboard.press("Space")
    page.get_by_label("Mots-clés").focus()
    page.keyboard.type("monteur")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=monteur.*vae=true"))
    assert page.locator("#results-status").inner_text().startswith("25 certifications trouvées — page 1 sur 2")
    assert page.evaluate("window.stillTheSamePage") is True
    # Pagination is a plain link: it works from the keyboard and without JavaScript.
    page.get_by_role("link", name="Page suivante").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator("#results .result").count() == 5


def test_list_without_results_and_invalid_filter(page, axe, catalogue):
    page.goto("/certifications/?q=astronaute&level=12")
    assert page.locator(".result-count").inner_text() == "Aucune certification trouvée"
    assert "Niveau" in page.locator(".ignored-filters").inner_text()
    assert page.get_by_text("Aucune certification ne correspond à votre recherche.").is_visible()
    axe(page, "catalogue-list-empty")


def test_fiche_with_blocks_and_equivalences(page, axe, catalogue):
    page.goto("/certifications/RNCP90001/")
    assert page.locator("h1").inner_text() == "CQP Soudeur industriel"
    assert page.locator("#blocs .block").count() == 3
    assert page.get_by_role("heading", name="RNCP90001BC02 — Souder à l'arc").is_visible()
    passerelles = page.locator("#passerelles")
    assert "Bloc commun" in passerelles.inner_text()
    # The long registry text is folded; the keyboard opens it.
    summary = page.get_by_text("Activités visées", exact=True)
    assert not page.get_by_text("soude en toutes positions").is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert page.get_by_text("soude en toutes positions").is_visible()
    axe(page, "catalogue-fiche")
    passerelles.get_by_role("link", name=re.compile("RNCP90002")).click()
    page.wait_for_url("**/certifications/RNCP90002/")
    assert "RNCP90001" in page.locator("#passerelles").inner_text()


def test_replaced_fiche_links_to_its_new_version(page, axe, catalogue):
    page.goto("/certifications/RNCP80001/")
    assert "Remplacée" in page.locator(".fiche-header .badges").inner_text()
    axe(page, "catalogue-fiche-replaced")
    page.locator(".lineage-notice").get_by_role("link", name=re.compile("RNCP90001")).click()
    page.wait_for_url("**/certifications/RNCP90001/")
    assert page.locator("h1").inner_text() == "CQP Soudeur industriel"


def test_not_found(page, axe, catalogue):
    response = page.goto("/certifications/RNCP00000/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page introuvable"
    axe(page, "catalogue-404")
