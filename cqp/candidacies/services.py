"""Every write on a candidacy: one function each, transactional, leaving a trail."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cqp.catalogue.models import Block, BlockEquivalence

from . import rules, workflow
from .enums import BlockStatus, State
from .models import Candidacy, CandidacyBlock, CandidacyEvent, ExperiencePeriod
from .selectors import actor_roles


def held_block_ids(candidate) -> set[int]:
    """Blocks the person already holds: acquired in any candidacy, and the blocks equivalent to them."""
    acquired = set(
        CandidacyBlock.objects.filter(candidacy__candidate=candidate, status=BlockStatus.ACQUIRED).values_list(
            "block_id", flat=True
        )
    )
    if not acquired:
        return set()
    equivalent = set(
        BlockEquivalence.objects.filter(block_id__in=acquired, target_block__isnull=False).values_list(
            "target_block_id", flat=True
        )
    ) | set(
        BlockEquivalence.objects.filter(target_block_id__in=acquired, block__isnull=False).values_list(
            "block_id", flat=True
        )
    )
    return acquired | equivalent


@transaction.atomic
def candidacy_create(
    *,
    by,
    candidate,
    certification,
    path,
    situation,
    funding="",
    certifier=None,
    employer=None,
    tutor=None,
    training_org=None,
    assessment_centre=None,
    experience_periods=(),
    block_codes=None,
) -> Candidacy:
    """A new candidacy in draft. Blocks the person already holds are exempted; `block_codes` narrows
    the target to some blocks. Raises ValidationError (French) and writes nothing when refused."""
    errors = {}
    problems = rules.certification_problems(certification)
    if problems:
        errors["certification"] = problems
    certifiers = list(certification.certifiers.all())
    if certifier is None and certifiers:
        certifier = certifiers[0]
    if certifier is None or certifier not in certifiers:
        errors.setdefault("certifier", []).append("Choisissez l'un des certificateurs de cette certification.")
    if tutor is not None and (employer is None or tutor.employer_id != employer.pk):
        errors.setdefault("tutor", []).append("Le tuteur doit appartenir à l'entreprise du candidat.")
    blocks = list(Block.objects.filter(certification=certification, in_registry=True).order_by("position", "code"))
    if block_codes is not None:
        wanted = {code.strip().upper() for code in block_codes}
        unknown = wanted - {b.code.upper() for b in blocks}
        if unknown:
            errors.setdefault("blocks", []).append(
                f"Blocs inconnus pour cette certification : {', '.join(sorted(unknown))}."
            )
        blocks = [b for b in blocks if b.code.upper() in wanted]
    if not blocks:
        errors.setdefault("blocks", []).append("Cette certification n'a aucun bloc de compétences à viser.")
    for period in experience_periods:
        if period.get("end") and period["end"] < period["start"]:
            errors.setdefault("experience_periods", []).append("Une période d'expérience finit avant d'avoir commencé.")
    if errors:
        raise ValidationError(errors)

    candidacy = Candidacy.objects.create(
        candidate=candidate,
        certification=certification,
        certifier=certifier,
        path=path,
        situation=situation,
        funding=funding,
        employer=employer,
        tutor=tutor,
        training_org=training_org,
        assessment_centre=assessment_centre,
        created_by=by,
    )
    held = held_block_ids(candidate)
    CandidacyBlock.objects.bulk_create(
        CandidacyBlock(
            candidacy=candidacy,
            block=block,
            status=BlockStatus.EXEMPTED if block.pk in held else BlockStatus.TO_ACQUIRE,
        )
        for block in blocks
    )
    ExperiencePeriod.objects.bulk_create(
        ExperiencePeriod(candidacy=candidacy, **period) for period in experience_periods
    )
    CandidacyEvent.objects.create(
        candidacy=candidacy,
        by=by,
        name="create",
        to_state=State.DRAFT,
        data={"exempted": sorted(b.code for b in blocks if b.pk in held)},
    )
    return candidacy


def candidacy_transition(*, candidacy: Candidacy, name: str, by, comment: str = "") -> Candidacy:
    """Apply one transition of the workflow: lock, check, move, record, notify after commit.

    Raises PermissionDenied when `by` may not apply it, ValidationError (French) when it is not
    allowed from the current state or its conditions are not met.
    """
    with transaction.atomic():
        candidacy = (
            Candidacy.objects.select_for_update().select_related("candidate", "certification").get(pk=candidacy.pk)
        )
        transition = workflow.TRANSITIONS.get(name)
        if transition is None:
            raise ValidationError(f"Action inconnue : « {name} ».")
        if not (transition.roles & actor_roles(by, candidacy)):
            raise PermissionDenied("Vous ne pouvez pas effectuer cette action sur cette candidature.")
        if candidacy.path not in transition.paths:
            raise ValidationError(
                f"« {transition.label} » ne s'applique pas à la voie {candidacy.get_path_display().lower()}."
            )
        if candidacy.state not in transition.sources:
            raise ValidationError(
                f"« {transition.label} » n'est pas possible quand la candidature est "
                f"« {candidacy.get_state_display()} »."
            )
        comment = (comment or "").strip()
        if transition.comment_required and not comment:
            raise ValidationError("Donnez le motif de cette décision : il sera communiqué aux personnes concernées.")
        problems = [reason for guard in transition.guards for reason in rules.GUARDS[guard](candidacy)]
        if problems:
            raise ValidationError(problems)
        from_state = candidacy.state
        candidacy.state = transition.target
        candidacy.state_changed_at = timezone.now()
        candidacy.save(update_fields=["state", "state_changed_at", "updated_at"])
        if name == "reopen":
            candidacy.blocks.filter(status=BlockStatus.NOT_ACQUIRED).update(status=BlockStatus.TO_ACQUIRE)
        event = CandidacyEvent.objects.create(
            candidacy=candidacy, by=by, name=name, from_state=from_state, to_state=transition.target, comment=comment
        )
        if transition.notify:
            from .notifications import notify_event

            transaction.on_commit(lambda: notify_event(event_id=event.pk))
    return candidacy
