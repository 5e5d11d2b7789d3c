"""GET /api/v1/branches/ and /api/v1/certifiers/."""

import pytest

from tests.catalogue.factories import BranchFactory, CertifierFactory

pytestmark = pytest.mark.django_db


def test_branches_list_their_agreements_and_certifications(api, catalogue):
    body = api.get("/api/v1/branches/").json()

    assert body["count"] == 2
    bakery = next(row for row in body["results"] if row["slug"] == "boulangerie")
    assert bakery["name"] == "Boulangerie-pâtisserie artisanale"
    assert bakery["opco_name"] == "OPCO EP"
    assert bakery["idcc"] == ["0843"]
    assert bakery["certification_count"] == 3  # RS6117, RNCP19468 (expired), CQP-00001
    assert bakery["active_certification_count"] == 2
    assert bakery["certifications_url"] == "http://testserver/api/v1/certifications/?branch=boulangerie"


def test_branch_certifications_link_lists_them(api, catalogue):
    url = next(r for r in api.get("/api/v1/branches/").json()["results"] if r["slug"] == "metallurgie")[
        "certifications_url"
    ]

    assert {row["code"] for row in api.get(url).json()["results"]} == {"RNCP37674", "CQP-00001"}


def test_branch_without_certification_counts_zero(api, catalogue):
    BranchFactory(slug="plasturgie", name="Plasturgie et composites")

    row = api.get("/api/v1/branches/", {"q": "plasturgie"}).json()["results"][0]

    assert (row["certification_count"], row["active_certification_count"], row["idcc"]) == (0, 0, [])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("patisserie", ["boulangerie"]),
        ("PÂTISSERIE", ["boulangerie"]),
        ("métallurgie", ["metallurgie"]),
        ("METALLURGIE", ["metallurgie"]),
        ("boulangerie artisanale", ["boulangerie"]),
        ("boulangerie metallurgie", []),
        ("", ["boulangerie", "metallurgie"]),
    ],
)
def test_branches_search_by_name(api, catalogue, query, expected):
    rows = api.get("/api/v1/branches/", {"q": query}).json()["results"]

    assert sorted(row["slug"] for row in rows) == expected


def test_certifiers_list_their_branches_and_certifications(api, catalogue):
    body = api.get("/api/v1/certifiers/").json()

    assert body["count"] == 2
    uimm = next(row for row in body["results"] if row["siret"] == "77567227400024")
    assert uimm["name"] == "UIMM — Union des industries et métiers de la métallurgie"
    assert uimm["active"] is True
    assert uimm["branches"] == [{"slug": "metallurgie", "name": "Métallurgie"}]
    assert uimm["certification_count"] == 2
    assert uimm["active_certification_count"] == 2
    assert uimm["certifications_url"] == "http://testserver/api/v1/certifications/?certifier=77567227400024"
    cnbpf = next(row for row in body["results"] if row["siret"] == "78430882100030")
    assert (cnbpf["certification_count"], cnbpf["active_certification_count"]) == (2, 1)


def test_certifier_without_siret_has_no_certifications_link(api, catalogue):
    CertifierFactory(siret=None, name="Organisme sans SIRET")

    row = api.get("/api/v1/certifiers/", {"q": "sans siret"}).json()["results"][0]

    assert row["siret"] is None
    assert row["certifications_url"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "confederation"}, {"78430882100030"}),
        ({"q": "Confédération"}, {"78430882100030"}),
        ({"q": "uimm"}, {"77567227400024"}),
        ({"q": "industries métallurgie"}, {"77567227400024"}),
        ({"branch": "boulangerie"}, {"78430882100030"}),
        ({"branch": "inconnue"}, set()),
        ({"q": "uimm", "branch": "boulangerie"}, set()),
    ],
)
def test_certifiers_filters(api, catalogue, params, expected):
    rows = api.get("/api/v1/certifiers/", params).json()["results"]

    assert {row["siret"] for row in rows} == expected


@pytest.mark.parametrize("url", ["/api/v1/branches/", "/api/v1/certifiers/"])
def test_lists_refuse_a_too_long_search(api, catalogue, url):
    response = api.get(url, {"q": "x" * 201})

    assert response.status_code == 400
    assert response.json() == {
        "q": ["Recherche trop longue : 200 caractères au plus. / Search too long: at most 200 characters."]
    }


@pytest.mark.parametrize("url", ["/api/v1/branches/", "/api/v1/certifiers/"])
def test_lists_are_paginated(api, catalogue, url):
    body = api.get(url, {"page_size": 1}).json()

    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert body["next"].endswith("page=2&page_size=1")


def test_certifier_branch_filter_is_validated(api, catalogue):
    assert api.get("/api/v1/certifiers/", {"branch": "pâtisserie"}).status_code == 400
