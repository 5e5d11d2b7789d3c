"""Factories for organisations, candidates and candidacies. Candidacies are made by the real service."""

import factory

from cqp.accounts.enums import OrganisationKind, Role
from cqp.accounts.models import Membership, Organisation, User
from cqp.candidacies import services
from cqp.candidacies.models import Candidate, Tutor
from tests.catalogue.factories import BlockFactory, CertificationFactory, CertifierFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.EMPLOYER
    name = factory.Sequence(lambda n: f"Entreprise {n}")
    siret = factory.Sequence(lambda n: f"{44000000000000 + n:014d}")

    class Params:
        training_org = factory.Trait(
            kind=OrganisationKind.TRAINING_ORG, name=factory.Sequence(lambda n: f"Organisme de formation {n}")
        )
        assessment_centre = factory.Trait(
            kind=OrganisationKind.ASSESSMENT_CENTRE, name=factory.Sequence(lambda n: f"Organisme évaluateur {n}")
        )


def member(user, role, *, organisation=None, certifier=None):
    Membership.objects.get_or_create(user=user, role=role, organisation=organisation, certifier=certifier)
    return user


def certifier_staff(certifier, **kwargs):
    return member(UserFactory(**kwargs), Role.CERTIFIER_STAFF, certifier=certifier)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    user = factory.SubFactory(UserFactory)
    first_name = factory.LazyAttribute(lambda o: o.user.first_name if o.user else "Alex")
    last_name = factory.LazyAttribute(lambda o: o.user.last_name if o.user else "Durand")
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "alex.durand@exemple.fr")


class TutorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tutor

    employer = factory.SubFactory(OrganisationFactory)
    first_name = "Dominique"
    last_name = factory.Sequence(lambda n: f"Tuteur{n}")
    job_title = "Chef d'équipe"


def certification_with_blocks(*, blocks=3, certifier=None, **kwargs):
    certification = CertificationFactory(**kwargs)
    certification.certifiers.add(certifier or CertifierFactory())
    for position in range(1, blocks + 1):
        BlockFactory(certification=certification, position=position, code=f"{certification.code}BC{position:02d}")
    return certification


def candidacy(
    *, by=None, candidate=None, certification=None, path="TRAINING", situation="EMPLOYEE", funding="PLAN", **kwargs
):
    """A draft candidacy made by the real service; an employer is added when the funding needs one."""
    candidate = candidate or CandidateFactory()
    certification = certification or certification_with_blocks()
    if funding in ("PLAN", "CONTRAT_PRO", "PRO_A") and "employer" not in kwargs:
        kwargs["employer"] = OrganisationFactory()
    if funding in ("CONTRAT_PRO", "PRO_A") and "tutor" not in kwargs:
        kwargs["tutor"] = TutorFactory(employer=kwargs["employer"])
    return services.candidacy_create(
        by=by or candidate.user,
        candidate=candidate,
        certification=certification,
        path=path,
        situation=situation,
        funding=funding,
        **kwargs,
    )
