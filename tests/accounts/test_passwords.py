"""Forgotten and changed passwords, the brakes on guessing, and how passwords are stored."""

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from config.settings import base
from cqp.accounts.models import User
from cqp.accounts.services import awaiting_verification
from cqp.candidacies.models import Candidate

from .conftest import link_in, make_user, text

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nouveau-mot-de-passe-2026"
RESET_PATH = "/compte/mot-de-passe/nouveau/"


def request_reset(client, capture, email):
    with capture(execute=True):
        return client.post(reverse("accounts:password_reset"), {"email": email})


def test_reset_through_the_e_mail_link(client, mailoutbox, django_capture_on_commit_callbacks):
    user = make_user("sam@exemple.fr", "ancien-mot-de-passe")
    response = request_reset(client, django_capture_on_commit_callbacks, "SAM@exemple.fr")
    assert response["Location"] == reverse("accounts:password_reset_done")
    [message] = mailoutbox
    assert message.to == ["sam@exemple.fr"] and "Nouveau mot de passe" in message.subject
    assert message.alternatives and "Bonjour Camille" in message.body

    link = link_in(message, RESET_PATH)
    form_page = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in text(form_page)
    set_password_url = form_page.redirect_chain[-1][0]

    weak = client.post(set_password_url, {"new_password1": "court", "new_password2": "court"})
    assert "trop court" in text(weak)
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link served once.
    assert "Lien non valide" in text(client.get(link, follow=True))
    assert (
        client.post(reverse("accounts:login"), {"username": "sam@exemple.fr", "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_reset_answers_the_same_for_an_unknown_address(client, mailoutbox, django_capture_on_commit_callbacks):
    response = request_reset(client, django_capture_on_commit_callbacks, "inconnu@exemple.fr")
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_a_tampered_reset_link_is_refused(client):
    user = make_user("sam@exemple.fr")
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    url = reverse("accounts:password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(user.pk)), "abc-123"])
    assert "Lien non valide" in text(client.get(url))


def test_a_reset_confirms_an_account_awaiting_confirmation(client, mailoutbox, django_capture_on_commit_callbacks):
    """Who lost both the sign-up e-mail and the password gets in by the reset link, which proves the mailbox."""
    data = {"email": "noa@exemple.fr", "first_name": "Noa", "last_name": "Petit", "consent": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:signup"), {**data, "password1": "Oublie-aussitot-26", "password2": "Oublie-aussitot-26"}
        )
    mailoutbox.clear()
    request_reset(client, django_capture_on_commit_callbacks, "noa@exemple.fr")
    form_page = client.get(link_in(mailoutbox[0], RESET_PATH), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user = User.objects.get(email="noa@exemple.fr")
    assert user.is_active and not awaiting_verification(user)
    assert Candidate.objects.filter(user=user, last_name="Petit").exists()


def test_change_password_when_signed_in(client):
    user = make_user("sam@exemple.fr", "ancien-mot-de-passe")
    assert client.get(reverse("accounts:password_change"))["Location"].startswith(reverse("accounts:login"))
    client.force_login(user)
    wrong = client.post(
        reverse("accounts:password_change"),
        {"old_password": "faux", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "ancien mot de passe est incorrect" in text(wrong)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "ancien-mot-de-passe", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert get_user(client) == user  # still signed in after the change


def test_repeated_failed_sign_ins_are_slowed_down(client):
    make_user("sam@exemple.fr", "le-bon-mot-de-passe")
    for _ in range(5):
        response = client.post(reverse("accounts:login"), {"username": "sam@exemple.fr", "password": "mauvais"})
        assert "incorrect" in text(response)
    # Even the right password waits now, with a message that says why and what to do.
    response = client.post(reverse("accounts:login"), {"username": "sam@exemple.fr", "password": "le-bon-mot-de-passe"})
    assert response.status_code == 200 and "Trop de tentatives" in text(response)
    assert not get_user(client).is_authenticated
    # Another address from elsewhere is not held back.
    make_user("alex@exemple.fr", "un-autre-mot-de-passe")
    response = client.post(
        reverse("accounts:login"),
        {"username": "alex@exemple.fr", "password": "un-autre-mot-de-passe"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302


def test_repeated_reset_requests_are_slowed_down(client, mailoutbox, django_capture_on_commit_callbacks):
    make_user("sam@exemple.fr")
    for _ in range(3):
        request_reset(client, django_capture_on_commit_callbacks, "sam@exemple.fr")
    response = request_reset(client, django_capture_on_commit_callbacks, "sam@exemple.fr")
    assert response.status_code == 200 and "Trop de tentatives" in text(response)
    assert len(mailoutbox) == 3


def test_argon2_hashes_passwords_in_the_platform_settings():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert identify_hasher(make_password("un-mot-de-passe")).algorithm == "argon2"
