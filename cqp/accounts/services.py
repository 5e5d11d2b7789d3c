"""Accounts: self-registration with a verified address, and the export of a person's own data."""

from datetime import timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqp.candidacies.models import Candidacy, Candidate, Message
from cqp.core.models import AuditEvent

from . import tasks
from .enums import Role
from .models import Membership, User

AUDIT_OBJECT_TYPE = "accounts.User"
SIGNUP = "account.signup"
VERIFY = "account.verify"
PURGE = "account.purge_unconfirmed"


def _audit(*, user, by, action, after=None, reason=""):
    AuditEvent.objects.create(
        actor=by,
        action=action,
        object_type=AUDIT_OBJECT_TYPE,
        object_id=str(user.pk),
        after=after,
        reason=reason,
    )


def awaiting_verification(user: User) -> bool:
    """Signed up on the platform and not yet confirmed the address.

    Not the same as inactive: an account an administrator switched off must stay off, whatever
    links its owner holds. The trail tells the two apart without a field of its own.
    """
    if user.is_active:
        return False
    actions = set(
        AuditEvent.objects.filter(
            object_type=AUDIT_OBJECT_TYPE, object_id=str(user.pk), action__in=[SIGNUP, VERIFY]
        ).values_list("action", flat=True)
    )
    return actions == {SIGNUP}


def _enqueue_after_commit(task, user_id):
    transaction.on_commit(partial(task.enqueue, user_id))


@transaction.atomic
def candidate_signup(*, email: str, first_name: str, last_name: str, password: str, consent: str) -> User | None:
    """Open an account that signs in only once its address is confirmed.

    The answer is the same whether or not the address is known (no one learns who has an
    account here): a known address gets an e-mail to its owner instead of a second account.
    Returns the new user, or None when the address was already taken.
    """
    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if awaiting_verification(existing):
            _enqueue_after_commit(tasks.send_verification_email, existing.pk)
        elif existing.is_active:
            _enqueue_after_commit(tasks.send_existing_account_email, existing.pk)
        return None
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip(), is_active=False)
    user.set_password(password)
    user.save()
    _audit(
        user=user,
        by=None,
        action=SIGNUP,
        # The consent only: the trail outlives an account purged unconfirmed, and must not keep its identity.
        after={"consent": consent},
        reason=_("Inscription en ligne d'un candidat"),
    )
    _enqueue_after_commit(tasks.send_verification_email, user.pk)
    return user


@transaction.atomic
def verification_resend(*, email: str) -> None:
    """Send the link again if this address awaits confirmation; otherwise do nothing visible."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is not None and awaiting_verification(user):
        _enqueue_after_commit(tasks.send_verification_email, user.pk)


@transaction.atomic
def account_verify(*, user: User) -> User:
    """Confirm the address: the account becomes active and its holder a candidate."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not awaiting_verification(user):
        raise ValidationError(_("Cette adresse est déjà confirmée, ou ce compte n'attend pas de confirmation."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    Candidate.objects.get_or_create(
        user=user, defaults={"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
    )
    Membership.objects.get_or_create(user=user, role=Role.CANDIDATE, organisation=None, certifier=None)
    _audit(user=user, by=user, action=VERIFY, after={"is_active": True}, reason=_("Adresse e-mail confirmée"))
    return user


@transaction.atomic
def unconfirmed_accounts_purge(*, older_than_days: int = 30, by=None) -> int:
    """Delete the accounts never confirmed within this many days: nobody uses them, the law says keep nothing."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    stale = [
        user
        for user in User.objects.filter(is_active=False, last_login__isnull=True, date_joined__lt=cutoff)
        if awaiting_verification(user)
    ]
    for user in stale:
        _audit(user=user, by=by, action=PURGE, reason=_("Compte jamais confirmé, supprimé"))
        user.delete()
    return len(stale)


def password_reset_request(*, users) -> None:
    """E-mail a reset link to each of these accounts once the transaction commits."""
    for user in users:
        _enqueue_after_commit(tasks.send_password_reset_email, user.pk)


# --------------------------------------------------------------------------- personal data


def _date(value):
    return value.isoformat() if value else None


def _org(organisation):
    return {"id": organisation.pk, "name": organisation.name} if organisation else None


def personal_data_export(*, user: User) -> dict:
    """Everything the platform holds about this person, and nothing about anyone else.

    Other people appear only as the organisations involved and as whether an act was the person's
    own: the names of the staff who acted are their data, not this person's.
    """
    memberships = user.memberships.select_related("certifier", "organisation").order_by("created_at", "pk")
    data = {
        "generated_at": _date(timezone.now()),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _date(user.date_joined),
            "last_login": _date(user.last_login),
            "is_active": user.is_active,
        },
        "memberships": [
            {
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "certifier": _org(m.certifier),
                "organisation": _org(m.organisation),
                "since": _date(m.created_at),
            }
            for m in memberships
        ],
        "candidate": None,
        "candidacies": [],
        "messages_written": [
            {"candidacy_id": m.candidacy_id, "sent_at": _date(m.sent_at), "body": m.body}
            for m in Message.objects.filter(author=user).order_by("sent_at", "pk")
        ],
    }
    candidate = Candidate.objects.filter(user=user).first()
    if candidate is None:
        return data
    data["candidate"] = {
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "birth_date": _date(candidate.birth_date),
        "email": candidate.email,
        "other_first_names": candidate.other_first_names,
        "usage_name": candidate.usage_name,
        "sex": candidate.sex,
        "birth_country": candidate.birth_country,
        "birth_insee_code": candidate.birth_insee_code,
        "birth_postal_code": candidate.birth_postal_code,
        "birth_city": candidate.birth_city,
        "created_at": _date(candidate.created_at),
    }
    candidacies = (
        Candidacy.objects.filter(candidate=candidate)
        .select_related("certification", "certifier", "employer", "tutor", "training_org", "assessment_centre")
        .prefetch_related(
            "blocks__block", "events", "experience_periods", "documents", "awards__blocks", "awards__credential"
        )
        .order_by("created_at", "pk")
    )
    for candidacy in candidacies:
        data["candidacies"].append(
            {
                "id": candidacy.pk,
                "certification": {"code": candidacy.certification.code, "title": candidacy.certification.title},
                "certifier": _org(candidacy.certifier),
                "path": candidacy.path,
                "situation": candidacy.situation,
                "funding": candidacy.funding,
                "state": candidacy.state,
                "state_label": str(candidacy.get_state_display()),
                "employer": _org(candidacy.employer),
                "tutor": (
                    {"first_name": candidacy.tutor.first_name, "last_name": candidacy.tutor.last_name}
                    if candidacy.tutor
                    else None
                ),
                "training_org": _org(candidacy.training_org),
                "assessment_centre": _org(candidacy.assessment_centre),
                "created_at": _date(candidacy.created_at),
                "blocks": [
                    {"code": b.block.code, "title": b.block.title, "status": b.status} for b in candidacy.blocks.all()
                ],
                "experience_periods": [
                    {
                        "start": _date(p.start),
                        "end": _date(p.end),
                        "job_title": p.job_title,
                        "employer_name": p.employer_name,
                    }
                    for p in candidacy.experience_periods.all()
                ],
                "events": [
                    {
                        "at": _date(e.at),
                        "name": e.name,
                        "from_state": e.from_state,
                        "to_state": e.to_state,
                        "comment": e.comment,
                        "by_me": e.by_id == user.pk,
                    }
                    for e in candidacy.events.all()
                ],
                "documents": [
                    {
                        "kind": d.kind,
                        "original_name": d.original_name,
                        "content_type": d.content_type,
                        "size": d.size,
                        "uploaded_at": _date(d.uploaded_at),
                        "uploaded_by_me": d.uploaded_by_id == user.pk,
                    }
                    for d in candidacy.documents.all()
                ],
                "awards": [_award(a) for a in candidacy.awards.all()],
            }
        )
    return data


def _award(award) -> dict:
    """A certificate or attestation as its holder exports it, with the signed credential as issued."""
    import json

    from cqp.credentials.openbadges import verification_url

    credential = getattr(award, "credential", None)
    return {
        "number": award.number,
        "kind": award.kind,
        "delivered_on": _date(award.delivered_on),
        "blocks": [block.code for block in award.blocks.all()],
        "revoked_at": _date(award.revoked_at),
        "verification_url": verification_url(award),
        "credential": json.loads(credential.signed_json) if credential else None,
    }
