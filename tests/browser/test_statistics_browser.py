"""In a real Chromium: the certifier's staff opens the statistics from the dashboard, reads the charts and
their tables, filters by period, downloads a table as CSV. Axe checks each page on the way."""

from pathlib import Path

import pytest

from cqp.accounts.models import User
from cqp.awards.services import session_deliver
from tests.candidacies.factories import certifier_staff
from tests.juries.factories import decided_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-solide"


def with_password(user):
    user = User.objects.get(pk=user.pk)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_statistics_charts_tables_filters_and_download(chromium, live_server, axe):
    session, candidacies, jury_staff = decided_session(opinions=("AWARD", "PARTIAL", "REFUSAL"))
    session_deliver(session=session, by=jury_staff)
    staff = with_password(certifier_staff(candidacies[0].certifier))
    context = chromium.new_context(
        locale="fr-FR", base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/compte/connexion/")
        page.get_by_label("Adresse e-mail").fill(staff.email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/espace/")
        page.get_by_role("link", name="Statistiques").click()
        page.wait_for_url("**/espace/statistiques/")
        assert page.get_by_role("heading", name="Statistiques", level=1).is_visible()
        assert page.get_by_role("img", name="Taux d'obtention par certification").count() == 1
        table = page.get_by_role("table", name="Taux d'obtention par certification")
        assert "33,3" in table.inner_text() or "33.3" in table.inner_text()
        axe(page, "statistics")

        page.get_by_label("Du", exact=True).fill("2000-01-01")
        page.get_by_label("Au", exact=True).fill("2000-12-31")
        page.get_by_role("button", name="Appliquer").click()
        page.wait_for_url("**date_from=2000-01-01**")
        assert "Aucune donnée pour ces filtres." in page.content()
        axe(page, "statistics-filtered")

        page.get_by_role("link", name="Tout effacer").click()
        page.wait_for_url("**/espace/statistiques/")
        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger (CSV) — Candidatures par voie").click()
        content = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert content.splitlines() == ["Voie;Candidatures", "Par la formation;3"]
    finally:
        context.close()
