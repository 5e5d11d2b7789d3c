"""A candidate signs up, confirms the address from the e-mail, reads their data; a forgotten password."""

import re

import pytest
from django.core import mail

from cqp.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Un-mot-de-passe-solide-2026"


def last_link(path_start):
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"\S*)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_a_candidate_signs_up_confirms_and_downloads_their_data(page, axe, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []

    page.goto("/compte/connexion/")
    page.get_by_role("link", name="Créer mon compte candidat").click()
    page.wait_for_url("**/compte/inscription/")
    axe(page, "accounts-signup")

    # A first try with two different passwords: the page says what to fix, with links to the fields.
    page.get_by_role("textbox", name="Adresse e-mail").fill("lea.moreau@exemple.fr")
    page.get_by_role("textbox", name="Prénom").fill("Léa")
    page.get_by_role("textbox", name="Nom de naissance").fill("Moreau")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill("autre-chose-2026")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Créer mon compte").click()
    alert = page.get_by_role("alert")
    assert "pas identiques" in alert.inner_text()
    axe(page, "accounts-signup-errors")

    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/compte/inscription/envoyee/")
    assert page.get_by_role("heading", level=1).inner_text() == "Confirmez votre adresse e-mail"
    axe(page, "accounts-signup-done")

    # The link of the e-mail: a confirmation page, then the account opens.
    page.goto(last_link("/compte/inscription/confirmer/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Confirmer mon adresse e-mail"
    axe(page, "accounts-verify")
    page.get_by_label("Mot de passe choisi à l'inscription").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer et me connecter").click()
    page.wait_for_url("**/espace/")
    assert "Votre adresse est confirmée" in page.locator(".messages").inner_text()
    assert User.objects.get(email="lea.moreau@exemple.fr").is_active

    page.goto("/compte/mes-donnees/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mes données"
    axe(page, "accounts-my-data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mes données (JSON)").click()
    assert download.value.suggested_filename.startswith("mes-donnees-cqp-")

    # The same link again: it says it has served, and signs no one in.
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(last_link("/compte/inscription/confirmer/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Lien déjà utilisé"
    axe(page, "accounts-verify-used")


def test_a_broken_link_and_a_forgotten_password(page, axe, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    User.objects.create_user("sam@exemple.fr", "ancien-mot-de-passe-26", first_name="Sam")

    page.goto("/compte/inscription/confirmer/abimé/")
    assert page.get_by_role("heading", level=1).inner_text() == "Lien non valide"
    axe(page, "accounts-verify-invalid")

    page.goto("/compte/connexion/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.wait_for_url("**/compte/mot-de-passe/oublie/")
    axe(page, "accounts-reset-request")
    page.get_by_label("Adresse e-mail").fill("sam@exemple.fr")
    page.get_by_role("button", name="Recevoir le lien").click()
    page.wait_for_url("**/compte/mot-de-passe/oublie/envoye/")
    axe(page, "accounts-reset-sent")

    page.goto(last_link("/compte/mot-de-passe/nouveau/"))
    page.wait_for_url("**/set-password/")
    axe(page, "accounts-reset-new-password")
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    page.wait_for_url("**/compte/mot-de-passe/nouveau/fait/")
    page.get_by_role("link", name="Se connecter").last.click()
    page.get_by_label("Adresse e-mail").fill("sam@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/")
