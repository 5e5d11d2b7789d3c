"""Build the demonstration platform. Idempotent: a second run finds everything in place and adds nothing.

Order matters: branches and their collective agreements first (the importer attaches a fiche to
the branch of an agreement it knows), then the registry samples, then the accounts (the platform
administrator signs the demo edits), then the demo certifications through the catalogue services.
"""

import datetime
from pathlib import Path
from types import SimpleNamespace

from django.core.management import call_command
from django.db import transaction

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.catalogue import services
from cqp.catalogue.models import (
    Block,
    BlockEquivalence,
    Branch,
    Certification,
    CertificationLineage,
    Certifier,
    CollectiveAgreement,
    Nsf,
)

from . import candidacies, content, credentials, juries

SAMPLES = Path(__file__).resolve().parent.parent / "catalogue" / "registry" / "samples"
PLATFORM_ADMIN = "platform_admin"
ORGANISATION_ROLES = {Role.EMPLOYER, Role.TRAINING_ORG, Role.ASSESSOR}
# Jury members join a certifier by their mandate on its jury (juries.py), not by the account table.
MANDATE_ROLES = {Role.JURY_MEMBER}


def sample_files(folder: Path = SAMPLES) -> list[Path]:
    """Every registry extract shipped with the project: the CSV zip first (older), then the XML files."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in {".zip", ".xml"}]
    return sorted(files, key=lambda p: (p.suffix.lower() != ".zip", p.name))


@transaction.atomic
def load_branches_and_certifiers() -> dict[str, Certifier]:
    branches = {}
    for spec in content.BRANCHES:
        branch, _ = Branch.objects.update_or_create(
            slug=spec["slug"],
            defaults={"name": spec["name"], "opco_name": spec["opco_name"], "opco_url": spec["opco_url"]},
        )
        branches[branch.slug] = branch
        for number, idcc, label in spec["agreements"]:
            agreement, _ = CollectiveAgreement.objects.get_or_create(number=number, defaults={"label": label})
            changed = [name for name, value in (("branch", branch), ("idcc", idcc)) if not getattr(agreement, name)]
            agreement.branch = agreement.branch or branch
            agreement.idcc = agreement.idcc or idcc
            if changed:
                agreement.save(update_fields=changed)
    certifiers = {}
    for key, spec in content.certifiers().items():
        if spec["siret"]:
            certifier, _ = Certifier.objects.get_or_create(siret=spec["siret"], defaults={"name": spec["name"]})
        else:
            certifier = Certifier.objects.filter(siret=None, name=spec["name"]).first() or Certifier.objects.create(
                siret=None, name=spec["name"]
            )
        certifier.branches.add(*(branches[slug] for slug in spec["branches"]))
        certifiers[key] = certifier
    return certifiers


def import_samples(stdout=None) -> list[Path]:
    files = sample_files()
    if files:
        call_command("import_registry", *[str(p) for p in files], stdout=stdout)
    return files


@transaction.atomic
def load_accounts(certifiers: dict[str, Certifier]) -> list[dict]:
    """One account per role; the password is reset to the demo one at each run, so the printed table holds."""
    rows = []
    for email, first_name, last_name, role, certifier_key in content.ACCOUNTS:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.first_name, user.last_name = first_name, last_name
        user.is_active = True
        user.is_staff = user.is_superuser = role == PLATFORM_ADMIN
        user.set_password(content.PASSWORD)
        user.save()
        certifier = certifiers.get(certifier_key)
        # Employers, training organisations and assessment centres belong to an organisation: see candidacies.py.
        if role != PLATFORM_ADMIN and role not in ORGANISATION_ROLES | MANDATE_ROLES:
            Membership.objects.get_or_create(user=user, role=role, certifier=certifier, organisation=None)
        rows.append({"role": role, "email": email, "password": content.PASSWORD, "certifier": certifier})
    return rows


def _existing(spec, certifiers) -> Certification | None:
    if spec["code"]:
        return Certification.objects.filter(code=spec["code"]).first()
    # A platform code is given at creation: find the certification again by its title and certifier.
    certifier = certifiers[spec["certifiers"][0]]
    return Certification.objects.filter(title=spec["title"], certifiers=certifier, registry="NONE").first()


@transaction.atomic
def _create_certification(spec, *, by, certifiers, branches) -> Certification:
    main, *others = (certifiers[key] for key in spec["certifiers"])
    end = spec.get("registration_end")
    certification = services.certification_create(
        by=by,
        certifier=main,
        co_certifiers=others,
        title=spec["title"],
        kind=spec["kind"],
        registry=spec["registry"],
        code=spec["code"],
        level=spec["level"],
        active=spec["active"],
        registration_end=datetime.date.fromisoformat(end) if end else None,
        branches=[branches[slug] for slug in spec["branches"]],
        access_routes=spec["access_routes"],
        objectives=spec["objectives"],
        activities=spec.get("activities", ""),
        abilities=spec.get("abilities", ""),
        reason="Données de démonstration (load_demo).",
    )
    for code, label in spec.get("nsf", ()):
        nsf, _ = Nsf.objects.get_or_create(code=code, defaults={"label": label})
        certification.nsf.add(nsf)
    for block_spec in spec["blocks"]:
        block = services.block_create(
            certification=certification,
            by=by,
            title=block_spec["title"],
            competencies=block_spec["competencies"],
            assessment_methods=block_spec["assessment_methods"],
        )
        for text, mandatory in block_spec["criteria"]:
            services.criterion_create(block=block, by=by, text=text, mandatory=mandatory)
    return certification


def _nth_block(certification, number) -> Block:
    return certification.blocks.order_by("position", "code")[number - 1]


def load_certifications(*, by, certifiers) -> dict[str, Certification]:
    branches = {b.slug: b for b in Branch.objects.all()}
    loaded = {}
    for spec in content.certifications():
        certification = _existing(spec, certifiers)
        if certification is None:
            certification = _create_certification(spec, by=by, certifiers=certifiers, branches=branches)
        loaded[spec["key"]] = certification
    for key, number, target_key, target_number, kind in content.EQUIVALENCES:
        block = _nth_block(loaded[key], number)
        target = _nth_block(loaded[target_key], target_number)
        if not BlockEquivalence.objects.filter(block=block, target_block=target).exists():
            services.equivalence_create(block=block, target_block=target, by=by, kind=kind)
    for old_key, new_key in content.LINEAGE:
        old, new = loaded[old_key], loaded[new_key]
        if not CertificationLineage.objects.filter(old_code=old.code, new_code=new.code).exists():
            services.lineage_create(old=old, new=new, by=by, reason="Filiation supposée pour la démonstration.")
    # Imported fiches of a demo branch (the real CQP Tourier and the fiche it replaced).
    for code, slugs in content.IMPORTED_BRANCHES.items():
        certification = Certification.objects.filter(code=code).first()
        if certification is not None:
            wanted = set(slugs) | set(certification.branches.values_list("slug", flat=True))
            services.certification_set_branches(
                certification=certification, by=by, branches=[branches[s] for s in sorted(wanted)]
            )
    return loaded


DEMO_CRITERIA = [
    ("(démonstration) Les consignes de sécurité et de qualité du poste sont appliquées", True),
    ("(démonstration) Le résultat obtenu est conforme à la demande", True),
    ("(démonstration) Les écarts constatés sont signalés à la bonne personne", False),
]


def ensure_criteria(*, by, certifications) -> int:
    """Every demo block can be assessed: a block without criteria gets demonstration ones."""
    added = 0
    for certification in certifications.values():
        for block in certification.blocks.filter(criteria__isnull=True).order_by("position"):
            for text, mandatory in DEMO_CRITERIA:
                services.criterion_create(block=block, by=by, text=text, mandatory=mandatory)
                added += 1
    return added


def assessments_summary() -> str:
    from cqp.assessments.models import BlockAssessment, Positioning, TrainingPlan, VaeDossierEntry, VaeEligibility

    return (
        f"Parcours : {Positioning.objects.count()} positionnements, {TrainingPlan.objects.count()} plans de "
        f"formation, {BlockAssessment.objects.count()} évaluations de blocs, {VaeEligibility.objects.count()} "
        f"dossiers de recevabilité VAE, {VaeDossierEntry.objects.values('candidacy').distinct().count()} "
        "dossiers de validation VAE."
    )


def load_demo(stdout=None) -> dict:
    certifiers = load_branches_and_certifiers()
    files = import_samples(stdout=stdout)
    accounts = load_accounts(certifiers)
    admin = User.objects.get(email=accounts[0]["email"])
    certifications = load_certifications(by=admin, certifiers=certifiers)
    ensure_criteria(by=admin, certifications=certifications)
    platform = candidacies.load_candidacies(certifications=certifications, certifiers=certifiers, admin=admin)
    credentials.load_credentials()
    if stdout is not None:
        stdout.write(assessments_summary())
        stdout.write(juries.summary())
        stdout.write(credentials.summary())
    sitting = juries.jury_names_of([a["email"] for a in accounts if a["role"] == Role.JURY_MEMBER])
    for account in accounts:
        account["organisation"] = platform["organisations"].get(account["email"])
        if account["email"] in sitting:
            account["organisation"] = SimpleNamespace(name=sitting[account["email"]])
    return {
        "files": files,
        "accounts": accounts,
        "certifications": certifications,
        "candidacies_made": platform["made"],
        "candidacies_refused": platform["refused"],
        "jury_sessions_made": platform["sessions_made"],
    }
