"""Certifier staff make a new version of a CQP, check its block correspondences, retire the old one and move a
candidacy, in a real Chromium, every page checked with axe."""

import re

import pytest

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.candidacies.models import Candidacy
from cqp.catalogue import services
from tests.candidacies.factories import candidacy as make_candidacy
from tests.catalogue.factories import CertifierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-cqp-2026"


@pytest.fixture
def old_version():
    certifier = CertifierFactory(name="CPNE de la plasturgie")
    user = User.objects.create_user("nadia.roux@cpne.example", PASSWORD, first_name="Nadia", last_name="Roux")
    Membership.objects.create(user=user, role=Role.CERTIFIER_STAFF, certifier=certifier)
    old = services.certification_create(by=user, certifier=certifier, title="CQP Régleur en injection", kind="CQP")
    for title in ("Préparer le moule", "Conduire la presse"):
        block = services.block_create(certification=old, by=user, title=title, competencies=["Compétence"])
        services.criterion_create(block=block, by=user, text="Le réglage est conforme")
    return old


def test_new_version_correspondences_retirement_and_migration(page, axe, old_version):
    waiting = make_candidacy(certification=old_version)
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("nadia.roux@cpne.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/")

    page.goto(f"/espace/certifications/{old_version.code}/")
    page.get_by_role("link", name="Créer une nouvelle version").click()
    page.wait_for_url("**/nouvelle-version/")
    axe(page, "versions-create")
    page.get_by_label("Intitulé de la nouvelle version").fill("CQP Régleur en injection (2027)")
    page.get_by_role("button", name="Créer la nouvelle version").click()
    page.wait_for_url(re.compile(r"/espace/certifications/CQP-\d+/$"))
    new_code = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert "en préparation" in page.content()

    page.get_by_role("link", name="Correspondances avec la version précédente").click()
    page.wait_for_url("**/correspondances/")
    axe(page, "versions-correspondences")
    assert page.get_by_role("table").get_by_text(f"{new_code}BC02").is_visible()
    # A second old block for the same new block is refused, with the reason shown.
    new_first = old_version.__class__.objects.get(code=new_code).blocks.get(position=1)
    old_second = old_version.blocks.get(position=2)
    page.get_by_label("Bloc de la nouvelle version").select_option(str(new_first.pk))
    page.get_by_label("Bloc de l'ancienne version qu'il reprend").select_option(str(old_second.pk))
    page.get_by_role("button", name="Déclarer la correspondance").click()
    assert "ne reprend qu'un seul ancien bloc" in page.get_by_role("alert").inner_text()
    axe(page, "versions-correspondences-refused")

    page.goto(f"/espace/certifications/{old_version.code}/")
    page.get_by_role("link", name="Retirer cette version à une date").click()
    page.wait_for_url("**/retrait/")
    axe(page, "versions-retire")
    page.get_by_label("Plus de nouvelle candidature à partir du").fill("2030-01-01")
    page.get_by_role("button", name="Enregistrer la date de retrait").click()
    page.wait_for_url("**#versions")
    assert "ne reçoit plus de nouvelle candidature" in page.locator(".messages").inner_text()

    page.get_by_role("link", name="Faire passer des candidatures en cours sur la nouvelle version").click()
    page.wait_for_url("**/candidatures-nouvelle-version/")
    axe(page, "versions-migrate")
    page.get_by_label(re.compile(f"n° {waiting.pk} ")).check()
    page.get_by_role("button", name="Faire passer les candidatures cochées").click()
    page.wait_for_url("**/candidatures-nouvelle-version/?nouvelle=*")
    assert "1 candidature(s) passée(s)" in page.locator(".messages").inner_text()
    assert Candidacy.objects.get(pk=waiting.pk).certification.code == new_code

    page.goto(f"/certifications/{old_version.code}/")
    assert "Correspondance des blocs entre versions" in page.content()
    axe(page, "versions-public-fiche")
