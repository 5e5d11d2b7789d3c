"""The public orientation pages: the form, the result without JavaScript, htmx, the rules page."""

import pytest

from cqp.catalogue.models import CollectiveAgreement
from cqp.orientation import rules
from tests.catalogue.factories import BranchFactory, CertificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def welder(db):
    return CertificationFactory(code="RNCP37674", title="CQPM Soudeur industriel")


def test_form_is_accessible_and_prefilled_from_a_fiche(client, welder):
    response = client.get("/orientation/?certification=RNCP37674")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<fieldset>" in html and "<legend>" in html
    assert 'aria-live="polite"' in html
    assert 'value="RNCP37674"' in html
    assert '<label for="id_age">' in html
    assert "Vos possibilités" not in html  # nothing submitted yet


def test_result_without_javascript(client, welder):
    response = client.get(
        "/orientation/",
        {"status": "EMPLOYEE", "age": "19", "branch": "3248", "experience_months": "14", "certification": "rncp37674"},
    )
    html = response.content.decode()
    assert "Vos possibilités" in html
    assert "14 mois" in html
    assert "OPCO 2i" in html and "https://www.opco2i.fr/" in html
    assert "Mission locale" in html
    assert "/certifications/RNCP37674/" in html


def test_htmx_gets_only_the_result(client, welder):
    response = client.get("/orientation/", {"status": "JOB_SEEKER", "age": "30"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "France Travail" in html and "AIF" in html


def test_branch_by_name_from_the_table_and_the_catalogue(client, db):
    response = client.get("/orientation/", {"status": "EMPLOYEE", "branch": "plasturgie"})
    assert "OPCO 2i" in response.content.decode()
    branch = BranchFactory(slug="essai", name="Branche d'essai", opco_name="AKTO", opco_url="https://www.akto.fr/")
    CollectiveAgreement.objects.create(number="3998", idcc="9996", label="Convention des testeurs", branch=branch)
    response = client.get("/orientation/", {"status": "EMPLOYEE", "branch": "testeurs"})
    assert "AKTO" in response.content.decode()


def test_errors_are_listed_and_nothing_breaks(client, db):
    response = client.get(
        "/orientation/",
        {"status": "PIRATE", "age": "7", "branch": "9997", "experience_months": "-2", "certification": "RNCP00000"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "IDCC inconnu" in html
    assert "entre 14 et 100" in html
    assert "entre 0 et 600" in html
    assert "RNCP00000" in html
    assert "Vos possibilités" not in html


def test_several_branches_match(client, db):
    response = client.get("/orientation/", {"status": "EMPLOYEE", "branch": "bâtiment"})
    html = response.content.decode()
    assert "Plusieurs conventions" in html
    assert "1597" in html and "2609" in html


def test_rules_page_shows_every_rule(client, db):
    response = client.get("/orientation/regles/")
    html = response.content.decode()
    for rule in rules.RULES:
        assert str(rule.title).replace("'", "&#x27;") in html
    assert "31 mars 2019" in html
    assert "3248" in html


def test_home_and_fiche_link_to_the_simulator(client, welder):
    assert "/orientation/" in client.get("/").content.decode()
    assert "/orientation/?certification=RNCP37674" in client.get("/certifications/RNCP37674/").content.decode()
