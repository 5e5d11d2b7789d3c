"""The API over real registry data: the CSV export of 2024-02-22, imported with the platform's command."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(shared_data):
    call_command("import_registry", str(shared_data / "france-competences" / "export-fiches-csv-2024-02-22.zip"))


def test_cqp_tourier_and_its_predecessor(api, imported):
    rows = {row["code"]: row for row in api.get("/api/v1/certifications/", {"q": "TOURIER"}).json()["results"]}

    assert set(rows) == {"RS6117", "RNCP19468"}
    assert (rows["RS6117"]["kind"], rows["RS6117"]["registry"], rows["RS6117"]["active"]) == ("CQP", "RS", True)
    assert (rows["RNCP19468"]["registry"], rows["RNCP19468"]["active"]) == ("RNCP", False)

    new = api.get("/api/v1/certifications/RS6117/").json()
    old = api.get("/api/v1/certifications/RNCP19468/").json()

    assert new["replaces"] == ["RNCP19468"]
    assert (old["replaced_by"], old["lifecycle"]) == (["RS6117"], "REPLACED")
    assert (new["vae_open"], new["cpf_eligible"]) == (False, True)  # RS: CPF, never VAE
    assert (old["vae_open"], old["cpf_eligible"]) == (False, False)  # no longer active
    assert "78466840200018" in {certifier["siret"] for certifier in new["certifiers"]}
    assert new["registration_end"] == "2025-09-29"


def test_real_certifier_filter(api, imported):
    codes = {
        row["code"] for row in api.get("/api/v1/certifications/", {"certifier": "78466840200018"}).json()["results"]
    }

    assert {"RS6117", "RNCP19468"} <= codes
