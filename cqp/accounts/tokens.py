"""The signed, expiring link that confirms a self-registered address.

django.core.signing rather than a PasswordResetTokenGenerator: it tells an expired link from a
tampered one, so that each gets its own page. The address is in the payload, so a link stops
working if the account's address changes; a link is single-use because verification ends the
account's "awaiting verification" state, which the view checks.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

from .models import User

SALT = "cqp.accounts.verification"


def verification_max_age() -> timedelta:
    return timedelta(days=getattr(settings, "ACCOUNT_VERIFICATION_DAYS", 3))


def make_verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=SALT)


@dataclass(frozen=True)
class VerificationCheck:
    status: str  # "valid", "expired", "invalid"
    user: User | None = None


def read_verification_token(token: str) -> VerificationCheck:
    try:
        payload = signing.loads(token, salt=SALT, max_age=verification_max_age())
    except signing.SignatureExpired:
        return VerificationCheck("expired")
    except signing.BadSignature:
        return VerificationCheck("invalid")
    user = User.objects.filter(pk=payload.get("u"), email=payload.get("e")).first()
    if user is None:
        return VerificationCheck("invalid")
    return VerificationCheck("valid", user)
