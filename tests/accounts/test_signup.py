"""A candidate opens an account: sign-up, the e-mail link, confirmation, and what goes wrong."""

import time

import pytest
from django.contrib.auth import get_user
from django.core import signing
from django.urls import reverse

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.accounts.services import awaiting_verification
from cqp.candidacies.models import Candidate
from cqp.core.models import AuditEvent

from .conftest import link_in, make_user, text

pytestmark = pytest.mark.django_db

PASSWORD = "Un-mot-de-passe-solide-2026"
VERIFY_PATH = "/compte/inscription/confirmer/"


def signup_data(**overrides):
    return {
        "email": "Lea.Moreau@Exemple.fr",
        "first_name": "Léa",
        "last_name": "Moreau",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
        **overrides,
    }


def sign_up(client, capture, **overrides):
    with capture(execute=True):
        return client.post(reverse("accounts:signup"), signup_data(**overrides))


def test_sign_up_then_confirm_through_the_e_mail_link(client, mailoutbox, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signup_done")
    assert "lea.moreau@exemple.fr" in text(client.get(response["Location"]))

    user = User.objects.get(email="lea.moreau@exemple.fr")
    assert not user.is_active and awaiting_verification(user)
    assert not Candidate.objects.filter(user=user).exists()
    consent = AuditEvent.objects.get(action="account.signup", object_id=str(user.pk))
    assert "données personnelles" in consent.after["consent"]

    # Not before the address is confirmed.
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 200 and not get_user(client).is_authenticated

    [message] = mailoutbox
    assert message.to == ["lea.moreau@exemple.fr"]
    assert "Confirmez votre adresse" in message.subject
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    link = link_in(message, VERIFY_PATH)

    page = client.get(link)
    assert page.status_code == 200 and "Confirmer mon adresse" in text(page)
    assert User.objects.get(pk=user.pk).is_active is False  # opening the link alone confirms nothing

    response = client.post(link, {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("www:dashboard")
    assert get_user(client) == user
    user.refresh_from_db()
    assert user.is_active and not awaiting_verification(user)
    candidate = Candidate.objects.get(user=user)
    assert (candidate.first_name, candidate.last_name, candidate.email) == ("Léa", "Moreau", user.email)
    assert Membership.objects.filter(user=user, role=Role.CANDIDATE).count() == 1

    # The link served once: the second visit says so and signs no one in.
    client.logout()
    again = client.get(link)
    assert again.status_code == 400 and "Lien déjà utilisé" in text(again)
    assert client.post(link, {"password": PASSWORD}).status_code == 400
    assert not get_user(client).is_authenticated
    assert Candidate.objects.filter(user=user).count() == 1


def test_confirmation_needs_the_password_chosen_at_sign_up(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0], VERIFY_PATH)
    response = client.post(link, {"password": "pas-le-bon-mot-de-passe"})
    assert response.status_code == 200
    assert "Ce n'est pas le mot de passe choisi" in text(response)
    assert not User.objects.get(email="lea.moreau@exemple.fr").is_active


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "pas-une-adresse"}, "email", "adresse e-mail complète"),
        ({"first_name": ""}, "first_name", "obligatoire"),
        ({"password2": "autre-chose-2026"}, "password2", "pas identiques"),
        ({"password1": "court", "password2": "court"}, "password1", "trop court"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1", "entièrement numérique"),
        ({"password1": "lea.moreau2", "password2": "lea.moreau2"}, "password1", "trop semblable"),
        ({"consent": ""}, "consent", "Cochez la case"),
    ],
)
def test_bad_input_says_what_to_fix_and_creates_nothing(client, mailoutbox, overrides, field, message):
    response = client.post(reverse("accounts:signup"), signup_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert "Rien n'a été enregistré" in text(response)
    assert not User.objects.exists() and mailoutbox == []


def test_an_address_already_taken_gets_the_same_answer_and_its_owner_an_e_mail(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    owner = make_user("lea.moreau@exemple.fr")
    password_before = owner.password
    response = sign_up(
        client, django_capture_on_commit_callbacks, password1="autre-Mot-2026!", password2="autre-Mot-2026!"
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signup_done")
    owner.refresh_from_db()
    assert owner.password == password_before and User.objects.count() == 1
    [message] = mailoutbox
    assert message.to == [owner.email] and "déjà un compte" in message.subject
    assert reverse("accounts:password_reset") in message.body and message.alternatives


def test_signing_up_again_before_confirming_sends_the_link_again(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    sign_up(client, django_capture_on_commit_callbacks, password1="autre-Mot-2026!", password2="autre-Mot-2026!")
    assert User.objects.count() == 1 and len(mailoutbox) == 2
    # The first password stands: a second sign-up never replaces it.
    assert User.objects.get().check_password(PASSWORD)
    assert VERIFY_PATH in mailoutbox[1].body


def test_an_expired_link_says_so_and_offers_a_new_one(
    client, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    four_days_ago = int(time.time()) - 4 * 86400
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(four_days_ago))
    sign_up(client, django_capture_on_commit_callbacks)
    monkeypatch.undo()
    link = link_in(mailoutbox[0], VERIFY_PATH)
    response = client.get(link)
    page = text(response)
    assert response.status_code == 400 and "Lien expiré" in page
    assert reverse("accounts:verification_resend") in page and 'id="id_email"' in page
    assert client.post(link, {"password": PASSWORD}).status_code == 400
    assert not User.objects.get().is_active


@pytest.mark.parametrize("tamper", ["flip", "truncate", "other_user"])
def test_a_tampered_link_is_refused(client, mailoutbox, django_capture_on_commit_callbacks, tamper):
    sign_up(client, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0], VERIFY_PATH)
    token = link.removeprefix(VERIFY_PATH).rstrip("/")
    if tamper == "flip":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif tamper == "truncate":
        token = token[: len(token) // 2]
    else:
        # A payload naming another account, signed with another salt: the signature does not hold.
        other = make_user()
        token = signing.dumps({"u": other.pk, "e": other.email}, salt="something-else")
    response = client.get(reverse("accounts:verify", args=[token]))
    assert response.status_code == 400 and "Lien non valide" in text(response)
    assert not User.objects.get(email="lea.moreau@exemple.fr").is_active


def test_resend_does_not_tell_whether_an_address_exists(client, mailoutbox, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    make_user("deja.active@exemple.fr")
    answers = []
    for email in ["lea.moreau@exemple.fr", "personne@exemple.fr", "deja.active@exemple.fr"]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:verification_resend"), {"email": email})
        answers.append((response.status_code, response["Location"]))
    assert len(set(answers)) == 1
    # Only the account awaiting confirmation gets a link.
    assert [m.to for m in mailoutbox] == [["lea.moreau@exemple.fr"]]
    response = client.post(link_in(mailoutbox[0], VERIFY_PATH), {"password": PASSWORD})
    assert response.status_code == 302 and get_user(client).email == "lea.moreau@exemple.fr"


def test_an_account_switched_off_by_an_administrator_stays_off(client, mailoutbox, django_capture_on_commit_callbacks):
    switched_off = make_user("ancien@exemple.fr", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:verification_resend"), {"email": switched_off.email})
        sign_up(client, django_capture_on_commit_callbacks, email=switched_off.email)
        client.post(reverse("accounts:password_reset"), {"email": switched_off.email})
    assert mailoutbox == []
    # Even a well-signed link does not open it.
    from cqp.accounts.tokens import make_verification_token

    response = client.post(reverse("accounts:verify", args=[make_verification_token(switched_off)]), {"password": "x"})
    assert response.status_code == 400
    switched_off.refresh_from_db()
    assert not switched_off.is_active


def test_signed_in_people_skip_the_sign_up_page(client):
    client.force_login(make_user())
    assert client.get(reverse("accounts:signup"))["Location"] == reverse("www:dashboard")


def test_login_page_links_to_sign_up_and_reset(client):
    page = text(client.get(reverse("accounts:login")))
    assert reverse("accounts:signup") in page and reverse("accounts:password_reset") in page


def test_accounts_never_confirmed_are_deleted_after_a_while(client, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    sign_up(client, django_capture_on_commit_callbacks)
    sign_up(client, django_capture_on_commit_callbacks, email="recent@exemple.fr")
    switched_off = make_user("ancien@exemple.fr", is_active=False)
    User.objects.filter(email__in=["lea.moreau@exemple.fr", "ancien@exemple.fr"]).update(
        date_joined=timezone.now() - timedelta(days=31)
    )
    call_command("purge_unconfirmed_accounts", "--days", "30")
    assert set(User.objects.values_list("email", flat=True)) == {"recent@exemple.fr", switched_off.email}
    purge = AuditEvent.objects.get(action="account.purge_unconfirmed")
    # The trail keeps that it happened, not who it was.
    kept = AuditEvent.objects.filter(object_id=purge.object_id).values_list("after", flat=True)
    assert "lea.moreau" not in str(list(kept)) and "Moreau" not in str(list(kept))


def test_the_html_part_carries_the_same_link(client, mailoutbox, settings, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0], VERIFY_PATH)
    html_part = mailoutbox[0].alternatives[0][0]
    assert f'href="{settings.SITE_URL}{link}"' in html_part


def test_repeated_sign_ups_for_one_address_are_slowed_down(client, mailoutbox, django_capture_on_commit_callbacks):
    for _ in range(3):
        sign_up(client, django_capture_on_commit_callbacks)
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "Trop de tentatives" in text(response)
    assert len(mailoutbox) == 3
