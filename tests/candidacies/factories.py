"""Factories for organisations, candidates and candidacies. Candidacies are made by the real service."""

from datetime import date, timedelta

import factory

from cqp.accounts.enums import OrganisationKind, Role
from cqp.accounts.models import Membership, Organisation, User
from cqp.candidacies import services, workflow
from cqp.candidacies.enums import BlockStatus
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
    for row in candidacy.blocks.exclude(status__in=[BlockStatus.EXEMPTED, BlockStatus.ACQUIRED]).select_related(
        "block"
    ):
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


PLAN_START = date.today() - timedelta(days=60)
PLAN_END = date.today() + timedelta(days=120)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def position_every_block(candidacy, *, by):
    """The training organisation's positioning, by the real service: every block to acquire."""
    from cqp.assessments import services as assessments

    codes = candidacy.blocks.exclude(status__in=[BlockStatus.EXEMPTED, BlockStatus.ACQUIRED]).values_list(
        "block__code", flat=True
    )
    assessments.positioning_record(
        candidacy=candidacy, by=by, results=dict.fromkeys(codes, ("TO_ACQUIRE", "Positionnement de test."))
    )


def accept_plan(plan):
    """The acceptances the plan needs, by the service when someone can give them; a candidate without an
    account has their acceptance recorded on the plan (the candidate space is where they would give it)."""
    from cqp.assessments import services as assessments
    from cqp.assessments.selectors import training_plan_pending_acceptances

    candidacy = plan.candidacy
    pending = training_plan_pending_acceptances(plan, candidacy=candidacy)
    if workflow.EMPLOYER in pending:
        employer_user = member(UserFactory(), Role.EMPLOYER, organisation=candidacy.employer)
        plan = assessments.training_plan_accept(plan=plan, by=employer_user)
    if workflow.CANDIDATE in pending:
        if candidacy.candidate.user is not None:
            plan = assessments.training_plan_accept(plan=plan, by=candidacy.candidate.user)
        else:
            from django.utils import timezone

            plan.accepted_by_candidate_at = timezone.now()
            plan.status = "ACCEPTED"
            plan.save(update_fields=["accepted_by_candidate_at", "status"])
    return plan


def propose_and_accept_plan(candidacy, *, by):
    """A plan for the blocks the positioning leaves to train, proposed by the real service and accepted."""
    from cqp.assessments import services as assessments
    from cqp.assessments.selectors import positioning_remaining_blocks

    plan = assessments.training_plan_propose(
        candidacy=candidacy,
        by=by,
        modules=[
            {"block_code": block.code, "title": f"Module {block.code}", "hours": 35, "start": PLAN_START}
            for block in positioning_remaining_blocks(candidacy)
        ],
        start=PLAN_START,
        end=PLAN_END,
        funding=candidacy.funding,
        tutor=candidacy.tutor,
    )
    return accept_plan(plan)


def file_vae_eligibility(candidacy, *, by):
    """The recevabilité file by the real service: a proof of experience, then filed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cqp.assessments import services as assessments

    services.document_upload(
        candidacy=candidacy,
        by=by,
        kind="EXPERIENCE",
        uploaded_file=SimpleUploadedFile("certificat-de-travail.pdf", PDF, content_type="application/pdf"),
    )
    return assessments.vae_eligibility_submit(candidacy=candidacy, by=by)


def describe_vae_dossier(candidacy, *, by):
    """A narrative for every block of the dossier de validation that is not exempted."""
    from cqp.assessments import services as assessments

    for row in candidacy.blocks.exclude(status__in=[BlockStatus.EXEMPTED, BlockStatus.ACQUIRED]).select_related(
        "block"
    ):
        assessments.vae_dossier_save(
            candidacy=candidacy, by=by, block=row.block, narrative=f"Expérience du bloc {row.block.code}."
        )


def _walk(draft, name, by):
    """One step of a route, through the service that takes it in the product."""
    from cqp.assessments import services as assessments

    comment = "Motif de test" if workflow.TRANSITIONS[name].comment_required else ""
    if draft.path == "VAE" and name == "submit":
        file_vae_eligibility(draft, by=by)
    elif draft.path == "VAE" and name in ("declare_admissible", "declare_inadmissible"):
        assessments.vae_eligibility_decide(
            eligibility=draft.vae_eligibilities.order_by("-version").first(),
            by=by,
            decision="ADMISSIBLE" if name == "declare_admissible" else "INADMISSIBLE",
            reasons=comment,
        )
    elif name == "record_positioning":
        position_every_block(draft, by=by)
    elif name == "start_training":
        plan = propose_and_accept_plan(draft, by=by)
        assessments.training_plan_start(plan=plan, by=by)
    elif name == "submit_vae_dossier":
        describe_vae_dossier(draft, by=by)
        assessments.vae_dossier_submit(candidacy=draft, by=by)
    else:
        return services.candidacy_transition(candidacy=draft, name=name, by=by, comment=comment)
    draft.refresh_from_db()
    return draft


def candidacy_in_state(state, *, path="TRAINING", by=None, **kwargs):
    """A candidacy brought to `state` through the real services (by a platform administrator unless
    `by`): on the VAE path the recevabilité file is filed and decided, the dossier written and submitted;
    on the training path every block is positioned to acquire, a plan proposed, accepted and started.
    Past READY_FOR_JURY the jury's services take over (tests/juries/factories.py): a session puts it on its
    agenda, deliberates and signs. DECIDED and CLOSED come from a partial opinion (the first block
    validated, the others not); DELIVERED from an award (every block), since after a partial delivery
    the candidacy goes on for the missing blocks."""
    draft = staffed_candidacy(path=path, **kwargs)
    by = by or admin_user()
    route = route_to(state, path)
    jury_steps = [name for name in route if name in JURY_STEPS]
    for name in route:
        if name in JURY_STEPS:
            break
        if name == "mark_ready_for_jury":
            assess_every_block(draft)
        draft = _walk(draft, name, by)
    if jury_steps:
        draft = _through_the_jury(draft, state, by)
    return draft


JURY_STEPS = ("schedule_for_jury", "record_decision", "deliver", "close")


def _through_the_jury(candidacy, state, by):
    from django.utils import timezone

    from cqp.awards.services import candidacy_deliver
    from cqp.juries import services as juries
    from tests.juries import factories as jury_factories

    jury, staff = jury_factories.jury_with_members(candidacy.certification)
    session = juries.session_plan(jury=jury, by=staff, starts_at=timezone.now(), place="Siège de la branche")
    juries.agenda_add(session=session, candidacies=[candidacy], by=staff)
    if state != "SCHEDULED_FOR_JURY":
        juries.attendance_record(
            session=session, by=staff, present={a.member_id: True for a in session.attendances.all()}
        )
        juries.session_open(session=session, by=staff)
        codes = list(candidacy.blocks.order_by("block__position").values_list("block__code", flat=True))
        award = state == "DELIVERED"
        jury_factories.deliberate(
            session,
            candidacy,
            by=staff,
            validated=codes if award else codes[:1],
            motivation="" if award else "Les autres blocs ne sont pas encore maîtrisés.",
        )
        jury_factories.sign(session)
    candidacy.refresh_from_db()
    if state == "DELIVERED":
        candidacy_deliver(candidacy=candidacy, by=staff)
    elif state == "CLOSED":
        services.candidacy_transition(candidacy=candidacy, name="close", by=by)
    candidacy.refresh_from_db()
    return candidacy


def positioning_in_force(candidacy):
    """What a reopened candidacy has: a positioning in force while it is admissible again. Written on the
    models: no service leaves an admissible candidacy with a positioning otherwise (the first one moves
    it to POSITIONED), and reaching a reopening walks the whole jury."""
    from cqp.assessments.models import Positioning, PositioningBlock

    positioning = Positioning.objects.create(candidacy=candidacy, by=admin_user())
    PositioningBlock.objects.bulk_create(
        PositioningBlock(positioning=positioning, block_id=row.block_id, result="TO_ACQUIRE")
        for row in candidacy.blocks.exclude(status=BlockStatus.EXEMPTED)
    )
    return positioning
