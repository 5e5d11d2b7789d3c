"""Who applies for whom: the person behind a candidacy, enrolment by an employer or a certifier, tutors.

A person applies for themself; an employer member enrols an employee of their organisation;
certifier staff enrol anyone on a certification of their certifier; a platform administrator
anyone. The rules of the candidacy itself are services.candidacy_create's; this module settles the
people and organisations, each function in one transaction so that a refusal writes nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, Organisation, User
from cqp.core.models import AuditEvent

from . import services
from .models import Candidacy, Candidate, Tutor

TUTOR_FIELDS = ("first_name", "last_name", "job_title", "email")


def candidate_for_user(user) -> Candidate:
    """The person's own Candidate row, made from their account when missing (names go on the certificate)."""
    candidate = Candidate.objects.filter(user=user).first()
    if candidate is not None:
        return candidate
    if not (user.first_name.strip() and user.last_name.strip()):
        raise ValidationError(
            {
                "candidate": [
                    _("Indiquez d'abord vos prénom et nom dans votre compte : ils figureront sur le certificat.")
                ]
            }
        )
    return Candidate.objects.create(
        user=user, first_name=user.first_name.strip(), last_name=user.last_name.strip(), email=user.email
    )


def candidate_for_identity(identity) -> Candidate:
    """The person named in the body: their own record when they have an account, or one kept by e-mail."""
    email = identity["email"].strip().lower()
    account = User.objects.filter(email__iexact=email).first()
    if account is not None:
        candidate = Candidate.objects.filter(user=account).first()
        if candidate is not None:
            return candidate
        return Candidate.objects.create(
            user=account, first_name=identity["first_name"], last_name=identity["last_name"], email=email
        )
    candidate = Candidate.objects.filter(
        user__isnull=True,
        email__iexact=email,
        first_name__iexact=identity["first_name"],
        last_name__iexact=identity["last_name"],
    ).first()
    return candidate or Candidate.objects.create(
        first_name=identity["first_name"], last_name=identity["last_name"], email=email
    )


@transaction.atomic
def candidacy_create_for(*, by, data: dict) -> Candidacy:
    """Create the candidacy `data` describes (the API body, validated), acting as `by` may act.

    Raises PermissionDenied when `by` may not enrol someone else, ValidationError (French, by
    field) when the body or the rules refuse; nothing is written then.
    """
    data = dict(data)
    identity = data.pop("candidate", None)
    certification = data.pop("certification")
    certifier = data.pop("certifier", None)
    employer = data.pop("employer", None)
    certification_certifiers = {c.pk for c in certification.certifiers.all()}

    if identity is None:
        candidate = candidate_for_user(by)
    else:
        memberships = list(Membership.objects.filter(user=by).values_list("role", "certifier_id", "organisation_id"))
        own_certifiers = {c for role, c, _ in memberships if role == Role.CERTIFIER_STAFF and c}
        own_employers = {o for role, _, o in memberships if role == Role.EMPLOYER and o}
        if by.is_superuser or own_certifiers & certification_certifiers:
            if certifier is not None and not by.is_superuser and certifier.pk not in own_certifiers:
                raise ValidationError({"certifier": [_("Vous n'agissez pas pour ce certificateur.")]})
            if certifier is None and not by.is_superuser:
                certifier = next(c for c in certification.certifiers.all() if c.pk in own_certifiers)
        elif own_employers:
            if employer is None and len(own_employers) == 1:
                employer = Organisation.objects.get(pk=own_employers.pop())
            elif employer is None:
                raise ValidationError(
                    {
                        "employer": [
                            _("Vous représentez plusieurs entreprises : indiquez laquelle emploie cette personne.")
                        ]
                    }
                )
            elif employer.pk not in own_employers:
                raise ValidationError(
                    {"employer": [_("Vous ne pouvez inscrire que les salariés de votre entreprise.")]}
                )
        elif own_certifiers:
            raise ValidationError(
                {"certification": [_("Cette certification n'est pas délivrée par votre certificateur.")]}
            )
        else:
            raise PermissionDenied(
                _(
                    "Seuls une entreprise (pour ses salariés) et un certificateur (pour ses certifications) peuvent "
                    "inscrire une autre personne. Pour candidater vous-même, n'envoyez pas « candidate »."
                )
            )
        candidate = candidate_for_identity(identity)

    return services.candidacy_create(
        by=by,
        candidate=candidate,
        certification=certification,
        certifier=certifier,
        employer=employer,
        path=data.pop("path"),
        situation=data.pop("situation"),
        funding=data.pop("funding", ""),
        tutor=data.pop("tutor", None),
        experience_periods=data.pop("experience_periods", []),
        block_codes=data.pop("blocks", None),
    )


@transaction.atomic
def candidacy_apply(*, by, submit: bool, **fields) -> Candidacy:
    """A person applies for themself: their Candidate row (made from their account if missing), the
    candidacy in draft, then deposited when `submit`."""
    candidacy = services.candidacy_create(by=by, candidate=candidate_for_user(by), **fields)
    if submit:
        candidacy = services.candidacy_transition(candidacy=candidacy, name="submit", by=by)
    return candidacy


@transaction.atomic
def employee_enrol(
    *, by, employer, first_name, last_name, email, tutor=None, new_tutor=None, submit: bool = True, **fields
) -> Candidacy:
    """An employer enrols an employee: the person, the tutor when created on the way, the candidacy."""
    if new_tutor:
        tutor = tutor_create(by=by, employer=employer, **new_tutor)
    candidate = candidate_for_identity({"first_name": first_name, "last_name": last_name, "email": email})
    candidacy = services.candidacy_create(by=by, candidate=candidate, employer=employer, tutor=tutor, **fields)
    if submit:
        candidacy = services.candidacy_transition(candidacy=candidacy, name="submit", by=by)
    return candidacy


def _tutor_data(tutor):
    return {name: getattr(tutor, name) for name in TUTOR_FIELDS}


@transaction.atomic
def tutor_create(*, by, employer, first_name, last_name, job_title="", email="") -> Tutor:
    tutor = Tutor.objects.create(
        employer=employer, first_name=first_name, last_name=last_name, job_title=job_title, email=email
    )
    AuditEvent.objects.create(
        actor=by,
        action="tutor_create",
        object_type="candidacies.Tutor",
        object_id=str(tutor.pk),
        after=_tutor_data(tutor),
    )
    return tutor


@transaction.atomic
def tutor_update(*, tutor, by, **changes) -> Tutor:
    tutor = Tutor.objects.select_for_update().get(pk=tutor.pk)
    before = _tutor_data(tutor)
    for name in TUTOR_FIELDS:
        if name in changes:
            setattr(tutor, name, changes[name])
    tutor.save()
    AuditEvent.objects.create(
        actor=by,
        action="tutor_update",
        object_type="candidacies.Tutor",
        object_id=str(tutor.pk),
        before=before,
        after=_tutor_data(tutor),
    )
    return tutor
