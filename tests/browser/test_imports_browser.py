"""In a real Chromium: certifier staff download the template, upload a spreadsheet with one bad row, read
the row-level error, upload the corrected file and confirm; the candidacies are there. Axe on each page."""

import pytest

from cqp.accounts.models import User
from cqp.candidacies.models import Candidacy
from tests.candidacies.factories import certification_with_blocks, certifier_staff
from tests.imports.test_imports import csv_bytes, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-solide"


def test_staff_import_a_spreadsheet_fix_a_row_and_confirm(page, axe, tmp_path):
    certification = certification_with_blocks()
    staff = User.objects.get(pk=certifier_staff(certification.certifiers.get()).pk)
    staff.set_password(PASSWORD)
    staff.save(update_fields=["password"])
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/")

    page.goto("/espace/import/")
    axe(page, "imports-upload")
    bad = tmp_path / "candidatures.csv"
    bad.write_bytes(csv_bytes([row(1, certification.code), row(2, certification.code, birth="31/02/1990")]))
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(bad))
    page.get_by_role("button", name="Voir l'aperçu").click()
    page.wait_for_load_state()
    assert "31/02/1990" in page.content()
    assert page.get_by_role("button", name="Confirmer l'import").count() == 0
    axe(page, "imports-preview-errors")
    assert not Candidacy.objects.exists()

    good = tmp_path / "candidatures-corrigees.csv"
    good.write_bytes(csv_bytes([row(1, certification.code), row(2, certification.code)]))
    page.goto("/espace/import/")
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(good))
    page.get_by_role("button", name="Voir l'aperçu").click()
    page.wait_for_load_state()
    axe(page, "imports-preview-ready")
    page.get_by_role("button", name="Confirmer l'import").click()
    page.wait_for_load_state()
    axe(page, "imports-done")
    assert Candidacy.objects.filter(certification=certification).count() == 2
