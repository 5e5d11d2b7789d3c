"""The orientation simulator in a real headless Chromium: from a fiche, in place with htmx, errors, rules, axe."""

import re

import pytest

from tests.catalogue.factories import BranchFactory, CertificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def welder():
    metallurgy = BranchFactory(
        slug="metallurgie", name="Métallurgie", opco_name="OPCO 2i", opco_url="https://www.opco2i.fr/"
    )
    certification = CertificationFactory(code="RNCP37674", title="CQPM Soudeur industriel")
    certification.branches.add(metallurgy)
    return certification


def test_from_a_fiche_to_the_result_in_place(page, axe, welder):
    page.goto("/certifications/RNCP37674/")
    page.get_by_role("link", name="Quel parcours pour moi ?").click()
    page.wait_for_url(re.compile(r"/orientation/\?certification=RNCP37674"))
    assert page.get_by_label("Certification visée (code RNCP ou RS)").input_value() == "RNCP37674"
    axe(page, "orientation-form")

    page.get_by_label("Salarié ou salariée").check()
    page.get_by_label("Votre âge (en années)").fill("19")
    page.get_by_label(re.compile("Votre expérience")).fill("14")
    page.get_by_label(re.compile("Convention collective de votre employeur")).fill("3248")
    page.get_by_role("button", name="Voir mes possibilités").click()

    result = page.locator("#orientation-result")
    result.get_by_role("heading", name="Vos possibilités").wait_for()
    assert "14 mois" in result.inner_text()
    assert result.get_by_role("link", name="OPCO 2i").get_attribute("href") == "https://www.opco2i.fr/"
    assert result.get_attribute("aria-live") == "polite"
    assert "status=EMPLOYEE" in page.url  # the result can be shared
    axe(page, "orientation-result")


def test_errors_are_announced_and_accessible(page, axe, welder):
    page.goto("/orientation/")
    page.get_by_label("Votre âge (en années)").fill("7")
    page.get_by_role("button", name="Voir mes possibilités").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Choisissez votre situation" in alert.inner_text()
    assert "entre 14 et 100" in alert.inner_text()
    axe(page, "orientation-errors")


def test_rules_page(page, axe, welder):
    page.goto("/orientation/regles/")
    page.get_by_role("heading", name="Les règles du simulateur d'orientation").wait_for()
    assert page.get_by_role("heading", name=re.compile("VAE")).count() >= 1
    axe(page, "orientation-rules")
