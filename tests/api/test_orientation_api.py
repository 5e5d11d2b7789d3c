"""POST /api/v1/orientation/: public, the contract's fields, clear 400s, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from cqp.catalogue.models import CollectiveAgreement
from tests.catalogue.factories import BranchFactory, CertificationFactory

URL = "/api/v1/orientation/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # CSRF checks on, as a browser from another site would be.
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def welder(db):
    metallurgy = BranchFactory(
        slug="metallurgie", name="Métallurgie", opco_name="OPCO 2i", opco_url="https://www.opco2i.fr/"
    )
    certification = CertificationFactory(code="RNCP37674", title="CQPM Soudeur industriel")
    certification.branches.add(metallurgy)
    return certification


def post(client, body):
    return client.post(URL, body, format="json")


def by_name(rows):
    return {row["name"]: row for row in rows}


def test_the_example_of_the_contract(client, welder):
    response = post(
        client,
        {
            "status": "EMPLOYEE",
            "age": 19,
            "disability_recognised": False,
            "idcc": "3248",
            "experience_months": 14,
            "certification": "RNCP37674",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) >= {"paths", "funding", "contacts"}
    paths = by_name(body["paths"])
    assert set(paths) == {"TRAINING", "VAE"}
    assert paths["TRAINING"]["open"] and paths["VAE"]["open"]
    assert "14 mois" in paths["VAE"]["reason"]
    funding = by_name(body["funding"])
    assert {"PLAN", "CONTRAT_PRO", "PRO_A", "CPF"} <= set(funding)
    assert funding["PLAN"]["open"] and funding["PRO_A"]["open"] and funding["CPF"]["open"]
    assert not funding["FRANCE_TRAVAIL"]["open"]
    for row in body["paths"] + body["funding"]:
        assert set(row) >= {"name", "open", "reason"} and row["reason"]
    contacts = body["contacts"]
    assert {"kind": "OPCO", "name": "OPCO 2i", "url": "https://www.opco2i.fr/"}.items() <= contacts[0].items()
    assert [c["kind"] for c in contacts] == ["OPCO", "MISSION_LOCALE"]
    assert body["certification"]["code"] == "RNCP37674"
    assert body["certification"]["url"].endswith("/certifications/RNCP37674/")
    assert body["branch"] == {"idcc": "3248", "label": "Métallurgie", "opco": "OPCO 2i"}


def test_only_status_is_required(client, db):
    response = post(client, {"status": "JOB_SEEKER"})
    assert response.status_code == 200
    kinds = [c["kind"] for c in response.json()["contacts"]]
    assert kinds == ["FRANCE_TRAVAIL"]


def test_disability_and_short_idcc(client, db):
    response = post(client, {"status": "EMPLOYEE", "idcc": "44", "disability_recognised": True})
    assert response.status_code == 200
    body = response.json()
    assert body["branch"]["idcc"] == "0044"
    assert [c["kind"] for c in body["contacts"]] == ["OPCO", "CAP_EMPLOI"]


def test_idcc_known_from_the_catalogue_agreements(client, db):
    branch = BranchFactory(slug="verre", name="Verre", opco_name="OPCO 2i", opco_url="https://www.opco2i.fr/")
    CollectiveAgreement.objects.create(number="3999", idcc="9998", label="Convention d'essai", branch=branch)
    response = post(client, {"status": "EMPLOYEE", "idcc": "9998"})
    assert response.status_code == 200
    assert response.json()["contacts"][0]["name"] == "OPCO 2i"


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({}, "status", "obligatoire"),
        ({"status": "RETIRED"}, "status", "Situation inconnue"),
        ({"status": "YOUNG", "age": 5}, "age", "entre 14 et 100"),
        ({"status": "YOUNG", "age": 101}, "age", "entre 14 et 100"),
        ({"status": "YOUNG", "age": -3}, "age", "entre 14 et 100"),
        ({"status": "YOUNG", "age": "vingt"}, "age", "entre 14 et 100"),
        ({"status": "YOUNG", "age": 19.5}, "age", "entre 14 et 100"),
        ({"status": "EMPLOYEE", "experience_months": -1}, "experience_months", "entre 0 et 600"),
        ({"status": "EMPLOYEE", "experience_months": 601}, "experience_months", "entre 0 et 600"),
        ({"status": "EMPLOYEE", "idcc": "12345"}, "idcc", "1 à 4 chiffres"),
        ({"status": "EMPLOYEE", "idcc": "ab"}, "idcc", "1 à 4 chiffres"),
        ({"status": "EMPLOYEE", "idcc": "9997"}, "idcc", "IDCC inconnu"),
        ({"status": "EMPLOYEE", "certification": "RNCP00000"}, "certification", "Certification inconnue"),
        ({"status": "EMPLOYEE", "disability_recognised": "peut-être"}, "disability_recognised", "true ou false"),
    ],
)
def test_bad_input_is_refused_field_by_field_in_french_and_english(client, db, body, field, words):
    response = post(client, body)
    assert response.status_code == 400
    messages = response.json()[field]
    assert words in messages[0]
    assert " / " in messages[0]  # French, then English


def test_not_an_object(client, db):
    response = post(client, [1, 2])
    assert response.status_code == 400
    assert "objet JSON" in str(response.json())


@pytest.mark.parametrize(
    "raw", ['{"status": "EMPLOYEE", "age": NaN}', '{"status": "EMPLOYEE", "age": Infinity}', "{status", "", "null"]
)
def test_raw_bodies_that_are_not_json_objects(client, db, raw):
    response = client.post(URL, raw, content_type="application/json")
    assert response.status_code == 400


def test_get_is_not_allowed(client, db):
    assert client.get(URL).status_code == 405


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
field_values = {
    "status": st.sampled_from(["EMPLOYEE", "JOB_SEEKER", "YOUNG", "OTHER", "employee", ""]) | json_values,
    "age": st.integers(-5, 120) | json_values,
    "disability_recognised": st.booleans() | json_values,
    "idcc": st.sampled_from(["3248", "44", "0", "99999", "9997"])
    | st.from_regex(r"\d{1,5}", fullmatch=True)
    | json_values,
    "experience_months": st.integers(-10, 700) | json_values,
    "certification": st.sampled_from(["RNCP37674", "rncp37674", "RS1", ""]) | json_values,
}
bodies = st.fixed_dictionaries({}, optional=field_values) | json_values


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_never_a_server_error(client, welder, body):
    response = post(client, body)
    assert response.status_code in (200, 400), (body, response.content)
    if response.status_code == 200:
        assert set(response.json()) >= {"paths", "funding", "contacts"}
