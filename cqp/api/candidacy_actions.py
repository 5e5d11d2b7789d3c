"""Creation of a candidacy through the API: who applies for whom, then the one creation service.

A caller applies for themself (no `candidate` in the body), or enrols someone else: an employer
member for an employee of their organisation, certifier staff for anyone on a certification of
their certifier, a platform administrator for anyone. The rules of the candidacy itself are
cqp.candidacies.services.candidacy_create's; this only settles the people and organisations.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, Organisation, User
from cqp.candidacies import services
from cqp.candidacies.models import Candidacy, Candidate


def _own_candidate(user) -> Candidate:
    candidate = Candidate.objects.filter(user=user).first()
    if candidate is not None:
        return candidate
    if not (user.first_name.strip() and user.last_name.strip()):
        raise ValidationError(
            {"candidate": ["Indiquez d'abord vos prénom et nom dans votre compte : ils figureront sur le certificat."]}
        )
    return Candidate.objects.create(
        user=user, first_name=user.first_name.strip(), last_name=user.last_name.strip(), email=user.email
    )


def _enrolled_candidate(identity) -> Candidate:
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
        candidate = _own_candidate(by)
    else:
        memberships = list(Membership.objects.filter(user=by).values_list("role", "certifier_id", "organisation_id"))
        own_certifiers = {c for role, c, _ in memberships if role == Role.CERTIFIER_STAFF and c}
        own_employers = {o for role, _, o in memberships if role == Role.EMPLOYER and o}
        if by.is_superuser or own_certifiers & certification_certifiers:
            if certifier is not None and not by.is_superuser and certifier.pk not in own_certifiers:
                raise ValidationError({"certifier": ["Vous n'agissez pas pour ce certificateur."]})
            if certifier is None and not by.is_superuser:
                certifier = next(c for c in certification.certifiers.all() if c.pk in own_certifiers)
        elif own_employers:
            if employer is None and len(own_employers) == 1:
                employer = Organisation.objects.get(pk=own_employers.pop())
            elif employer is None:
                raise ValidationError(
                    {"employer": ["Vous représentez plusieurs entreprises : indiquez laquelle emploie cette personne."]}
                )
            elif employer.pk not in own_employers:
                raise ValidationError({"employer": ["Vous ne pouvez inscrire que les salariés de votre entreprise."]})
        elif own_certifiers:
            raise ValidationError(
                {"certification": ["Cette certification n'est pas délivrée par votre certificateur."]}
            )
        else:
            raise PermissionDenied(
                "Seuls une entreprise (pour ses salariés) et un certificateur (pour ses certifications) peuvent "
                "inscrire une autre personne. Pour candidater vous-même, n'envoyez pas « candidate »."
            )
        candidate = _enrolled_candidate(identity)

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
