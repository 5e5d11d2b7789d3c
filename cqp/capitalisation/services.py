"""Writes on the blocks a person holds: from a delivered award, from an earlier certification, and
their withdrawal when an award is revoked. Each leaves an audit row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqp.candidacies.selectors import staff_certifier_ids
from cqp.core.models import AuditEvent

from .enums import HeldSource
from .models import HeldBlock


def expiry_date(years, obtained_on):
    """`obtained_on` plus the certifier's number of years (29 February gives 28 February); None: never."""
    if not years:
        return None
    try:
        return obtained_on.replace(year=obtained_on.year + years)
    except ValueError:
        return obtained_on.replace(year=obtained_on.year + years, day=28)


def _audit(*, by, action, candidate_id, before=None, after=None, reason=""):
    AuditEvent.objects.create(
        actor=by,
        action=action,
        object_type="candidacies.candidate",
        object_id=str(candidate_id),
        before=before,
        after=after,
        reason=reason,
    )


@transaction.atomic
def held_blocks_record_from_award(*, award) -> list[HeldBlock]:
    """The blocks of a delivered award become held by its holder, from its delivery date.

    A block already held and in force keeps its row (the first proof stays); an expired row is
    renewed by the new award. Called by the delivery, in its transaction; idempotent.
    """
    candidate_id = award.candidacy.candidate_id
    today = timezone.localdate()
    blocks = list(award.blocks.select_related("certification"))
    existing = {
        row.block_id: row
        for row in HeldBlock.objects.select_for_update().filter(candidate_id=candidate_id, block__in=blocks)
    }
    made = []
    for block in blocks:
        row = existing.get(block.pk)
        if row is not None and row.in_force(today):
            continue
        if row is not None:
            row.delete()
        made.append(
            HeldBlock.objects.create(
                candidate_id=candidate_id,
                block=block,
                source=HeldSource.JURY,
                obtained_on=award.delivered_on,
                expires_on=expiry_date(block.certification.block_validity_years, award.delivered_on),
                award=award,
                recorded_by=award.delivered_by,
            )
        )
    if made:
        _audit(
            by=award.delivered_by,
            action="held_blocks_record",
            candidate_id=candidate_id,
            after={"award": award.number, "blocks": sorted(row.block.code for row in made)},
        )
    return made


@transaction.atomic
def held_blocks_withdraw_for_award(*, award, by, reason: str = "") -> list[str]:
    """An award is revoked: the blocks it gave are no longer held, unless another award of the
    person in force gives them too (the row then points to it). Returns the codes withdrawn."""
    from cqp.awards.models import Award

    rows = list(HeldBlock.objects.select_for_update().filter(award=award).select_related("block__certification"))
    withdrawn, moved = [], []
    for row in rows:
        other = (
            Award.objects.filter(candidacy__candidate_id=row.candidate_id, revoked_at=None, blocks=row.block_id)
            .exclude(pk=award.pk)
            .order_by("delivered_on", "pk")
            .first()
        )
        if other is None:
            row.delete()
            withdrawn.append(row.block.code)
        else:
            row.award, row.obtained_on = other, other.delivered_on
            row.expires_on = expiry_date(row.block.certification.block_validity_years, other.delivered_on)
            row.save(update_fields=["award", "obtained_on", "expires_on"])
            moved.append(row.block.code)
    if rows:
        _audit(
            by=by,
            action="held_blocks_withdraw",
            candidate_id=rows[0].candidate_id,
            before={"award": award.number, "blocks": sorted(withdrawn + moved)},
            after={"withdrawn": sorted(withdrawn), "kept_by_another_award": sorted(moved)},
            reason=reason or award.revocation_reason,
        )
    return sorted(withdrawn)


def _may_record(by, block) -> bool:
    if not (by and by.is_authenticated and by.is_active):
        return False
    if by.is_superuser:
        return True
    own = set(staff_certifier_ids(by))
    return bool(own & set(block.certification.certifiers.values_list("pk", flat=True)))


@transaction.atomic
def held_block_record_earlier(*, candidate, block, obtained_on, by, reference: str = "", expires_on=None) -> HeldBlock:
    """Certifier staff (of a certifier of the block's certification) record a block the person
    obtained earlier, on the proof shown (`reference`). Without `expires_on`, the certification's
    rule gives it (`block_validity_years`; none: never). Raises PermissionDenied or ValidationError."""
    if not _may_record(by, block):
        raise PermissionDenied(
            _("Seul le certificateur de cette certification enregistre un bloc obtenu antérieurement.")
        )
    errors = {}
    if obtained_on > timezone.localdate():
        errors["obtained_on"] = [_("La date d'obtention ne peut pas être dans le futur.")]
    if expires_on is not None and expires_on < obtained_on:
        errors["expires_on"] = [_("La fin de validité ne peut pas précéder la date d'obtention.")]
    if not (reference or "").strip():
        errors["reference"] = [_("Indiquez le document présenté : numéro, organisme, date.")]
    if HeldBlock.objects.filter(candidate=candidate, block=block).exists():
        errors["block"] = [_("Cette personne détient déjà ce bloc.")]
    if errors:
        raise ValidationError(errors)
    if expires_on is None:
        expires_on = expiry_date(block.certification.block_validity_years, obtained_on)
    row = HeldBlock.objects.create(
        candidate=candidate,
        block=block,
        source=HeldSource.EARLIER,
        obtained_on=obtained_on,
        expires_on=expires_on,
        reference=reference.strip(),
        recorded_by=by,
    )
    _audit(
        by=by,
        action="held_block_record_earlier",
        candidate_id=candidate.pk,
        after={
            "block": block.code,
            "obtained_on": obtained_on.isoformat(),
            "expires_on": expires_on.isoformat() if expires_on else None,
            "reference": row.reference,
        },
    )
    return row


@transaction.atomic
def held_blocks_record_earlier(*, candidate, blocks, obtained_on, by, reference: str = "") -> list[HeldBlock]:
    """Several blocks of one earlier certificate at once: all recorded, or none. The refusals of every
    block are gathered (a block already held is named by its code) into one ValidationError."""
    blocks = list(blocks)
    if not blocks:
        raise ValidationError({"blocks": [_("Cochez au moins un bloc.")]})
    made, errors = [], {}
    for block in blocks:
        try:
            with transaction.atomic():
                made.append(
                    held_block_record_earlier(
                        candidate=candidate, block=block, obtained_on=obtained_on, by=by, reference=reference
                    )
                )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name == "block":
                    name, messages = "blocks", [f"{block.code} : {message}" for message in messages]
                for message in messages:
                    if message not in errors.setdefault(name, []):
                        errors[name].append(message)
    if errors:
        raise ValidationError(errors)
    return made


@transaction.atomic
def capitalisation_backfill(*, by=None) -> int:
    """Fill the held blocks from every award in force delivered before they were recorded. Idempotent:
    a block already held is left as it is. Returns the number of rows made."""
    from cqp.awards.models import Award

    through = Award.blocks.through
    pairs = (
        through.objects.filter(award__revoked_at=None)
        .order_by("award__delivered_on", "award_id", "block_id")
        .values_list(
            "award__candidacy__candidate_id",
            "block_id",
            "award_id",
            "award__delivered_on",
            "award__delivered_by_id",
            "block__certification__block_validity_years",
        )
    )
    held = set(HeldBlock.objects.values_list("candidate_id", "block_id"))
    rows = []
    for candidate_id, block_id, award_id, delivered_on, delivered_by_id, years in pairs.iterator(chunk_size=5000):
        if (candidate_id, block_id) in held:
            continue
        held.add((candidate_id, block_id))
        rows.append(
            HeldBlock(
                candidate_id=candidate_id,
                block_id=block_id,
                source=HeldSource.JURY,
                obtained_on=delivered_on,
                expires_on=expiry_date(years, delivered_on),
                award_id=award_id,
                recorded_by_id=delivered_by_id,
            )
        )
    HeldBlock.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    if rows:
        AuditEvent.objects.create(
            actor=by,
            action="capitalisation_backfill",
            object_type="capitalisation.heldblock",
            object_id="*",
            after={"created": len(rows)},
        )
    return len(rows)
