"""Reads of the assessments app."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from cqp.candidacies import rules, workflow
from cqp.candidacies.enums import FUNDING_NEEDS_EMPLOYER, BlockStatus

from .enums import PlanStatus, PositioningResult
from .models import Positioning, PositioningBlock, TrainingModule, TrainingPlan, VaeDossierEntry, VaeEligibility


def vae_eligibility_history(candidacy) -> list[VaeEligibility]:
    """Every version of the recevabilité file, the latest first."""
    return list(VaeEligibility.objects.filter(candidacy=candidacy).select_related("decided_by").order_by("-version"))


def vae_eligibility_current(candidacy) -> VaeEligibility | None:
    return VaeEligibility.objects.filter(candidacy=candidacy).select_related("decided_by").order_by("-version").first()


def vae_experience(candidacy, *, today=None) -> dict:
    """The declared periods and the relevant experience they cover (overlaps counted once)."""
    periods = list(candidacy.experience_periods.prefetch_related("blocks").order_by("start", "pk"))
    days = rules.experience_days(periods, today=today)
    return {
        "periods": periods,
        "days": days,
        "months": days * 12 // 365,
        "enough": days >= rules.VAE_MINIMUM_DAYS,
        "missing_days": max(rules.VAE_MINIMUM_DAYS - days, 0),
    }


def vae_dossier_sections(candidacy) -> list[dict]:
    """One section per targeted block: the block, whether it is exempted, and what is written for it."""
    entries = {e.block_id: e for e in VaeDossierEntry.objects.filter(candidacy=candidacy).prefetch_related("documents")}
    return [
        {"block": cb.block, "exempted": cb.status == BlockStatus.EXEMPTED, "entry": entries.get(cb.block_id)}
        for cb in candidacy.blocks.select_related("block").order_by("block__position")
    ]


# --------------------------------------------------------------------------- positioning and training plan


def positioning_current(candidacy) -> Positioning | None:
    """The positioning in force, with its results and their blocks."""
    return (
        candidacy.positionings.filter(is_current=True)
        .select_related("by")
        .prefetch_related(Prefetch("results", queryset=PositioningBlock.objects.select_related("block", "evidence")))
        .first()
    )


def positioning_history(candidacy) -> list[Positioning]:
    """Every version, newest first, with results."""
    return list(
        candidacy.positionings.select_related("by")
        .prefetch_related(Prefetch("results", queryset=PositioningBlock.objects.select_related("block", "evidence")))
        .order_by("-version")
    )


def positioning_remaining_blocks(candidacy, *, positioning=None) -> list:
    """The blocks the training must cover: those positioned TO_ACQUIRE, and PARTLY when the branch
    trains partly acquired blocks. Nothing before a positioning is recorded."""
    positioning = positioning or candidacy.positionings.filter(is_current=True).first()
    if positioning is None:
        return []
    wanted = [PositioningResult.TO_ACQUIRE]
    if candidacy.certification.train_partly_acquired:
        wanted.append(PositioningResult.PARTLY)
    return [
        row.block
        for row in positioning.results.select_related("block").order_by("block__position", "block__code")
        if row.result in wanted
    ]


def training_plan_current(candidacy) -> TrainingPlan | None:
    """The plan in force (the last one not superseded), with its modules and their blocks."""
    return (
        candidacy.training_plans.exclude(status=PlanStatus.SUPERSEDED)
        .select_related("training_org", "tutor", "created_by")
        .prefetch_related(
            Prefetch(
                "modules",
                queryset=TrainingModule.objects.select_related("block").order_by("block__position", "id"),
            )
        )
        .order_by("-version")
        .first()
    )


def training_plan_history(candidacy) -> list[TrainingPlan]:
    return list(candidacy.training_plans.select_related("created_by").order_by("-version"))


def training_plan_differences(plan, *, candidacy=None) -> dict:
    """How the plan's blocks differ from those the positioning in force leaves to train: `missing`
    (to train, no module) and `extra` (a module, no longer to train), blocks in their order. Both
    empty when the plan matches; a revision of the positioning after the proposal may change them."""
    candidacy = candidacy or plan.candidacy
    remaining = positioning_remaining_blocks(candidacy)
    planned = {}
    for module in plan.modules.all():
        planned.setdefault(module.block_id, module.block)
    remaining_ids = {block.pk for block in remaining}
    extra = sorted((b for pk, b in planned.items() if pk not in remaining_ids), key=lambda b: (b.position, b.code))
    return {"missing": [b for b in remaining if b.pk not in planned], "extra": extra}


def training_plan_mismatch(plan, *, candidacy=None) -> list[str]:
    """The French reason refusing to start (or accept) a plan that no longer matches the positioning."""
    differences = training_plan_differences(plan, candidacy=candidacy)
    if not (differences["missing"] or differences["extra"]):
        return []
    parts = []
    if differences["missing"]:
        parts.append(
            _("à former sans module : %(codes)s") % {"codes": ", ".join(b.code for b in differences["missing"])}
        )
    if differences["extra"]:
        parts.append(
            _("module pour un bloc qui n'est plus à former : %(codes)s")
            % {"codes": ", ".join(b.code for b in differences["extra"])}
        )
    return [
        _(
            "Le positionnement a été révisé depuis que ce parcours a été proposé (%(differences)s) : proposez une "
            "nouvelle version du parcours depuis la page Parcours de formation de la candidature."
        )
        % {"differences": " ; ".join(parts)}
    ]


def training_plan_required_acceptances(plan, *, candidacy=None) -> set[str]:
    """The candidate always; the employer too when the plan's funding is paid by the employer."""
    candidacy = candidacy or plan.candidacy
    required = {workflow.CANDIDATE}
    if plan.funding in FUNDING_NEEDS_EMPLOYER and candidacy.employer_id:
        required.add(workflow.EMPLOYER)
    return required


def training_plan_pending_acceptances(plan, *, candidacy=None) -> set[str]:
    given = {workflow.CANDIDATE: plan.accepted_by_candidate_at, workflow.EMPLOYER: plan.accepted_by_employer_at}
    return {role for role in training_plan_required_acceptances(plan, candidacy=candidacy) if given[role] is None}


# --- Block assessments and readiness for the jury -------------------------------------------------


def assessment_expected_verdict(answers, threshold: int) -> str:
    """The verdict the referential gives: ACQUIRED when every mandatory criterion is met and the share
    of met optional criteria reaches the branch's threshold (percent). `answers`: (mandatory, met) pairs."""
    from .enums import Verdict

    answers = list(answers)
    if any(mandatory and not met for mandatory, met in answers):
        return Verdict.NOT_ACQUIRED
    optional = [met for mandatory, met in answers if not mandatory]
    # Integers only: met / total >= threshold / 100, without rounding.
    if optional and sum(1 for met in optional if met) * 100 < threshold * len(optional):
        return Verdict.NOT_ACQUIRED
    return Verdict.ACQUIRED


def assessment_history(candidacy):
    """Every assessment of the candidacy, newest version first within each block, with results and assessor."""
    from .models import BlockAssessment

    return (
        BlockAssessment.objects.filter(candidacy=candidacy)
        .select_related("block", "assessor", "assessment_centre")
        .prefetch_related("results__criterion", "evidence__document")
        .order_by("block__position", "block__code", "-version")
    )


def assessment_current(candidacy, block):
    """The latest version (draft or submitted) of a block's assessment, or None."""
    from .enums import AssessmentState
    from .models import BlockAssessment

    return (
        BlockAssessment.objects.filter(candidacy=candidacy, block=block, judged=False)
        .exclude(state=AssessmentState.SUPERSEDED)
        .order_by("-version")
        .first()
    )


def readiness_for_jury(candidacy) -> tuple[bool, list[str]]:
    """Ready when every targeted block has a submitted assessment with no correction pending, or an
    exemption, or was validated by the jury already (capitalised; never assessed again). Assessments a
    jury has examined do not count for the blocks it did not validate: they need a new one.
    Returns (ready, the French reasons per block that keep it from the jury)."""
    from django.utils.translation import gettext as _

    from cqp.candidacies.enums import BlockStatus

    from .enums import AssessmentState
    from .models import BlockAssessment

    blocks = list(candidacy.blocks.select_related("block").order_by("block__position", "block__code"))
    latest = {}
    for assessment in (
        BlockAssessment.objects.filter(candidacy=candidacy, judged=False)
        .exclude(state=AssessmentState.SUPERSEDED)
        .only("block_id", "state", "version")
        .order_by("version")
    ):
        latest[assessment.block_id] = assessment
    missing = []
    for row in blocks:
        if row.status in (BlockStatus.EXEMPTED, BlockStatus.ACQUIRED):
            continue
        label = f"{row.block.code} — {row.block.title}"
        assessment = latest.get(row.block_id)
        if assessment is None:
            missing.append(_("%(block)s : pas encore d'évaluation.") % {"block": label})
        elif assessment.state == AssessmentState.DRAFT and assessment.version > 1:
            missing.append(_("%(block)s : une correction de l'évaluation est en cours de saisie.") % {"block": label})
        elif assessment.state == AssessmentState.DRAFT:
            missing.append(_("%(block)s : évaluation en cours de saisie, pas encore transmise.") % {"block": label})
    if not blocks:
        missing.append(_("Aucun bloc n'est visé par cette candidature."))
    return (not missing, missing)


def assessment_worklist(user):
    """Candidacies in assessment assigned to the assessment centres the user assesses for, with the
    blocks still to assess (`to_assess`: list of CandidacyBlock, each with `has_draft`) attached."""
    from cqp.accounts.enums import Role
    from cqp.accounts.models import Membership
    from cqp.candidacies.enums import BlockStatus, State
    from cqp.candidacies.models import Candidacy

    from .enums import AssessmentState
    from .models import BlockAssessment

    if not (user and user.is_authenticated and user.is_active):
        return []
    centres = Membership.objects.filter(user=user, role=Role.ASSESSOR, organisation__isnull=False).values(
        "organisation_id"
    )
    candidacies = list(
        Candidacy.objects.filter(assessment_centre__in=centres, state=State.IN_ASSESSMENT)
        .select_related("candidate", "certification")
        .prefetch_related("blocks__block")
        .order_by("state_changed_at", "pk")
    )
    submitted = set(
        BlockAssessment.objects.filter(
            candidacy__in=candidacies, state=AssessmentState.SUBMITTED, judged=False
        ).values_list("candidacy_id", "block_id")
    )
    drafts = set(
        BlockAssessment.objects.filter(
            candidacy__in=candidacies, state=AssessmentState.DRAFT, judged=False
        ).values_list("candidacy_id", "block_id")
    )
    for candidacy in candidacies:
        rows = sorted(candidacy.blocks.all(), key=lambda b: (b.block.position, b.block.code))
        candidacy.to_assess = []
        for b in rows:
            key = (candidacy.pk, b.block_id)
            if b.status in (BlockStatus.EXEMPTED, BlockStatus.ACQUIRED) or (key in submitted and key not in drafts):
                continue
            b.has_draft = key in drafts
            candidacy.to_assess.append(b)
    return candidacies
