"""Factories for organisations, candidates and candidacies. Candidacies are made by the real service."""

from datetime import date

import factory

from cqp.accounts.enums import OrganisationKind, Role
from cqp.accounts.models import Membership, Organisation, User
from cqp.candidacies import services, workflow
from cqp.candidacies.enums import BlockStatus
from cqp.candidacies.models import CandidacyBlock, Candidate, Tutor
from tests.catalogue.factories import BlockFactory, CertificationFactory, CertifierFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password("mot-de-passe-solide")


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


# Routes through the workflow, by path, to reach each state with the real service.
ROUTES = {
    "TRAINING": {
        "DRAFT": [],
        "SUBMITTED": ["submit"],
        "ADMISSIBLE": ["submit", "declare_admissible"],
        "INADMISSIBLE": ["submit", "declare_inadmissible"],
        "POSITIONED": ["submit", "declare_admissible", "record_positioning"],
        "IN_TRAINING": ["submit", "declare_admissible", "record_positioning", "start_training"],
        "IN_ASSESSMENT": ["submit", "declare_admissible", "record_positioning", "start_training", "start_assessment"],
    },
    "VAE": {
        "DRAFT": [],
        "SUBMITTED": ["submit"],
        "ADMISSIBLE": ["submit", "declare_admissible"],
        "INADMISSIBLE": ["submit", "declare_inadmissible"],
        "DOSSIER_SUBMITTED": ["submit", "declare_admissible", "submit_vae_dossier"],
        "IN_ASSESSMENT": ["submit", "declare_admissible", "submit_vae_dossier", "start_vae_assessment"],
    },
}
AFTER_ASSESSMENT = {
    "READY_FOR_JURY": ["mark_ready_for_jury"],
    "SCHEDULED_FOR_JURY": ["mark_ready_for_jury", "schedule_for_jury"],
    "DECIDED": ["mark_ready_for_jury", "schedule_for_jury", "record_decision"],
    "DELIVERED": ["mark_ready_for_jury", "schedule_for_jury", "record_decision", "deliver"],
    "CLOSED": ["mark_ready_for_jury", "schedule_for_jury", "record_decision", "close"],
}
VAE_EXPERIENCE = [{"start": date(2020, 1, 1), "end": date(2023, 12, 31), "job_title": "Opérateur de production"}]


def route_to(state, path):
    if state in ROUTES[path]:
        return ROUTES[path][state]
    if state == "WITHDRAWN":
        return ["submit", "withdraw"]
    return ROUTES[path]["IN_ASSESSMENT"] + AFTER_ASSESSMENT[state]


def staffed_candidacy(*, path="TRAINING", certification=None, **kwargs):
    """A draft candidacy with an employer, a training organisation (training path) and an accredited
    assessment centre, so that every role has someone to act and every guard can pass."""
    certification = certification or certification_with_blocks()
    centre = OrganisationFactory(assessment_centre=True)
    centre.accredited_certifications.add(certification)
    kwargs.setdefault("employer", OrganisationFactory())
    if path == "VAE":
        kwargs.setdefault("funding", "")
        kwargs.setdefault("experience_periods", VAE_EXPERIENCE)
    else:
        kwargs.setdefault("training_org", OrganisationFactory(training_org=True))
    return candidacy(certification=certification, path=path, assessment_centre=centre, **kwargs)


def admin_user():
    return UserFactory(is_superuser=True, is_staff=True)


def assess_every_block(candidacy, *, assessor=None):
    """Submit a consistent assessment of every targeted block not exempted, by an assessor of the
    candidacy's assessment centre (made if not given): what the jury needs to receive the candidacy."""
    from cqp.assessments import services as assessments
    from cqp.assessments.selectors import assessment_current, assessment_expected_verdict

    assessor = assessor or member(UserFactory(), Role.ASSESSOR, organisation=candidacy.assessment_centre)
    for row in candidacy.blocks.exclude(status=BlockStatus.EXEMPTED).select_related("block"):
        assessment = assessment_current(candidacy, row.block)
        if assessment is None:
            assessment = assessments.assessment_start(candidacy=candidacy, block=row.block, by=assessor)
        elif assessment.state != "DRAFT":
            continue
        criteria = list(row.block.criteria.all())
        assessment = assessments.assessment_save(
            assessment=assessment,
            by=assessor,
            revision=assessment.revision,
            situation="WORKPLACE",
            assessed_on=date(2024, 6, 1),
            results={c.pk: (True, "Observé en situation de travail.") for c in criteria},
            verdict=assessment_expected_verdict([(c.mandatory, True) for c in criteria], 0),
            no_conflict_declared=True,
        )
        assessments.assessment_submit(assessment=assessment, by=assessor)
    return assessor


def candidacy_in_state(state, *, path="TRAINING", by=None, **kwargs):
    """A candidacy brought to `state` through the real transitions (by a platform administrator unless
    `by`). On the way to delivery the first block is acquired and the others are not (a partial decision)."""
    draft = staffed_candidacy(path=path, **kwargs)
    by = by or admin_user()
    for name in route_to(state, path):
        if name == "record_decision":
            blocks = list(draft.blocks.order_by("block__position"))
            for position, block in enumerate(blocks):
                block.status = BlockStatus.ACQUIRED if position == 0 else BlockStatus.NOT_ACQUIRED
            CandidacyBlock.objects.bulk_update(blocks, ["status"])
        if name == "mark_ready_for_jury":
            assess_every_block(draft)
        comment = "Motif de test" if workflow.TRANSITIONS[name].comment_required else ""
        draft = services.candidacy_transition(candidacy=draft, name=name, by=by, comment=comment)
    return draft
