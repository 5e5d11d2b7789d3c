"""The OpenAPI schema is complete and valid; the docs are served from the platform, with no CDN."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

FIXED_LIST_FIELDS = {"code", "title", "kind", "registry", "level", "active"}
FIXED_DETAIL_FIELDS = FIXED_LIST_FIELDS | {
    "registration_end",
    "certifiers",
    "blocks",
    "equivalences",
    "replaces",
    "replaced_by",
    "rome",
    "nsf",
    "vae_open",
    "cpf_eligible",
}
FILTERS = {"q", "registry", "level", "active", "kind", "branch", "certifier", "rome", "vae", "cpf"}


@pytest.fixture(scope="module")
def openapi(tmp_path_factory):
    """The schema as `manage.py spectacular` writes it, refusing any warning and validating it."""
    path = tmp_path_factory.mktemp("schema") / "openapi.json"
    call_command("spectacular", "--fail-on-warn", "--validate", "--format", "openapi-json", "--file", str(path))
    return json.loads(path.read_text())


def resolve(openapi, schema):
    name = schema["$ref"].rsplit("/", 1)[-1]
    return openapi["components"]["schemas"][name]


def response_schema(openapi, path, status="200"):
    return openapi["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


def row_schema(openapi, path):
    page = resolve(openapi, response_schema(openapi, path))
    return resolve(openapi, page["properties"]["results"]["items"])


def test_schema_is_openapi_3(openapi):
    assert openapi["openapi"].startswith("3.")
    assert openapi["info"]["version"] == "1.0.0"


def test_catalogue_paths_are_read_only(openapi):
    for path in [
        "/api/v1/certifications/",
        "/api/v1/certifications/{code}/",
        "/api/v1/branches/",
        "/api/v1/certifiers/",
    ]:
        assert set(openapi["paths"][path]) - {"parameters"} == {"get"}, path


def test_list_declares_every_filter_and_the_pagination(openapi):
    parameters = {p["name"]: p for p in openapi["paths"]["/api/v1/certifications/"]["get"]["parameters"]}

    assert FILTERS | {"page", "page_size"} <= set(parameters)
    assert set(parameters["registry"]["schema"]["enum"]) == {"RNCP", "RS", "NONE"}
    assert set(parameters["kind"]["schema"]["enum"]) == {"CQP", "CQPI", "CQPM", "OTHER"}
    assert parameters["level"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 8}
    assert parameters["active"]["schema"]["type"] == "boolean"
    assert parameters["page_size"]["schema"]["maximum"] == 100
    assert all(parameters[name]["description"] for name in FILTERS)


def test_list_rows_and_pages_have_the_fixed_fields(openapi):
    page = resolve(openapi, response_schema(openapi, "/api/v1/certifications/"))
    row = row_schema(openapi, "/api/v1/certifications/")

    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert set(row["properties"]) >= FIXED_LIST_FIELDS
    assert set(row["required"]) >= FIXED_LIST_FIELDS


def test_detail_has_the_fixed_fields(openapi):
    fiche = resolve(openapi, response_schema(openapi, "/api/v1/certifications/{code}/"))

    assert set(fiche["properties"]) >= FIXED_DETAIL_FIELDS
    assert set(fiche["required"]) >= FIXED_DETAIL_FIELDS
    properties = fiche["properties"]
    assert set(resolve(openapi, properties["certifiers"]["items"])["properties"]) == {"siret", "name"}
    assert {"code", "title", "competencies", "assessment_methods"} <= set(
        resolve(openapi, properties["blocks"]["items"])["properties"]
    )
    assert {"block", "target_certification", "target_block"} <= set(
        resolve(openapi, properties["equivalences"]["items"])["properties"]
    )
    assert set(resolve(openapi, properties["rome"]["items"])["properties"]) == {"code", "label"}
    for name in ("replaces", "replaced_by", "nsf"):
        assert (properties[name]["type"], properties[name]["items"]) == ("array", {"type": "string"}), name
    assert properties["registration_end"]["nullable"] is True


def test_errors_are_documented(openapi):
    listing = openapi["paths"]["/api/v1/certifications/"]["get"]["responses"]
    detail = openapi["paths"]["/api/v1/certifications/{code}/"]["get"]["responses"]

    assert {"200", "400", "404"} <= set(listing)
    assert "404" in detail


def test_token_scheme_is_declared(openapi):
    scheme = openapi["components"]["securitySchemes"]["tokenAuth"]

    assert scheme["type"] == "apiKey"
    assert scheme["name"] == "Authorization"


def test_branches_and_certifiers_have_their_fields(openapi):
    branch = resolve(
        openapi, resolve(openapi, response_schema(openapi, "/api/v1/branches/"))["properties"]["results"]["items"]
    )
    certifier = resolve(
        openapi, resolve(openapi, response_schema(openapi, "/api/v1/certifiers/"))["properties"]["results"]["items"]
    )

    assert {"slug", "name", "opco_name", "idcc", "certification_count"} <= set(branch["properties"])
    assert {"siret", "name", "active", "branches", "certification_count"} <= set(certifier["properties"])


def test_schema_is_served(api):
    response = api.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    assert "/api/v1/certifications/{code}/" in response.json()["paths"]
    assert api.get("/api/v1/schema/").status_code == 200


def test_docs_are_served_from_the_platform_only(api):
    response = api.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "SwaggerUIBundle" in html
    references = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert len(references) >= 4
    for reference in references:
        assert reference.startswith("/static/"), reference
        assert finders.find(reference.removeprefix("/static/")), f"{reference} is not shipped"
    assert re.search(r"""url:\s*["']/api/v1/schema/["']""", html)
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", html)
    # No badge fetched from validator.swagger.io.
    assert '"validatorUrl": null' in html
