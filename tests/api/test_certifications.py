"""GET /api/v1/certifications/ and /{code}/: what another system reads of the catalogue."""

import pytest

from tests.api.conftest import codes

LIST = "/api/v1/certifications/"

pytestmark = pytest.mark.django_db


def test_list_rows_have_the_fixed_fields(api, catalogue):
    response = api.get(LIST)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    row = next(row for row in body["results"] if row["code"] == "RNCP37674")
    assert {"code", "title", "kind", "registry", "level", "active"} <= set(row)
    assert row["title"] == "CQPM Soudeur industriel"
    assert row["kind"] == "CQPM"
    assert row["registry"] == "RNCP"
    assert row["level"] == 4
    assert row["active"] is True
    assert row["registration_end"] == "2028-06-30"
    assert row["vae_open"] is True
    assert row["cpf_eligible"] is True
    assert row["certifiers"] == [
        {"siret": "77567227400024", "name": "UIMM — Union des industries et métiers de la métallurgie"}
    ]
    assert row["url"] == "http://testserver/certifications/RNCP37674/"
    assert row["api_url"] == "http://testserver/api/v1/certifications/RNCP37674/"


def test_list_shows_active_certifications_first(api, catalogue):
    assert codes(api.get(LIST))[-1] == "RNCP19468"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"registry": "RNCP"}, {"RNCP37674", "RNCP19468"}),
        ({"registry": "RS"}, {"RS6117"}),
        ({"registry": "NONE"}, {"CQP-00001"}),
        ({"registry": "rs"}, {"RS6117"}),
        ({"level": "4"}, {"RNCP37674"}),
        ({"level": "3"}, {"RNCP19468"}),
        ({"level": "8"}, set()),
        ({"active": "true"}, {"RNCP37674", "RS6117", "CQP-00001"}),
        ({"active": "false"}, {"RNCP19468"}),
        ({"kind": "CQPM"}, {"RNCP37674"}),
        ({"kind": "CQPI"}, {"CQP-00001"}),
        ({"kind": "cqp"}, {"RS6117", "RNCP19468"}),
        ({"kind": "OTHER"}, set()),
        ({"branch": "boulangerie"}, {"RS6117", "RNCP19468", "CQP-00001"}),
        ({"branch": "metallurgie"}, {"RNCP37674", "CQP-00001"}),
        ({"branch": "branche-inconnue"}, set()),
        ({"certifier": "78430882100030"}, {"RS6117", "RNCP19468"}),
        ({"certifier": "775 672 274 00024"}, {"RNCP37674", "CQP-00001"}),
        ({"rome": "H2913"}, {"RNCP37674"}),
        ({"rome": "h2913"}, {"RNCP37674"}),
        ({"rome": "viennoiserie"}, {"RS6117"}),
        ({"vae": "true"}, {"RNCP37674"}),
        ({"vae": "false"}, {"RS6117", "RNCP19468", "CQP-00001"}),
        ({"cpf": "true"}, {"RNCP37674", "RS6117"}),
        ({"cpf": "false"}, {"RNCP19468", "CQP-00001"}),
        ({"registry": "RNCP", "active": "true", "branch": "metallurgie"}, {"RNCP37674"}),
        ({"q": "tourier", "active": "false"}, {"RNCP19468"}),
    ],
)
def test_each_filter_narrows_the_list(api, catalogue, params, expected):
    response = api.get(LIST, params)

    assert set(codes(response)) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("soudeur", {"RNCP37674"}),
        ("SOUDEUR INDUSTRIEL", {"RNCP37674"}),
        ("électrique", {"RNCP37674"}),  # a competency, with its accent
        ("electrique", {"RNCP37674"}),  # the same, typed without it
        ("Sécurité", {"RNCP37674"}),  # a block title
        ("tôles", {"RNCP37674"}),
        ("soudage manuel", {"RNCP37674"}),  # the job label
        ("opérateur qualité", {"CQP-00001"}),
        ("OPERATEUR   QUALITE", {"CQP-00001"}),
        ("tourier", {"RS6117", "RNCP19468"}),
        ("RS6117", {"RS6117"}),
        ("tourier soudeur", set()),  # every word must match
        ("   ", {"RNCP37674", "RS6117", "RNCP19468", "CQP-00001"}),
    ],
)
def test_search_ignores_accents_and_case(api, catalogue, query, expected):
    assert set(codes(api.get(LIST, {"q": query}))) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"level": "abc"},
            "Niveau invalide : attendu un nombre de 1 à 8. / Invalid level: expected a number from 1 to 8.",
        ),
        (
            {"level": "9"},
            "Niveau invalide : attendu un nombre de 1 à 8. / Invalid level: expected a number from 1 to 8.",
        ),
        (
            {"level": "3.5"},
            "Niveau invalide : attendu un nombre de 1 à 8. / Invalid level: expected a number from 1 to 8.",
        ),
        (
            {"registry": "FOO"},
            "Répertoire invalide : attendu RNCP, RS ou NONE. / Invalid registry: expected RNCP, RS or NONE.",
        ),
        (
            {"active": "maybe"},
            "Valeur invalide pour « active » : attendu true ou false. / Invalid active: expected true or false.",
        ),
        (
            {"kind": "xyz"},
            "Type invalide : attendu CQP, CQPI, CQPM ou OTHER. / Invalid kind: expected CQP, CQPI, CQPM or OTHER.",
        ),
        (
            {"vae": "peut-être"},
            "Valeur invalide pour « vae » : attendu true ou false. / Invalid vae: expected true or false.",
        ),
        (
            {"cpf": "2"},
            "Valeur invalide pour « cpf » : attendu true ou false. / Invalid cpf: expected true or false.",
        ),
        (
            {"certifier": "1234"},
            "Certificateur invalide : attendu un SIRET de 14 chiffres. / "
            "Invalid certifier: expected a SIRET of 14 digits.",
        ),
    ],
)
def test_invalid_filter_values_are_refused_with_a_message(api, catalogue, params, message):
    response = api.get(LIST, params)

    assert response.status_code == 400
    assert response.json() == {next(iter(params)): [message]}


def test_every_invalid_parameter_gets_its_own_message(api, catalogue):
    response = api.get(LIST, {"level": "abc", "registry": "FOO", "active": "maybe", "kind": "xyz", "q": "soudeur"})

    assert response.status_code == 400
    assert set(response.json()) == {"level", "registry", "active", "kind"}


@pytest.mark.parametrize(
    "params",
    [{"branch": "métallurgie"}, {"q": "x" * 201}, {"rome": "y" * 101}],
)
def test_malformed_text_filters_are_refused(api, catalogue, params):
    response = api.get(LIST, params)

    assert response.status_code == 400
    name = next(iter(params))
    [message] = response.json()[name]
    assert " / " in message  # French, then English


def test_unknown_parameters_are_ignored(api, catalogue):
    assert api.get(LIST, {"format_version": "2"}).json()["count"] == 4


def test_detail_has_the_fixed_fields(api, catalogue):
    response = api.get(f"{LIST}RNCP37674/")

    assert response.status_code == 200
    fiche = response.json()
    assert fiche["code"] == "RNCP37674"
    assert fiche["title"] == "CQPM Soudeur industriel"
    assert fiche["kind"] == "CQPM"
    assert fiche["registry"] == "RNCP"
    assert fiche["level"] == 4
    assert fiche["level_code"] == "NIV4"
    assert fiche["active"] is True
    assert fiche["lifecycle"] == "ACTIVE"
    assert fiche["registration_end"] == "2028-06-30"
    assert fiche["registration"]["end"] == "2028-06-30"
    assert fiche["certifiers"] == [
        {"siret": "77567227400024", "name": "UIMM — Union des industries et métiers de la métallurgie"}
    ]
    assert fiche["branches"] == [{"slug": "metallurgie", "name": "Métallurgie"}]
    assert fiche["idcc"] == ["3248"]
    assert fiche["blocks"] == [
        {
            "code": "RNCP37674BC01",
            "title": "Préparer un assemblage",
            "position": 1,
            "competencies": [
                "Lire un plan d'ensemble et une gamme de soudage",
                "Régler le poste à l'arc électrique",
            ],
            "assessment_methods": "",
            "criteria": [
                {"text": "Le plan est lu sans erreur", "mandatory": True},
                {"text": "Le poste est rangé", "mandatory": False},
            ],
        },
        {
            "code": "RNCP37674BC02",
            "title": "Souder en sécurité",
            "position": 2,
            "competencies": ["Souder des tôles d'acier en toutes positions"],
            "assessment_methods": "Mise en situation professionnelle",
            "criteria": [],
        },
    ]
    assert sorted(fiche["equivalences"], key=lambda e: e["target_certification"]) == [
        {"block": None, "target_certification": "CQP-00001", "target_block": None, "nature": "COMMON"},
        {
            "block": "RNCP37674BC02",
            "target_certification": "RNCP99999",
            "target_block": "RNCP99999BC03",
            "nature": "EQUIVALENT",
        },
    ]
    assert fiche["replaces"] == []
    assert fiche["replaced_by"] == []
    assert fiche["rome"] == [{"code": "H2913", "label": "Soudage manuel"}]
    assert fiche["nsf"] == ["254s"]
    assert fiche["formacodes"] == ["22654"]
    assert fiche["access_routes"] == ["FC", "CQ", "VAE"]
    assert fiche["vae_open"] is True
    assert fiche["cpf_eligible"] is True
    assert fiche["url"] == "http://testserver/certifications/RNCP37674/"


def test_detail_shows_the_lineage_both_ways(api, catalogue):
    old = api.get(f"{LIST}RNCP19468/").json()
    new = api.get(f"{LIST}RS6117/").json()

    assert old["replaced_by"] == ["RS6117"]
    assert old["replaces"] == []
    assert old["lifecycle"] == "REPLACED"
    assert old["active"] is False
    assert new["replaces"] == ["RNCP19468"]
    assert new["replaced_by"] == []
    assert new["lifecycle"] == "ACTIVE"


def test_detail_states_the_rights_of_each_registry(api, catalogue):
    rs = api.get(f"{LIST}RS6117/").json()
    unregistered = api.get(f"{LIST}CQP-00001/").json()

    assert (rs["registry"], rs["level"], rs["vae_open"], rs["cpf_eligible"]) == ("RS", None, False, True)
    assert rs["vae_reason"] == "La VAE n'est possible que pour une certification enregistrée au RNCP."
    assert unregistered["registry"] == "NONE"
    assert unregistered["kind"] == "CQPI"
    assert (unregistered["vae_open"], unregistered["cpf_eligible"]) == (False, False)
    assert unregistered["registration_end"] is None
    assert {b["slug"] for b in unregistered["branches"]} == {"metallurgie", "boulangerie"}


def test_detail_of_an_expired_certification_without_successor(api, catalogue):
    catalogue["welder"].active = False
    catalogue["welder"].save()

    assert api.get(f"{LIST}RNCP37674/").json()["lifecycle"] == "EXPIRED"


def test_detail_accepts_a_lower_case_code(api, catalogue):
    response = api.get(f"{LIST}rs6117/")

    assert response.status_code == 200
    assert response.json()["code"] == "RS6117"


def test_unknown_code_is_a_json_404(api, catalogue):
    response = api.get(f"{LIST}RNCP00000/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Certification introuvable : RNCP00000. / Certification not found: RNCP00000."}


def test_detail_ignores_list_filters(api, catalogue):
    assert api.get(f"{LIST}RS6117/", {"level": "abc"}).status_code == 200


def test_browsable_api_renders_for_people(api, catalogue):
    assert "CQPM Soudeur industriel" in api.get(LIST, HTTP_ACCEPT="text/html").content.decode()
    assert "Souder en sécurité" in api.get(f"{LIST}RNCP37674/", HTTP_ACCEPT="text/html").content.decode()
    assert api.get(LIST, {"level": "abc"}, HTTP_ACCEPT="text/html").status_code == 400
