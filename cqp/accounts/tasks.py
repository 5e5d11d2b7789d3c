"""E-mails about the account itself, sent through the tasks queue after the transaction commits.

The tasks take a user id and build the link when they run: no token is stored in the queue.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from .models import User
from .tokens import make_verification_token, verification_max_age


def _send(*, template: str, user: User, context: dict) -> None:
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    message = EmailMultiAlternatives(
        subject=render_to_string(f"accounts/email/{template}_subject.txt", context).strip(),
        body=render_to_string(f"accounts/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string(f"accounts/email/{template}.html", context), "text/html")
    message.send()


def _url(name: str, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


@task()
def send_verification_email(user_id: int) -> None:
    user = User.objects.get(pk=user_id)
    _send(
        template="verification",
        user=user,
        context={
            "verify_url": _url("accounts:verify", token=make_verification_token(user)),
            "days": verification_max_age().days,
        },
    )


@task()
def send_existing_account_email(user_id: int) -> None:
    """Someone tried to sign up with an address that already has an account: tell its owner only."""
    user = User.objects.get(pk=user_id)
    _send(
        template="existing_account",
        user=user,
        context={"login_url": _url("accounts:login"), "reset_url": _url("accounts:password_reset")},
    )


@task()
def send_password_reset_email(user_id: int) -> None:
    user = User.objects.get(pk=user_id)
    url = _url(
        "accounts:password_reset_confirm",
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    _send(template="password_reset", user=user, context={"reset_url": url, "days": days})
