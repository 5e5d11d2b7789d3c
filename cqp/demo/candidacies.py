"""Demo organisations, memberships and candidacies in every state of the workflow, on both paths.

Candidacies are made and moved by the real services (candidacy_create, candidacy_assign,
candidacy_transition), each step by the person whose role it is, so that the trail is the one a
real candidacy leaves. The steps that have their own service go through it: positioning and training
plan (training organisation, candidate, employer), block assessments (assessor), the VAE recevabilité
file and dossier de validation (candidate or certifier). Past READY_FOR_JURY, juries.py carries on
through the juries and awards services (agenda, deliberation, signed minutes, delivery).
Idempotent: a candidacy is recognised by its candidate (e-mail), certification and path, and never made twice.
"""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings

from cqp.accounts.enums import OrganisationKind, Role
from cqp.accounts.models import Membership, Organisation, User
from cqp.assessments import services as assessments
from cqp.assessments.enums import AssessmentState, EligibilityState, PlanStatus, PositioningResult
from cqp.assessments.models import BlockAssessment
from cqp.assessments.selectors import assessment_expected_verdict, positioning_remaining_blocks
from cqp.candidacies import services
from cqp.candidacies.enums import BlockStatus, DocumentKind, Path, State
from cqp.candidacies.models import Candidacy, Candidate, Tutor
from cqp.catalogue.models import Branch, Certification

from . import juries

DEMO = "(démonstration)"

ORGANISATIONS = {
    # key: (kind, name, SIRET (fictitious), IDCC, branch slug, city)
    "aero": (
        OrganisationKind.EMPLOYER,
        f"Aérostructures du Sud-Ouest {DEMO}",
        "90000000100017",
        "3248",
        "metallurgie",
        "Toulouse",
    ),
    "conserverie": (
        OrganisationKind.EMPLOYER,
        f"Conserverie de l'Atlantique {DEMO}",
        "90000000200015",
        "1396",
        "industries-alimentaires",
        "Nantes",
    ),
    "campus": (
        OrganisationKind.TRAINING_ORG,
        f"Campus des métiers de l'industrie {DEMO}",
        "90000000300013",
        "",
        "",
        "Bordeaux",
    ),
    "evaluation": (
        OrganisationKind.ASSESSMENT_CENTRE,
        f"Centre d'évaluation des compétences industrielles {DEMO}",
        "90000000400011",
        "",
        "",
        "Lyon",
    ),
}

# Demo accounts that join an organisation (the account table of content.ACCOUNTS).
MEMBERS = [
    ("employeur@cqp.example", Role.EMPLOYER, "aero"),
    ("formation@cqp.example", Role.TRAINING_ORG, "campus"),
    ("evaluateur@cqp.example", Role.ASSESSOR, "evaluation"),
]
CANDIDATE_ACCOUNT = "candidat@cqp.example"
TUTOR = ("aero", "Bernard", "Lefèvre", "Chef d'atelier assemblage", "bernard.lefevre@aero.example")

# Candidates without an account: (key, first name, last name, situation).
CANDIDATES = [
    ("lea", "Léa", "Bonnet", "YOUNG"),
    ("karim", "Karim", "Haddad", "EMPLOYEE"),
    ("ines", "Inès", "Fontaine", "JOB_SEEKER"),
    ("thomas", "Thomas", "Girard", "EMPLOYEE"),
    ("manon", "Manon", "Chevalier", "YOUNG"),
    ("yanis", "Yanis", "Mercier", "EMPLOYEE"),
    ("chloe", "Chloé", "Lambert", "JOB_SEEKER"),
    ("lucas", "Lucas", "Faure", "EMPLOYEE"),
    ("sarah", "Sarah", "Rousseau", "EMPLOYEE"),
    ("hugo", "Hugo", "Blanc", "JOB_SEEKER"),
    ("emma", "Emma", "Guerin", "EMPLOYEE"),
    ("nathan", "Nathan", "Muller", "EMPLOYEE"),
    ("jade", "Jade", "Henry", "JOB_SEEKER"),
    ("louis", "Louis", "Roussel", "JOB_SEEKER"),
    ("alice", "Alice", "Nicolas", "EMPLOYEE"),
    ("rayan", "Rayan", "Perrin", "EMPLOYEE"),
]

# The workflow walked by each path up to the jury; a target state stops the walk where it is reached.
# Past READY_FOR_JURY, juries.py takes the candidacy through a session (agenda, deliberation, signed
# minutes) and its delivery, by the juries and awards services.
ROUTES = {
    Path.TRAINING: [
        "submit",
        "declare_admissible",
        "record_positioning",
        "start_training",
        "start_assessment",
        "mark_ready_for_jury",
    ],
    Path.VAE: [
        "submit",
        "declare_admissible",
        "submit_vae_dossier",
        "start_vae_assessment",
        "mark_ready_for_jury",
    ],
}
TARGETS = {
    "submit": State.SUBMITTED,
    "declare_admissible": State.ADMISSIBLE,
    "record_positioning": State.POSITIONED,
    "start_training": State.IN_TRAINING,
    "start_assessment": State.IN_ASSESSMENT,
    "submit_vae_dossier": State.DOSSIER_SUBMITTED,
    "start_vae_assessment": State.IN_ASSESSMENT,
    "mark_ready_for_jury": State.READY_FOR_JURY,
}
COMMENTS = {
    "declare_admissible": "Dossier complet, conditions d'accès vérifiées.",
    "declare_inadmissible": "L'expérience déclarée ne porte pas sur les activités du CQP.",
    "withdraw": "Changement de situation professionnelle : la personne arrête son parcours.",
}

# Each demo candidacy: (candidate key, certification key, certifier key, path, funding, employer key,
# target state, options). Options: "withdraw_at" (state from which it is withdrawn), "outcome" of the
# jury per block ("all", "partial", "none": a refusal), "assign" (False: no organisation named yet),
# "reopen" (a partial award delivered, the candidacy reopened for the missing blocks).
RNCP_AERO, RNCP_FONDERIE, RNCP_MAINTENANCE, CQPI = "RNCP36086", "RNCP41789", "RNCP41679", "CQPI-CEI"
CANDIDACIES = [
    # The demo candidate's own candidacies.
    ("camille", RNCP_AERO, "uimm", Path.TRAINING, "PLAN", "aero", State.IN_TRAINING, {}),
    ("camille", RNCP_MAINTENANCE, "ocapiat", Path.VAE, "", None, State.SUBMITTED, {}),
    ("camille", CQPI, "uimm", Path.TRAINING, "PERSONAL", None, State.DRAFT, {}),
    # Training path, UIMM.
    ("lea", RNCP_AERO, "uimm", Path.TRAINING, "CONTRAT_PRO", "aero", State.SUBMITTED, {}),
    ("karim", RNCP_AERO, "uimm", Path.TRAINING, "PLAN", "aero", State.ADMISSIBLE, {"assign": False}),
    ("thomas", RNCP_FONDERIE, "uimm", Path.TRAINING, "PLAN", "aero", State.POSITIONED, {"revise": True}),
    ("yanis", RNCP_AERO, "uimm", Path.TRAINING, "PRO_A", "aero", State.IN_ASSESSMENT, {}),
    ("lucas", RNCP_FONDERIE, "uimm", Path.TRAINING, "PLAN", "aero", State.READY_FOR_JURY, {"correct": True}),
    ("sarah", RNCP_AERO, "uimm", Path.TRAINING, "PLAN", "aero", State.SCHEDULED_FOR_JURY, {}),
    ("emma", RNCP_AERO, "uimm", Path.TRAINING, "PLAN", "aero", State.DECIDED, {"outcome": "partial"}),
    ("nathan", RNCP_FONDERIE, "uimm", Path.TRAINING, "PLAN", "aero", State.DELIVERED, {"outcome": "all"}),
    ("jade", RNCP_AERO, "uimm", Path.TRAINING, "CONTRAT_PRO", "aero", State.CLOSED, {"outcome": "all"}),
    ("chloe", RNCP_FONDERIE, "uimm", Path.TRAINING, "PLAN", "aero", State.DECIDED, {"outcome": "none"}),
    ("nathan", RNCP_AERO, "uimm", Path.TRAINING, "PLAN", "aero", State.SCHEDULED_FOR_JURY, {}),
    ("manon", CQPI, "uimm", Path.TRAINING, "REGION", None, State.DRAFT, {}),
    ("rayan", RNCP_FONDERIE, "uimm", Path.TRAINING, "PLAN", "aero", State.INADMISSIBLE, {}),
    ("alice", RNCP_AERO, "uimm", Path.TRAINING, "PLAN", "aero", State.WITHDRAWN, {"withdraw_at": State.IN_TRAINING}),
    (
        "lucas",
        RNCP_AERO,
        "uimm",
        Path.TRAINING,
        "PLAN",
        "aero",
        State.ADMISSIBLE,
        {"outcome": "partial", "reopen": True},
    ),
    # VAE path, OCAPIAT and UIMM.
    ("ines", RNCP_MAINTENANCE, "ocapiat", Path.VAE, "FRANCE_TRAVAIL", None, State.DRAFT, {}),
    ("karim", RNCP_MAINTENANCE, "ocapiat", Path.VAE, "", "conserverie", State.ADMISSIBLE, {}),
    ("chloe", RNCP_MAINTENANCE, "ocapiat", Path.VAE, "", None, State.DOSSIER_SUBMITTED, {}),
    ("hugo", RNCP_MAINTENANCE, "ocapiat", Path.VAE, "", None, State.IN_ASSESSMENT, {}),
    ("louis", RNCP_MAINTENANCE, "ocapiat", Path.VAE, "", None, State.READY_FOR_JURY, {}),
    ("thomas", RNCP_MAINTENANCE, "ocapiat", Path.VAE, "", "conserverie", State.SCHEDULED_FOR_JURY, {}),
    ("sarah", RNCP_MAINTENANCE, "ocapiat", Path.VAE, "", "conserverie", State.DECIDED, {"outcome": "partial"}),
    ("emma", RNCP_MAINTENANCE, "ocapiat", Path.VAE, "", None, State.DELIVERED, {"outcome": "all"}),
    ("nathan", RNCP_MAINTENANCE, "ocapiat", Path.VAE, "", None, State.CLOSED, {"outcome": "all"}),
    ("jade", RNCP_MAINTENANCE, "ocapiat", Path.VAE, "", None, State.INADMISSIBLE, {}),
    ("yanis", RNCP_MAINTENANCE, "ocapiat", Path.VAE, "", None, State.WITHDRAWN, {"withdraw_at": State.SUBMITTED}),
    ("alice", RNCP_FONDERIE, "uimm", Path.VAE, "", "aero", State.SUBMITTED, {"incomplete": True}),
    ("hugo", RNCP_AERO, "uimm", Path.VAE, "", None, State.IN_ASSESSMENT, {}),
]

# Two years of related experience: VAE asks for one at least.
EXPERIENCE = [
    {
        "start": date(2022, 9, 1),
        "end": date(2024, 8, 31),
        "job_title": "Opérateur de production",
        "employer_name": "Entreprise industrielle",
    }
]


def load_organisations(*, certifications: dict[str, Certification]) -> dict[str, Organisation]:
    branches = {b.slug: b for b in Branch.objects.all()}
    organisations = {}
    for key, (kind, name, siret, idcc, branch, city) in ORGANISATIONS.items():
        organisation, _ = Organisation.objects.update_or_create(
            kind=kind,
            siret=siret,
            defaults={
                "name": name,
                "idcc": idcc,
                "branch": branches.get(branch),
                "city": city,
                "email": f"contact@{key}.example",
            },
        )
        organisations[key] = organisation
    # The assessment centre is accredited on every active demo CQP.
    organisations["evaluation"].accredited_certifications.add(*(c for c in certifications.values() if c.active))
    return organisations


def load_members(organisations) -> dict[str, User]:
    users = {}
    for email, role, key in MEMBERS:
        user = User.objects.get(email=email)
        # A membership without organisation, as earlier demo data made, opens nothing: replaced.
        Membership.objects.filter(user=user, role=role, organisation=None, certifier=None).delete()
        Membership.objects.get_or_create(user=user, role=role, organisation=organisations[key], certifier=None)
        users[role] = user
    account = User.objects.get(email=CANDIDATE_ACCOUNT)
    camille, _ = Candidate.objects.get_or_create(
        user=account,
        defaults={"first_name": account.first_name, "last_name": account.last_name, "email": account.email},
    )
    candidates = {"camille": camille}
    for key, first_name, last_name, _situation in CANDIDATES:
        candidates[key], _ = Candidate.objects.get_or_create(
            email=f"{key}.{last_name.lower()}@candidat.example",
            defaults={"first_name": first_name, "last_name": last_name},
        )
    employer_key, first_name, last_name, job_title, email = TUTOR
    tutor, _ = Tutor.objects.get_or_create(
        employer=organisations[employer_key],
        email=email,
        defaults={"first_name": first_name, "last_name": last_name, "job_title": job_title},
    )
    return {"users": users, "candidates": candidates, "tutor": tutor}


def _steps(path, target, options) -> list[str]:
    if target == State.DRAFT:
        return []
    if target == State.INADMISSIBLE:
        return ["submit", "declare_inadmissible"]
    if target == State.WITHDRAWN:
        return [*_steps(path, options["withdraw_at"], {}), "withdraw"]
    route = ROUTES[path]
    if target in juries.JURY_STATES or options.get("reopen"):
        target = State.READY_FOR_JURY
    for position, name in enumerate(route):
        if TARGETS[name] == target:
            return route[: position + 1]
    raise ValueError(f"{target} is not on the {path} path")


def _actor(name, candidacy, *, staff, users, employer):
    """The person whose role it is to apply this step; certifier staff may apply every one."""
    user = candidacy.candidate.user
    if name in ("submit", "submit_vae_dossier", "withdraw") and user is not None:
        return user
    # A VAE file is filed by the candidate or the certifier; a training candidacy also by its employer.
    if name == "submit" and candidacy.employer_id == employer.pk and candidacy.path == Path.TRAINING:
        return users[Role.EMPLOYER]
    if name in ("record_positioning", "start_training") and candidacy.training_org_id:
        return users[Role.TRAINING_ORG]
    if name in ("start_assessment", "start_vae_assessment", "mark_ready_for_jury") and candidacy.assessment_centre_id:
        return users[Role.ASSESSOR]
    return staff


def _position(candidacy, by, *, revise=False):
    """The training organisation's positioning: the first block recognised acquired, the others to train."""

    codes = [row.block.code for row in candidacy.blocks.exclude(status=BlockStatus.EXEMPTED).select_related("block")]
    codes.sort()
    results = dict.fromkeys(codes, (PositioningResult.TO_ACQUIRE, "Entretien et mise en situation : à former."))
    if len(codes) > 1:
        results[codes[0]] = (PositioningResult.ACQUIRED, "Pratique attestée par l'employeur, observée en atelier.")
    assessments.positioning_record(
        candidacy=candidacy, by=by, results=results, comment="Positionnement réalisé sur deux demi-journées."
    )
    if revise and len(codes) > 1:
        results[codes[-1]] = (PositioningResult.PARTLY, "Compléments observés après l'entretien.")
        assessments.positioning_record(
            candidacy=candidacy,
            by=by,
            results=results,
            revision_reason="Attestation de l'employeur reçue après l'entretien : un bloc revu.",
        )
    return candidacy


def _train(candidacy, *, users, complete):
    """Plan proposed by the training organisation, accepted by the candidate (and the employer who pays),
    started, progress recorded. Returns False when no training organisation is named."""

    trainer = users[Role.TRAINING_ORG]
    if candidacy.training_org_id is None:
        return False
    candidate = candidacy.candidate
    if candidate.user is None:
        # The plan is accepted in the candidate's space: an account is opened, without a password
        # (the demo does not sign in as these candidates).
        account, _ = User.objects.get_or_create(
            email=candidate.email, defaults={"first_name": candidate.first_name, "last_name": candidate.last_name}
        )
        account.set_unusable_password()
        account.save()
        candidate.user = account
        candidate.save(update_fields=["user"])
    modules = [
        {
            "block_code": block.code,
            "title": f"Module {block.code} {DEMO}",
            "hours": 70,
            "start": date(2025, 1, 6),
            "end": date(2025, 3, 28),
        }
        for block in positioning_remaining_blocks(candidacy)
    ]
    plan = assessments.training_plan_propose(
        candidacy=candidacy,
        by=trainer,
        modules=modules,
        start=date(2025, 1, 6),
        end=date(2025, 6, 27),
        funding=candidacy.funding,
        tutor=candidacy.tutor,
    )
    plan = assessments.training_plan_accept(plan=plan, by=candidate.user)
    if plan.status == PlanStatus.PROPOSED:
        # The employer pays too: its acceptance completes the candidate's.
        plan = assessments.training_plan_accept(plan=plan, by=users[Role.EMPLOYER])
    plan = assessments.training_plan_start(plan=plan, by=trainer)
    for number, module in enumerate(plan.modules.order_by("pk")):
        done = complete or number == 0
        assessments.training_module_progress(
            module=module,
            by=trainer,
            hours_attended=module.hours if done else module.hours // 2,
            completed_on=date(2025, 3, 28) if done else None,
        )
    return True


def _assess_some(candidacy, assessor):
    """In assessment: the first block's grid submitted, the second one's still a draft."""
    rows = list(candidacy.blocks.exclude(status=BlockStatus.EXEMPTED).select_related("block").order_by("block__code"))
    for number, row in enumerate(rows[:2]):
        _grid(candidacy, row.block, assessor, submit=number == 0)


def _grid(candidacy, block, assessor, *, submit=True):

    criteria = list(block.criteria.all())
    assessment = assessments.assessment_start(candidacy=candidacy, block=block, by=assessor)
    assessment = assessments.assessment_save(
        assessment=assessment,
        by=assessor,
        revision=assessment.revision,
        situation="WORKPLACE",
        assessed_on=date(2025, 6, 2),
        results={c.pk: (True, "Observé en situation de travail, sans aide.") for c in criteria},
        verdict=assessment_expected_verdict([(c.mandatory, True) for c in criteria], 0),
        summary="Pratique professionnelle observée sur le poste ; aucune réserve.",
        no_conflict_declared=True,
    )
    if submit:
        assessment = assessments.assessment_submit(assessment=assessment, by=assessor)
    return assessment


def _assess_blocks(candidacy, assessor, *, correct=False):
    """Before the jury, the demo assessor submits a grid for every block to assess: every criterion met."""

    rows = candidacy.blocks.exclude(status=BlockStatus.EXEMPTED).select_related("block").order_by("block__code")
    for number, row in enumerate(rows):
        current = (
            BlockAssessment.objects.filter(candidacy=candidacy, block=row.block)
            .exclude(state=AssessmentState.SUPERSEDED)
            .first()
        )
        if current is None:
            current = _grid(candidacy, row.block, assessor)
        elif current.state == AssessmentState.DRAFT:
            current = assessments.assessment_submit(assessment=current, by=assessor)
        if correct and number == 0:
            correction = assessments.assessment_correct(
                assessment=current, by=assessor, reason="Date de la mise en situation mal saisie : corrigée."
            )
            correction = assessments.assessment_save(
                assessment=correction,
                by=assessor,
                revision=correction.revision,
                assessed_on=date(2025, 6, 3),
                no_conflict_declared=True,
            )
            assessments.assessment_submit(assessment=correction, by=assessor)


# A one-page PDF: the demo's proof of experience (fictitious).
PROOF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _vae_file(candidacy, by, *, incomplete_by=None):
    """The recevabilité file: experience declared, a proof attached, filed. With `incomplete_by`, the
    certifier first finds it incomplete; the candidate adds a period and a proof, and files it again."""

    def proof(name):
        upload = SimpleUploadedFile(name, PROOF, content_type="application/pdf")
        services.document_upload(candidacy=candidacy, by=by, kind=DocumentKind.EXPERIENCE, uploaded_file=upload)

    proof("certificat-de-travail.pdf")
    eligibility = assessments.vae_eligibility_submit(candidacy=candidacy, by=by)
    if incomplete_by is not None:
        assessments.vae_eligibility_decide(
            eligibility=eligibility,
            by=incomplete_by,
            decision=EligibilityState.INCOMPLETE,
            reasons="Le certificat de travail ne couvre pas la période la plus récente : joignez-en un.",
        )
        assessments.vae_period_add(
            candidacy=candidacy,
            by=by,
            start=date(2024, 9, 1),
            end=date(2025, 3, 31),
            job_title="Opérateur de production confirmé",
            employer_name=f"Entreprise industrielle {DEMO}",
            activities="Conduite de ligne, réglages de premier niveau, accueil des nouveaux arrivants.",
        )
        proof("attestation-employeur.pdf")
        assessments.vae_eligibility_submit(candidacy=candidacy, by=by)
    return candidacy


def _vae_dossier(candidacy, by):
    """The dossier de validation: one narrative per block to validate, then submitted."""

    for row in candidacy.blocks.exclude(status=BlockStatus.EXEMPTED).select_related("block"):
        assessments.vae_dossier_save(
            candidacy=candidacy,
            by=by,
            block=row.block,
            narrative=(
                f"{DEMO} Activités exercées pour le bloc {row.block.code} : situations vécues sur le poste, "
                "outils utilisés, difficultés rencontrées et solutions apportées."
            ),
        )
    return assessments.vae_dossier_submit(candidacy=candidacy, by=by, comment="Dossier de validation complet.")


@transaction.atomic
def _make(spec, *, certifications, certifiers, organisations, people, admin) -> Candidacy:
    candidate_key, certification_key, certifier_key, path, funding, employer_key, target, options = spec
    candidate = people["candidates"][candidate_key]
    certifier = certifiers[certifier_key]
    staff = (
        User.objects.filter(memberships__role=Role.CERTIFIER_STAFF, memberships__certifier=certifier)
        .order_by("pk")
        .first()
        or admin
    )
    situation = next((s for k, *_, s in CANDIDATES if k == candidate_key), "EMPLOYEE")
    employer = organisations[employer_key] if employer_key else None
    creator = candidate.user or (people["users"][Role.EMPLOYER] if employer_key == "aero" else staff)
    candidacy = services.candidacy_create(
        by=creator,
        candidate=candidate,
        certification=certifications[certification_key],
        certifier=certifier,
        path=path,
        situation=situation,
        funding=funding,
        employer=employer,
        tutor=people["tutor"] if funding in ("CONTRAT_PRO", "PRO_A") else None,
        experience_periods=EXPERIENCE if path == Path.VAE else (),
    )
    steps = _steps(path, target, options)
    users = people["users"]
    for position, name in enumerate(steps):
        if name == "mark_ready_for_jury":
            _assess_blocks(candidacy, users[Role.ASSESSOR], correct=options.get("correct", False))
        actor = _actor(name, candidacy, staff=staff, users=users, employer=organisations["aero"])
        if name == "record_positioning":
            candidacy = _position(candidacy, actor, revise=options.get("revise", False))
        elif path == Path.VAE and name == "submit":
            candidacy = _vae_file(candidacy, actor, incomplete_by=staff if options.get("incomplete") else None)
        elif path == Path.VAE and name in ("declare_admissible", "declare_inadmissible"):
            decision = EligibilityState.ADMISSIBLE if name == "declare_admissible" else EligibilityState.INADMISSIBLE
            current = candidacy.vae_eligibilities.order_by("-version").first()
            assessments.vae_eligibility_decide(eligibility=current, by=staff, decision=decision, reasons=COMMENTS[name])
        elif name == "submit_vae_dossier":
            candidacy = _vae_dossier(candidacy, actor)
        elif not (name == "start_training" and _train(candidacy, users=users, complete=position + 1 < len(steps))):
            candidacy = services.candidacy_transition(
                candidacy=candidacy, name=name, by=actor, comment=COMMENTS.get(name, "")
            )
        candidacy.refresh_from_db()
        if position + 1 == len(steps) and candidacy.state == State.IN_ASSESSMENT:
            _assess_some(candidacy, users[Role.ASSESSOR])
        # Organisations are named once admissible, when the path goes on (some are left to name).
        if name == "declare_admissible" and options.get("assign", True) and position + 1 < len(steps):
            candidacy = services.candidacy_assign(
                candidacy=candidacy,
                by=staff,
                training_org=organisations["campus"] if path == Path.TRAINING else None,
                assessment_centre=organisations["evaluation"],
            )
    return candidacy


def load_candidacies(*, certifications, certifiers, admin) -> dict:
    """Organisations, memberships and candidacies. Returns the organisations of the demo accounts."""
    organisations = load_organisations(certifications=certifications)
    people = load_members(organisations)
    made, refused = 0, []
    # The demo's addresses are fictitious: the e-mails of its story are not sent, nor each task logged.
    tasks_log = logging.getLogger("django_tasks")
    level = tasks_log.level
    tasks_log.setLevel(logging.WARNING)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for spec in CANDIDACIES:
            candidate = people["candidates"][spec[0]]
            certification = certifications[spec[1]]
            if Candidacy.objects.filter(candidate=candidate, certification=certification, path=spec[3]).exists():
                continue
            try:
                _make(
                    spec,
                    certifications=certifications,
                    certifiers=certifiers,
                    organisations=organisations,
                    people=people,
                    admin=admin,
                )
            except ValidationError as error:
                # The rest of the demo still loads; the command shows what a service refused and why.
                refused.append(f"{candidate} — {certification.code} ({spec[3]}) : {' '.join(error.messages)}")
            else:
                made += 1
        jury = juries.load_juries(
            specs=CANDIDACIES,
            certifications=certifications,
            certifiers=certifiers,
            organisations=organisations,
            people=people,
            admin=admin,
        )
    tasks_log.setLevel(level)
    return {
        "sessions_made": jury["sessions_made"],
        "made": made,
        "refused": refused + jury["refused"],
        "organisations": {email: organisations[key] for email, _, key in MEMBERS},
    }
