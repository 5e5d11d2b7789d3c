"""Writes to the catalogue made by people: certifier staff and platform administrators.

Each service checks who acts (cqp.catalogue.permissions), validates, writes in one
transaction, keeps the derived fields right (rights, search text) and leaves one audit row
per certification it touched. Bad input raises a ValidationError in French and writes nothing.

Audit rows of the catalogue all hang on their certification (object_type
"catalogue.certification", object_id its primary key): blocks, criteria and equivalences are
parts of it, and its editing page shows one trail.

Fiches imported from France compétences (source REGISTRY) keep their registry facts read-only
here: a re-import would overwrite them. Staff add the platform's own facts to them: criteria,
equivalences, branches, extra blocks.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cqp.core.models import AuditEvent

from . import enums, rights
from .models import (
    Block,
    BlockEquivalence,
    Branch,
    Certification,
    CertificationLineage,
    Certifier,
    Competency,
    EvaluationCriterion,
)
from .permissions import can_act_for_certifier, certifications_editable_by
from .search import certification_search_text

AUDIT_OBJECT_TYPE = "catalogue.certification"

PLATFORM_CODE_PREFIX = "CQP-"
PLATFORM_CODE = re.compile(r"^CQP-(\d+)$")
REGISTRY_CODES = {
    enums.Registry.RNCP: (re.compile(r"^RNCP\d{3,6}$"), "RNCP37674"),
    enums.Registry.RS: (re.compile(r"^RS\d{3,5}$"), "RS6117"),
}
# Extra blocks added on the platform to an imported fiche get their own infix, so that a
# block the registry adds later (…BC05) never meets a platform block of the same code.
PLATFORM_BLOCK_INFIX = "PF"
REGISTRY_BLOCK_INFIX = "BC"

TEXT_FIELDS = (
    "objectives",
    "activities",
    "abilities",
    "sectors",
    "job_types",
    "entry_prerequisites",
    "validation_prerequisites",
)
# What staff may change on a certification created on the platform.
UPDATABLE_FIELDS = (
    "title",
    "kind",
    "level",
    "active",
    "registration_end",
    "access_routes",
    "block_validity_years",
    *TEXT_FIELDS,
)


# --------------------------------------------------------------------------- helpers


def _audit(*, by, certification, action, before=None, after=None, reason=""):
    AuditEvent.objects.create(
        actor=by if by is not None and by.is_authenticated else None,
        action=action,
        object_type=AUDIT_OBJECT_TYPE,
        object_id=str(certification.pk),
        before=before,
        after=after,
        reason=reason or "",
    )


def _lock(certification: Certification) -> Certification:
    """Re-read the row under lock: two editors never interleave on one certification."""
    return Certification.objects.select_for_update().get(pk=certification.pk)


def _ensure_can_edit(by, certification: Certification):
    if not certifications_editable_by(by).filter(pk=certification.pk).exists():
        raise PermissionDenied(
            _("Vous ne pouvez pas modifier cette certification : elle relève d'un autre certificateur.")
        )


def _is_registry_fiche(certification: Certification) -> bool:
    return certification.source == enums.Source.REGISTRY


def _refuse_registry_fields(certification: Certification, fields: Iterable[str]):
    if _is_registry_fiche(certification) and fields:
        raise ValidationError(
            _(
                "Cette fiche est importée du répertoire de France compétences : son intitulé, son code, "
                "ses dates et ses blocs du répertoire sont mis à jour par l'import et ne se modifient pas ici. "
                "Vous pouvez y ajouter des critères d'évaluation, des équivalences, des branches et des blocs "
                "propres à la plateforme."
            )
        )


def _iso(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _certification_snapshot(certification: Certification, fields=None) -> dict:
    fields = fields or ("code", "registry", *UPDATABLE_FIELDS)
    return {name: _iso(getattr(certification, name)) for name in fields}


def _block_snapshot(block: Block) -> dict:
    return {
        "block": block.code,
        "title": block.title,
        "position": block.position,
        "assessment_methods": block.assessment_methods,
        "competencies": [c.text for c in block.competencies.order_by("position", "id")],
    }


def _criterion_snapshot(criterion: EvaluationCriterion) -> dict:
    return {
        "block": criterion.block.code,
        "text": criterion.text,
        "mandatory": criterion.mandatory,
        "position": criterion.position,
    }


def _equivalence_snapshot(equivalence: BlockEquivalence) -> dict:
    return {
        "block": equivalence.block.code if equivalence.block_id else "",
        "target_certification": equivalence.target_certification_code,
        "target_block": equivalence.target_block_code,
        "kind": equivalence.kind,
    }


def _refresh_rights(certification: Certification):
    certification.vae_open = rights.vae_open(
        registry=certification.registry, active=certification.active, access_routes=certification.access_routes
    )
    certification.cpf_eligible = rights.cpf_eligible(registry=certification.registry, active=certification.active)


def _refresh_search_text(certification: Certification):
    certification.search_text = certification_search_text(certification)
    certification.save(update_fields=["search_text", "updated_at"])


def _clean_text(value, *, field, label, required=False, max_length=None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Renseignez le champ « %(label)s ».") % {"label": label}})
    if max_length and len(value) > max_length:
        raise ValidationError(
            {
                field: _("« %(label)s » ne peut dépasser %(max)d caractères (vous en avez saisi %(n)d).")
                % {"label": label, "max": max_length, "n": len(value)}
            }
        )
    return value


def _clean_kind(kind) -> str:
    if kind not in enums.CertificationKind.values:
        raise ValidationError({"kind": _("Choisissez le type : CQP, CQPI, CQPM ou autre certification.")})
    return kind


def _clean_level(level, *, registry) -> int | None:
    if level in (None, ""):
        return None
    try:
        level = int(level)
    except (TypeError, ValueError):
        raise ValidationError({"level": _("Le niveau est un nombre de 1 à 8, ou vide.")}) from None
    if not 1 <= level <= 8:
        raise ValidationError({"level": _("Le niveau du cadre national va de 1 à 8 : corrigez-le ou laissez-le vide.")})
    if registry == enums.Registry.RS:
        raise ValidationError(
            {"level": _("Une certification du Répertoire spécifique n'a pas de niveau : laissez le niveau vide.")}
        )
    return level


def _clean_access_routes(routes) -> list[str]:
    routes = list(dict.fromkeys(routes or ()))
    unknown = [r for r in routes if r not in enums.AccessRoute.values]
    if unknown:
        raise ValidationError(
            {"access_routes": _("Voie d'accès inconnue : %(routes)s.") % {"routes": ", ".join(unknown)}}
        )
    # Stored in the order of the enumeration, as the importer does.
    return [r for r in enums.AccessRoute.values if r in routes]


def _clean_validity_years(value) -> int | None:
    """The certifier's expiry rule for held blocks: a number of years, or None (blocks never expire)."""
    if value in (None, ""):
        return None
    try:
        years = int(value)
    except (TypeError, ValueError):
        years = 0
    if not 1 <= years <= 99:
        raise ValidationError(
            {"block_validity_years": _("Indiquez un nombre d'années entre 1 et 99, ou laissez vide.")}
        )
    return years


def _clean_date(value, *, field, label):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            {field: _("« %(label)s » : saisissez une date, par exemple 2030-12-31.") % {"label": label}}
        ) from None


def _clean_registry_code(registry, code) -> str | None:
    if registry not in enums.Registry.values:
        raise ValidationError({"registry": _("Choisissez le répertoire : RNCP, Répertoire spécifique ou aucun.")})
    code = (code or "").strip().upper().replace(" ", "")
    if registry == enums.Registry.NONE:
        if code:
            raise ValidationError(
                {
                    "code": _(
                        "Une certification enregistrée nulle part reçoit un code de la plateforme (CQP-00001…) : "
                        "laissez le code vide, ou choisissez le répertoire RNCP ou RS."
                    )
                }
            )
        return None
    pattern, example = REGISTRY_CODES[registry]
    if not code:
        raise ValidationError(
            {"code": _("Saisissez le code d'enregistrement, par exemple %(example)s.") % {"example": example}}
        )
    if not pattern.match(code):
        if registry == enums.Registry.RNCP:
            message = _(
                "« %(code)s » n'est pas un code RNCP : saisissez RNCP suivi de 3 à 6 chiffres, par exemple RNCP37674."
            )
        else:
            message = _(
                "« %(code)s » n'est pas un code du Répertoire spécifique : saisissez RS suivi de 3 à 5 chiffres, "
                "par exemple RS6117."
            )
        raise ValidationError({"code": message % {"code": code}})
    if Certification.objects.filter(code=code).exists():
        raise ValidationError(
            {
                "code": _(
                    "La certification %(code)s existe déjà dans le catalogue : ouvrez-la plutôt que d'en créer une "
                    "seconde."
                )
                % {"code": code}
            }
        )
    return code


def _used_platform_numbers() -> set[int]:
    """Numbers of platform codes ever given: live certifications and the audit of every creation."""
    codes = set(Certification.objects.filter(code__startswith=PLATFORM_CODE_PREFIX).values_list("code", flat=True))
    codes.update(
        AuditEvent.objects.filter(object_type=AUDIT_OBJECT_TYPE, action="certification.create")
        .exclude(after__code=None)
        .values_list("after__code", flat=True)
    )
    return {int(m.group(1)) for code in codes if isinstance(code, str) and (m := PLATFORM_CODE.match(code))}


def next_platform_code() -> str:
    """The next platform code. Codes are never reused, even after a deletion: the audit keeps them."""
    used = _used_platform_numbers()
    return f"{PLATFORM_CODE_PREFIX}{max(used, default=0) + 1:05d}"


def _next_block_code(certification: Certification) -> str:
    infix = PLATFORM_BLOCK_INFIX if _is_registry_fiche(certification) else REGISTRY_BLOCK_INFIX
    prefix = f"{certification.code}{infix}"
    numbers = [0]
    for code in certification.blocks.filter(code__startswith=prefix).values_list("code", flat=True):
        suffix = code[len(prefix) :]
        if suffix.isdigit():
            numbers.append(int(suffix))
    return f"{prefix}{max(numbers) + 1:02d}"


def _clean_competencies(competencies) -> list[str]:
    if isinstance(competencies, str):
        competencies = competencies.splitlines()
    cleaned = []
    for text in competencies or ():
        text = " ".join((text or "").split())
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned


def _write_competencies(block: Block, competencies: list[str]):
    block.competencies.all().delete()
    Competency.objects.bulk_create(
        [Competency(block=block, position=i, text=text) for i, text in enumerate(competencies, start=1)]
    )


# --------------------------------------------------------------------------- certifications


@transaction.atomic
def certification_create(
    *,
    by,
    certifier: Certifier,
    title: str,
    kind: str,
    registry: str = enums.Registry.NONE,
    code: str | None = None,
    level: int | None = None,
    branches: Iterable[Branch] = (),
    co_certifiers: Iterable[Certifier] = (),
    access_routes: Iterable[str] = (),
    active: bool = True,
    registration_end=None,
    reason: str = "",
    **texts,
) -> Certification:
    """A certification created on the platform by its certifier, registered in RNCP, RS or nowhere.

    `co_certifiers` are the other bodies that create it jointly (the branches of a CQPI): their
    staff may edit it too.
    """
    if not can_act_for_certifier(by, certifier):
        raise PermissionDenied(_("Vous ne pouvez créer une certification que pour votre propre certificateur."))
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"certification_create() got unexpected fields: {sorted(unknown)}")
    title = _clean_text(title, field="title", label=_("Intitulé"), required=True, max_length=500)
    kind = _clean_kind(kind)
    code = _clean_registry_code(registry, code)
    level = _clean_level(level, registry=registry)
    routes = _clean_access_routes(access_routes)
    registration_end = _clean_date(registration_end, field="registration_end", label=_("Fin d'enregistrement"))
    cleaned_texts = {name: (texts.get(name) or "").strip() for name in TEXT_FIELDS}
    branches = list(branches)

    certification = Certification(
        registry=registry,
        kind=kind,
        title=title,
        source=enums.Source.PLATFORM,
        level=level,
        level_code=f"NIV{level}" if level else "",
        active=bool(active),
        registration_end=registration_end,
        access_routes=routes,
        **cleaned_texts,
    )
    _refresh_rights(certification)
    if code:
        certification.code = code
        certification.save()
    else:
        # Two creators may race for the same number: the unique code settles it, the loser retries.
        for attempt in range(5):
            certification.code = next_platform_code()
            try:
                with transaction.atomic():
                    certification.save(force_insert=True)
                break
            except IntegrityError:
                certification.pk = None
                if attempt == 4:
                    raise
    co_certifiers = [c for c in co_certifiers if c.pk != certifier.pk]
    certification.certifiers.add(certifier, *co_certifiers)
    if branches:
        certification.branches.set(branches)
    _refresh_search_text(certification)
    after = _certification_snapshot(certification)
    after["certifier"] = certifier.name
    if co_certifiers:
        after["co_certifiers"] = [c.name for c in co_certifiers]
    after["branches"] = sorted(b.slug for b in branches)
    _audit(by=by, certification=certification, action="certification.create", after=after, reason=reason)
    return certification


@transaction.atomic
def certification_update(*, certification: Certification, by, reason: str = "", **changes) -> Certification:
    """Change the facts of a platform certification. Only the fields given are touched."""
    _ensure_can_edit(by, certification)
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(f"certification_update() got unexpected fields: {sorted(unknown)}")
    certification = _lock(certification)
    cleaners = {
        "title": lambda v: _clean_text(v, field="title", label=_("Intitulé"), required=True, max_length=500),
        "kind": _clean_kind,
        "level": lambda v: _clean_level(v, registry=certification.registry),
        "active": bool,
        "registration_end": lambda v: _clean_date(v, field="registration_end", label=_("Fin d'enregistrement")),
        "access_routes": _clean_access_routes,
        "block_validity_years": _clean_validity_years,
        **{name: (lambda v: (v or "").strip()) for name in TEXT_FIELDS},
    }
    cleaned = {name: cleaners[name](value) for name, value in changes.items()}
    changed = [name for name, value in cleaned.items() if getattr(certification, name) != value]
    if not changed:
        return certification
    _refuse_registry_fields(certification, changed)

    before = _certification_snapshot(certification, changed)
    for name in changed:
        setattr(certification, name, cleaned[name])
    if "level" in changed:
        certification.level_code = f"NIV{certification.level}" if certification.level else ""
    _refresh_rights(certification)
    certification.save()
    if "title" in changed:
        _refresh_search_text(certification)
    _audit(
        by=by,
        certification=certification,
        action="certification.update",
        before=before,
        after=_certification_snapshot(certification, changed),
        reason=reason,
    )
    return certification


@transaction.atomic
def certification_set_branches(
    *, certification: Certification, by, branches: Iterable[Branch], reason: str = ""
) -> Certification:
    """The branches that create the certification (two or more for a CQPI)."""
    _ensure_can_edit(by, certification)
    certification = _lock(certification)
    before = sorted(certification.branches.values_list("slug", flat=True))
    branches = list(branches)
    after = sorted(b.slug for b in branches)
    if before == after:
        return certification
    certification.branches.set(branches)
    _audit(
        by=by,
        certification=certification,
        action="certification.set_branches",
        before={"branches": before},
        after={"branches": after},
        reason=reason,
    )
    return certification


@transaction.atomic
def lineage_create(*, old: Certification, new: Certification, by, reason: str = "") -> CertificationLineage:
    """Declare that `new` replaces `old`: a new version or a new registration of the same certification."""
    _ensure_can_edit(by, new)
    if old.pk == new.pk:
        raise ValidationError(
            _("Une certification ne peut pas se remplacer elle-même : choisissez l'ancienne version.")
        )
    if CertificationLineage.objects.filter(old_code=old.code, new_code=new.code).exists():
        raise ValidationError(_("%(new)s remplace déjà %(old)s.") % {"new": new.code, "old": old.code})
    _lock(new)
    lineage = CertificationLineage.objects.create(old_code=old.code, new_code=new.code)
    _audit(by=by, certification=new, action="lineage.create", after={"replaces": old.code}, reason=reason)
    _audit(by=by, certification=old, action="lineage.create", after={"replaced_by": new.code}, reason=reason)
    return lineage


# --------------------------------------------------------------------------- blocks


@transaction.atomic
def block_create(
    *,
    certification: Certification,
    by,
    title: str,
    assessment_methods: str = "",
    competencies: Iterable[str] | str = (),
    reason: str = "",
) -> Block:
    """A block of the platform. Its code follows the certification's: CQP-00001BC01, …BC02."""
    _ensure_can_edit(by, certification)
    certification = _lock(certification)
    title = _clean_text(title, field="title", label=_("Intitulé du bloc"), required=True, max_length=2000)
    assessment_methods = (assessment_methods or "").strip()
    competencies = _clean_competencies(competencies)
    last = certification.blocks.order_by("-position").values_list("position", flat=True).first() or 0
    block = Block.objects.create(
        certification=certification,
        code=_next_block_code(certification),
        position=last + 1,
        title=title,
        assessment_methods=assessment_methods,
        source=enums.Source.PLATFORM,
        in_registry=False,
    )
    _write_competencies(block, competencies)
    _refresh_search_text(certification)
    _audit(by=by, certification=certification, action="block.create", after=_block_snapshot(block), reason=reason)
    return block


def _refuse_registry_block(block: Block):
    if block.source == enums.Source.REGISTRY:
        raise ValidationError(
            _(
                "Le bloc %(code)s vient du répertoire de France compétences : son intitulé, ses compétences et "
                "ses modalités d'évaluation sont mis à jour par l'import. Vous pouvez lui ajouter des critères "
                "d'évaluation et des équivalences."
            )
            % {"code": block.code}
        )


@transaction.atomic
def block_update(
    *,
    block: Block,
    by,
    title: str | None = None,
    assessment_methods: str | None = None,
    competencies: Iterable[str] | str | None = None,
    reason: str = "",
) -> Block:
    """Change a platform block: title, assessment methods, the ordered list of its competencies."""
    _ensure_can_edit(by, block.certification)
    certification = _lock(block.certification)
    block = Block.objects.select_for_update().get(pk=block.pk)
    before = _block_snapshot(block)
    new = dict(before)
    if title is not None:
        new["title"] = _clean_text(title, field="title", label=_("Intitulé du bloc"), required=True, max_length=2000)
    if assessment_methods is not None:
        new["assessment_methods"] = assessment_methods.strip()
    if competencies is not None:
        new["competencies"] = _clean_competencies(competencies)
    if new == before:
        return block
    _refuse_registry_block(block)
    block.title = new["title"]
    block.assessment_methods = new["assessment_methods"]
    block.save(update_fields=["title", "assessment_methods"])
    if new["competencies"] != before["competencies"]:
        _write_competencies(block, new["competencies"])
    _refresh_search_text(certification)
    changed = [k for k in new if new[k] != before[k]]
    _audit(
        by=by,
        certification=certification,
        action="block.update",
        before={"block": block.code, **{k: before[k] for k in changed}},
        after={"block": block.code, **{k: new[k] for k in changed}},
        reason=reason,
    )
    return block


def block_set_competencies(*, block: Block, by, competencies: Iterable[str] | str, reason: str = "") -> Block:
    """Replace the ordered list of a block's competencies (one per line when given as text)."""
    return block_update(block=block, by=by, competencies=competencies, reason=reason)


@transaction.atomic
def block_delete(*, block: Block, by, reason: str = "") -> None:
    """Delete a platform block with its competencies, criteria and the equivalences that name it."""
    _ensure_can_edit(by, block.certification)
    certification = _lock(block.certification)
    block = Block.objects.select_for_update().get(pk=block.pk)
    _refuse_registry_block(block)
    before = _block_snapshot(block)
    before["criteria"] = list(block.criteria.order_by("position", "id").values_list("text", flat=True))
    # Links declared on the platform from other certifications towards this block go with it.
    incoming = list(
        BlockEquivalence.objects.filter(target_block=block, source=enums.Source.PLATFORM)
        .exclude(certification=certification)
        .select_related("certification", "block")
    )
    for equivalence in incoming:
        _audit(
            by=by,
            certification=equivalence.certification,
            action="equivalence.delete",
            before=_equivalence_snapshot(equivalence),
            reason=_("Bloc %(code)s supprimé par son certificateur.") % {"code": block.code},
        )
        equivalence.delete()
    block.delete()
    _refresh_search_text(certification)
    _audit(by=by, certification=certification, action="block.delete", before=before, reason=reason)


@transaction.atomic
def block_move(*, block: Block, by, direction: str, reason: str = "") -> Block:
    """Move a block one place up or down. On an imported fiche only the platform's blocks move, among themselves."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Indiquez le sens du déplacement : vers le haut ou vers le bas."))
    _ensure_can_edit(by, block.certification)
    certification = _lock(block.certification)
    blocks = list(certification.blocks.select_for_update().order_by("position", "code"))
    if _is_registry_fiche(certification):
        _refuse_registry_block(block)
        start = max((b.position for b in blocks if b.source == enums.Source.REGISTRY), default=0) + 1
        blocks = [b for b in blocks if b.source == enums.Source.PLATFORM]
    else:
        start = 1
    index = next(i for i, b in enumerate(blocks) if b.pk == block.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(blocks):
        return block
    before = [b.code for b in blocks]
    blocks[index], blocks[other] = blocks[other], blocks[index]
    for position, item in enumerate(blocks, start=start):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    _audit(
        by=by,
        certification=certification,
        action="block.move",
        before={"order": before},
        after={"order": [b.code for b in blocks]},
        reason=reason,
    )
    return next(b for b in blocks if b.pk == block.pk)


# --------------------------------------------------------------------------- evaluation criteria


def _renumber_criteria(block: Block, ordered: list[EvaluationCriterion]):
    for position, criterion in enumerate(ordered, start=1):
        if criterion.position != position:
            criterion.position = position
            criterion.save(update_fields=["position"])


def _clean_position(position, *, count) -> int | None:
    if position in (None, ""):
        return None
    try:
        position = int(position)
    except (TypeError, ValueError):
        raise ValidationError({"position": _("Le rang est un nombre entier.")}) from None
    if not 1 <= position <= count:
        raise ValidationError({"position": _("Le rang va de 1 à %(count)d.") % {"count": count}})
    return position


@transaction.atomic
def criterion_create(
    *, block: Block, by, text: str, mandatory: bool = True, position: int | None = None, reason: str = ""
) -> EvaluationCriterion:
    """A criterion of the evaluation referential of a block, appended or placed at `position` (1 = first)."""
    _ensure_can_edit(by, block.certification)
    certification = _lock(block.certification)
    text = _clean_text(text, field="text", label=_("Critère"), required=True, max_length=2000)
    existing = list(block.criteria.select_for_update().order_by("position", "id"))
    position = _clean_position(position, count=len(existing) + 1) or len(existing) + 1
    criterion = EvaluationCriterion.objects.create(block=block, text=text, mandatory=bool(mandatory), position=0)
    existing.insert(position - 1, criterion)
    _renumber_criteria(block, existing)
    _audit(
        by=by,
        certification=certification,
        action="criterion.create",
        after=_criterion_snapshot(criterion),
        reason=reason,
    )
    return criterion


@transaction.atomic
def criterion_update(
    *,
    criterion: EvaluationCriterion,
    by,
    text: str | None = None,
    mandatory: bool | None = None,
    position: int | None = None,
    reason: str = "",
) -> EvaluationCriterion:
    block = criterion.block
    _ensure_can_edit(by, block.certification)
    certification = _lock(block.certification)
    ordered = list(block.criteria.select_for_update().order_by("position", "id"))
    criterion = next(c for c in ordered if c.pk == criterion.pk)
    before = _criterion_snapshot(criterion)
    if text is not None:
        criterion.text = _clean_text(text, field="text", label=_("Critère"), required=True, max_length=2000)
    if mandatory is not None:
        criterion.mandatory = bool(mandatory)
    position = _clean_position(position, count=len(ordered))
    if position is not None:
        ordered.remove(criterion)
        ordered.insert(position - 1, criterion)
        _renumber_criteria(block, ordered)
    criterion.save(update_fields=["text", "mandatory", "position"])
    after = _criterion_snapshot(criterion)
    if after == before:
        return criterion
    changed = [k for k in after if after[k] != before[k]]
    _audit(
        by=by,
        certification=certification,
        action="criterion.update",
        before={"block": block.code, **{k: before[k] for k in changed}},
        after={"block": block.code, **{k: after[k] for k in changed}},
        reason=reason,
    )
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: EvaluationCriterion, by, reason: str = "") -> None:
    block = criterion.block
    _ensure_can_edit(by, block.certification)
    certification = _lock(block.certification)
    before = _criterion_snapshot(criterion)
    criterion.delete()
    _renumber_criteria(block, list(block.criteria.order_by("position", "id")))
    _audit(by=by, certification=certification, action="criterion.delete", before=before, reason=reason)


# --------------------------------------------------------------------------- equivalences


@transaction.atomic
def equivalence_create(
    *, block: Block, target_block: Block, by, kind: str = enums.EquivalenceKind.COMMON, reason: str = ""
) -> BlockEquivalence:
    """Declare that a block of this certification is common with (or counts for) a block of another one.

    A common block (COMMON) is declared both ways, so that both fiches show the passerelle.
    """
    _ensure_can_edit(by, block.certification)
    if kind not in enums.EquivalenceKind.values:
        raise ValidationError({"kind": _("Choisissez la nature : bloc commun, correspondance ou version.")})
    if target_block.pk == block.pk:
        raise ValidationError(
            {"target_block": _("Un bloc ne peut pas être équivalent à lui-même : choisissez un autre bloc.")}
        )
    if target_block.certification_id == block.certification_id:
        raise ValidationError(
            {
                "target_block": _(
                    "Les blocs %(a)s et %(b)s appartiennent à la même certification : une équivalence relie des blocs "
                    "de deux certifications différentes."
                )
                % {"a": block.code, "b": target_block.code}
            }
        )
    certification = _lock(block.certification)
    target_certification = target_block.certification
    if BlockEquivalence.objects.filter(
        certification=certification,
        block=block,
        target_certification_code=target_certification.code,
        target_block_code=target_block.code,
    ).exists():
        raise ValidationError(
            {
                "target_block": _("L'équivalence entre %(a)s et %(b)s est déjà déclarée.")
                % {"a": block.code, "b": target_block.code}
            }
        )
    equivalence = BlockEquivalence.objects.create(
        certification=certification,
        block=block,
        target_certification_code=target_certification.code,
        target_block_code=target_block.code,
        target_block=target_block,
        kind=kind,
        source=enums.Source.PLATFORM,
    )
    _audit(
        by=by,
        certification=certification,
        action="equivalence.create",
        after=_equivalence_snapshot(equivalence),
        reason=reason,
    )
    if kind == enums.EquivalenceKind.COMMON:
        reverse, created = BlockEquivalence.objects.get_or_create(
            certification=target_certification,
            block=target_block,
            target_certification_code=certification.code,
            target_block_code=block.code,
            defaults={"target_block": block, "kind": kind, "source": enums.Source.PLATFORM},
        )
        if created:
            _audit(
                by=by,
                certification=target_certification,
                action="equivalence.create",
                after=_equivalence_snapshot(reverse),
                reason=_("Bloc commun déclaré depuis %(code)s.") % {"code": certification.code},
            )
    return equivalence


@transaction.atomic
def equivalence_delete(*, equivalence: BlockEquivalence, by, reason: str = "") -> None:
    """Withdraw an equivalence declared on the platform (and its reverse for a common block)."""
    _ensure_can_edit(by, equivalence.certification)
    if equivalence.source == enums.Source.REGISTRY:
        raise ValidationError(
            _("Cette correspondance vient du répertoire de France compétences : elle ne se retire pas ici.")
        )
    certification = _lock(equivalence.certification)
    before = _equivalence_snapshot(equivalence)
    if equivalence.kind == enums.EquivalenceKind.COMMON and equivalence.block_id and equivalence.target_block_id:
        reverse = (
            BlockEquivalence.objects.filter(
                block_id=equivalence.target_block_id,
                target_block_id=equivalence.block_id,
                kind=enums.EquivalenceKind.COMMON,
                source=enums.Source.PLATFORM,
            )
            .select_related("certification", "block")
            .first()
        )
        if reverse:
            _audit(
                by=by,
                certification=reverse.certification,
                action="equivalence.delete",
                before=_equivalence_snapshot(reverse),
                reason=_("Bloc commun retiré depuis %(code)s.") % {"code": certification.code},
            )
            reverse.delete()
    equivalence.delete()
    _audit(by=by, certification=certification, action="equivalence.delete", before=before, reason=reason)


# --------------------------------------------------------------------------- versions (actualisation)
#
# A new version is a new certification, linked to the old one by a lineage (old → new) and, block by
# block, by VERSION equivalences. These are stored on the new version: `block` is the new block,
# `target_block` the old one it takes over. The mapping is a function new block → old block: one old
# block may be split into several new ones (each part counts as held by whoever held the whole), but a
# new block never takes over two old ones, since nothing would say which status it inherits.

VERSION = enums.EquivalenceKind.VERSION


def _block_suffix(block: Block) -> str:
    """A block's code without its certification's (BC01 for RNCP12345BC01), to match blocks across versions."""
    code = block.code
    prefix = block.certification.code
    return code[len(prefix) :] if code.startswith(prefix) and len(code) > len(prefix) else code


def _title_key(title: str) -> str:
    return " ".join((title or "").split()).casefold()


def _clean_version_code(code) -> tuple[str, str | None]:
    """The registry of a new version from its code: RNCP…, RS…, or none (a platform code is drawn)."""
    code = (code or "").strip().upper().replace(" ", "")
    if not code:
        return enums.Registry.NONE, None
    registry = enums.Registry.RS if code.startswith("RS") else enums.Registry.RNCP
    if not code.startswith(("RNCP", "RS")):
        raise ValidationError(
            {
                "code": _(
                    "« %(code)s » n'est pas un code RNCP ou RS : laissez le code vide pour un code de la plateforme, "
                    "ou saisissez par exemple RNCP37674 ou RS6117."
                )
                % {"code": code}
            }
        )
    return registry, _clean_registry_code(registry, code)


def _are_versions(old: Certification, new: Certification) -> bool:
    return CertificationLineage.objects.filter(old_code=old.code, new_code=new.code).exists()


@transaction.atomic
def certification_new_version(
    *, certification: Certification, by, code: str | None = None, title: str | None = None, reason: str = ""
) -> Certification:
    """A new version of a certification, copied from it, to edit on the usual pages before it opens.

    Copied: the facts and texts, certifiers, branches, agreements, ROME, NSF, Formacodes, access routes,
    the referential's settings, and every current block with its competencies and criteria. The new
    version is created inactive (in preparation: no candidacy yet, the old one stays open) and on the
    platform, whatever the old one's origin. The lineage is recorded and each copied block is mapped
    to its source by a VERSION equivalence.
    """
    from .selectors import certification_current_blocks

    _ensure_can_edit(by, certification)
    old = _lock(certification)
    registry, registry_code = _clean_version_code(code)
    title = _clean_text(title or old.title, field="title", label=_("Intitulé"), required=True, max_length=500)
    level = None if registry == enums.Registry.RS else old.level
    copied = {
        name: getattr(old, name)
        for name in (
            *TEXT_FIELDS,
            "kind",
            "abbreviation",
            "abbreviation_label",
            "regulation",
            "access_routes",
            "jury_compositions",
            "optional_criteria_threshold",
            "train_partly_acquired",
            "partial_validation",
            "block_validity_years",
        )
    }
    new = Certification(
        registry=registry,
        title=title,
        source=enums.Source.PLATFORM,
        level=level,
        level_code=f"NIV{level}" if level else "",
        active=False,
        **copied,
    )
    _refresh_rights(new)
    if registry_code:
        new.code = registry_code
        new.save()
    else:
        for attempt in range(5):
            new.code = next_platform_code()
            try:
                with transaction.atomic():
                    new.save(force_insert=True)
                break
            except IntegrityError:
                new.pk = None
                if attempt == 4:
                    raise
    for relation in ("certifiers", "branches", "agreements", "rome", "nsf", "formacodes"):
        getattr(new, relation).set(getattr(old, relation).all())

    pairs = []
    for position, block in enumerate(
        certification_current_blocks(old).prefetch_related("competencies", "criteria"), start=1
    ):
        copy = Block.objects.create(
            certification=new,
            code=f"{new.code}{REGISTRY_BLOCK_INFIX}{position:02d}",
            position=position,
            title=block.title,
            assessment_methods=block.assessment_methods,
            source=enums.Source.PLATFORM,
            in_registry=False,
        )
        Competency.objects.bulk_create(
            Competency(block=copy, position=c.position, text=c.text)
            for c in sorted(block.competencies.all(), key=lambda c: (c.position, c.pk))
        )
        EvaluationCriterion.objects.bulk_create(
            EvaluationCriterion(block=copy, position=c.position, text=c.text, mandatory=c.mandatory)
            for c in sorted(block.criteria.all(), key=lambda c: (c.position, c.pk))
        )
        pairs.append((copy, block))
    _refresh_search_text(new)
    CertificationLineage.objects.get_or_create(old_code=old.code, new_code=new.code)

    after = _certification_snapshot(new)
    after["replaces"] = old.code
    after["certifier"] = ", ".join(c.name for c in new.certifiers.all())
    after["branches"] = sorted(new.branches.values_list("slug", flat=True))
    after["blocks"] = [b.code for b, _source in pairs]
    _audit(by=by, certification=new, action="certification.new_version", after=after, reason=reason)
    _audit(by=by, certification=old, action="lineage.create", after={"replaced_by": new.code}, reason=reason)
    version_equivalences_propose(old=old, new=new, by=by)
    return new


def _version_proposals(old: Certification, new: Certification) -> list[tuple[Block, Block]]:
    """Pairs (new block, old block) with the same code (after the certification's) or the same title,
    for the new blocks not mapped yet, each old block proposed once by this rule."""
    mapped = set(
        BlockEquivalence.objects.filter(certification=new, kind=VERSION, block__isnull=False).values_list(
            "block_id", flat=True
        )
    )
    old_blocks = list(old.blocks.select_related("certification").order_by("position", "code"))
    by_suffix = {_block_suffix(b): b for b in old_blocks}
    by_title = {}
    for b in old_blocks:
        by_title.setdefault(_title_key(b.title), b)
    proposals, used = [], set()
    for block in new.blocks.select_related("certification").order_by("position", "code"):
        if block.pk in mapped:
            continue
        match = by_suffix.get(_block_suffix(block))
        if match is None or _title_key(match.title) != _title_key(block.title):
            # Same title wins over a same code that names another content.
            match = by_title.get(_title_key(block.title)) or match
        if match is not None and match.pk not in used:
            used.add(match.pk)
            proposals.append((block, match))
    return proposals


@transaction.atomic
def version_equivalences_propose(*, old: Certification, new: Certification, by) -> list[BlockEquivalence]:
    """Declare the obvious VERSION equivalences (same code or same title); the rest is left to staff."""
    declared = []
    for block, target in _version_proposals(old, new):
        try:
            with transaction.atomic():
                declared.append(
                    block_equivalence_declare(
                        block=block,
                        target_block=target,
                        kind=VERSION,
                        by=by,
                        reason=_("Correspondance proposée automatiquement (même code ou même intitulé)."),
                    )
                )
        except ValidationError:
            continue
    return declared


def _version_successors(block_ids: set[int]) -> set[int]:
    """Blocks that take over these blocks, following VERSION equivalences (new block → old block) forwards."""
    return set(
        BlockEquivalence.objects.filter(kind=VERSION, target_block_id__in=block_ids, block__isnull=False).values_list(
            "block_id", flat=True
        )
    )


def _refuse_version_loop(block: Block, target_block: Block):
    """`block` taking over `target_block` closes a loop when `target_block` already takes over `block`,
    directly or through intermediate versions: look for it among the successors of `block`."""
    seen, frontier = set(), {block.pk}
    while frontier:
        if target_block.pk in frontier:
            raise ValidationError(
                {
                    "target_block": _(
                        "Cette correspondance fermerait une boucle entre versions : le bloc %(b)s est déjà repris, "
                        "directement ou par une version intermédiaire, par le bloc %(a)s."
                    )
                    % {"a": block.code, "b": target_block.code}
                }
            )
        seen |= frontier
        frontier = _version_successors(frontier) - seen


def _refuse_version_equivalence(block: Block, target_block: Block):
    """The checks proper to VERSION: two versions in lineage, one old block per new block, no loop."""
    new, old = block.certification, target_block.certification
    if not _are_versions(old, new):
        raise ValidationError(
            {
                "target_block": _(
                    "%(new)s n'est pas déclarée comme nouvelle version de %(old)s : une correspondance entre versions "
                    "relie un bloc de la nouvelle version à un bloc de la version qu'elle remplace."
                )
                % {"new": new.code, "old": old.code}
            }
        )
    other = (
        BlockEquivalence.objects.filter(certification=new, block=block, kind=VERSION)
        .exclude(target_block_id=target_block.pk)
        .exclude(target_block__isnull=True)
        .values_list("target_block_code", flat=True)
        .first()
    )
    if other:
        raise ValidationError(
            {
                "target_block": _(
                    "Le bloc %(a)s reprend déjà le bloc %(other)s de l'ancienne version : un bloc de la nouvelle "
                    "version ne reprend qu'un seul ancien bloc, sinon on ne saurait pas quel statut il hérite. "
                    "Retirez d'abord cette correspondance."
                )
                % {"a": block.code, "other": other}
            }
        )
    _refuse_version_loop(block, target_block)


@transaction.atomic
def block_equivalence_declare(
    *, block: Block, target_block: Block, kind: str, by, reason: str = ""
) -> BlockEquivalence:
    """Declare an equivalence between two blocks: the checks of equivalence_create (not itself, not the same
    certification, not twice) and, for VERSION, those of the versions. A VERSION pair given old → new is
    stored the right way round (on the new version)."""
    old, new = block.certification, target_block.certification
    if kind == VERSION and _are_versions(old, new) and not _are_versions(new, old):
        block, target_block = target_block, block
    if kind == VERSION and target_block.pk != block.pk and target_block.certification_id != block.certification_id:
        _ensure_can_edit(by, block.certification)
        if BlockEquivalence.objects.filter(block=block, target_block=target_block, kind=VERSION).exists():
            raise ValidationError(
                {
                    "target_block": _("L'équivalence entre %(a)s et %(b)s est déjà déclarée.")
                    % {"a": block.code, "b": target_block.code}
                }
            )
        _refuse_version_equivalence(block, target_block)
    return equivalence_create(block=block, target_block=target_block, by=by, kind=kind, reason=reason)


def block_equivalence_remove(*, equivalence: BlockEquivalence, by, reason: str = "") -> None:
    """Withdraw an equivalence declared on the platform (both ways for a common block)."""
    equivalence_delete(equivalence=equivalence, by=by, reason=reason)


@transaction.atomic
def certification_retire(
    *, certification: Certification, by, on: datetime.date, replaced_by: Certification | None = None, reason=""
) -> Certification:
    """From `on`, the version takes no new candidacy (candidacies in progress keep it). `replaced_by` records
    the lineage to the new version when it is not recorded yet. Works on imported fiches too: the date is
    the platform's, the registry's own dates are not touched."""
    _ensure_can_edit(by, certification)
    on = _clean_date(on, field="on", label=_("Date de retrait"))
    if on is None:
        raise ValidationError(
            {"on": _("Indiquez la date à partir de laquelle cette version ne reçoit plus de candidature.")}
        )
    if replaced_by is not None:
        if replaced_by.pk == certification.pk:
            raise ValidationError(
                {
                    "replaced_by": _(
                        "Une certification ne peut pas se remplacer elle-même : choisissez la nouvelle version."
                    )
                }
            )
        _ensure_can_edit(by, replaced_by)
    certification = _lock(certification)
    before = {"retired_on": _iso(certification.retired_on)}
    if replaced_by is not None and not _are_versions(certification, replaced_by):
        CertificationLineage.objects.create(old_code=certification.code, new_code=replaced_by.code)
        _audit(by=by, certification=replaced_by, action="lineage.create", after={"replaces": certification.code})
    certification.retired_on = on
    certification.save(update_fields=["retired_on", "updated_at"])
    after = {"retired_on": _iso(on)}
    if replaced_by is not None:
        after["replaced_by"] = replaced_by.code
    _audit(by=by, certification=certification, action="certification.retire", before=before, after=after, reason=reason)
    return certification


@dataclass
class CandidacyMove:
    """What moving one candidacy to the new version does, or why it cannot move."""

    candidacy: object
    # (row of the candidacy, the new blocks it becomes): the row keeps its status.
    moves: list = field(default_factory=list)
    # New blocks with no old block behind them: targeted, to acquire.
    added: list = field(default_factory=list)
    # Rows whose block has no successor in the new version: dropped (only when nothing was acquired on them).
    unmapped: list = field(default_factory=list)
    reasons: list = field(default_factory=list)

    @property
    def movable(self) -> bool:
        return not self.reasons


def _version_mapping(old: Certification, new: Certification) -> dict[int, list[Block]]:
    """Old block id → the new blocks that take it over, in the new version's order."""
    mapping: dict[int, list[Block]] = {}
    rows = (
        BlockEquivalence.objects.filter(
            certification=new, kind=VERSION, block__isnull=False, target_block__certification=old
        )
        .select_related("block")
        .order_by("block__position", "block__code")
    )
    for row in rows:
        mapping.setdefault(row.target_block_id, []).append(row.block)
    return mapping


def candidacy_moves(*, old: Certification, new: Certification, candidacies) -> list[CandidacyMove]:
    """For each candidacy on `old`, what moving it to `new` would do, or the French reasons it cannot."""
    from cqp.candidacies.enums import BlockStatus, State

    from .selectors import certification_current_blocks

    kept = {
        State.DECIDED,
        State.DELIVERED,
        State.CLOSED,
    }
    mapping = _version_mapping(old, new)
    new_blocks = list(certification_current_blocks(new))
    new_certifiers = set(new.certifiers.values_list("pk", flat=True))
    plans = []
    for candidacy in candidacies:
        plan = CandidacyMove(candidacy=candidacy)
        plans.append(plan)
        if candidacy.certification_id != old.pk:
            plan.reasons.append(_("Cette candidature ne porte pas sur %(code)s.") % {"code": old.code})
            continue
        if candidacy.state in kept:
            plan.reasons.append(
                _("Le jury s'est déjà prononcé (« %(state)s ») : la candidature garde sa version.")
                % {"state": candidacy.get_state_display()}
            )
            continue
        if candidacy.state == State.SCHEDULED_FOR_JURY:
            plan.reasons.append(
                _("Inscrite à une session de jury : retirez-la de la session avant de changer de version.")
            )
            continue
        if candidacy.state in (State.WITHDRAWN, State.INADMISSIBLE):
            plan.reasons.append(
                _("La candidature n'est plus en cours (« %(state)s »).") % {"state": candidacy.get_state_display()}
            )
            continue
        if candidacy.certifier_id not in new_certifiers:
            plan.reasons.append(_("Son certificateur ne délivre pas la nouvelle version."))
            continue
        covered = set()
        for row in candidacy.blocks.all():
            successors = mapping.get(row.block_id, [])
            if successors:
                plan.moves.append((row, successors))
                covered.update(b.pk for b in successors)
            elif row.status in (BlockStatus.ACQUIRED, BlockStatus.EXEMPTED):
                plan.reasons.append(
                    _(
                        "Le bloc %(code)s (%(status)s) n'a pas de correspondance dans la nouvelle version : "
                        "déclarez-la d'abord, pour que rien d'acquis ne se perde."
                    )
                    % {"code": row.block.code, "status": row.get_status_display().lower()}
                )
            else:
                plan.unmapped.append(row)
        plan.added = [b for b in new_blocks if b.pk not in covered]
    return plans


# A block inherits the best status when two rows would land on it (never with a well-formed mapping).
_STATUS_RANK = {"acquired": 3, "exempted": 2, "not_acquired": 1, "to_acquire": 0}


@transaction.atomic
def candidacies_migrate(*, old: Certification, new: Certification, by, candidacies=None) -> list[CandidacyMove]:
    """Move candidacies in progress from `old` to its new version `new`, in one transaction.

    Each targeted block follows its VERSION equivalence and keeps its status (acquired and exempted blocks
    stay so); the new version's blocks with no old block behind them are to acquire; rows with no successor
    are dropped and reported. Candidacies past the jury (or on a session's agenda, or no longer in progress)
    keep their version. With `candidacies` given, one that cannot move refuses the whole; without, every
    candidacy of `old` that can move does, and the others are reported. Assessments are records of what was
    assessed against the old referential: they stay on the candidacy, under the old block.
    """
    from cqp.candidacies.models import Candidacy, CandidacyBlock, CandidacyEvent

    from .permissions import certifiers_managed_by

    _ensure_can_edit(by, old)
    _ensure_can_edit(by, new)
    if not _are_versions(old, new):
        raise ValidationError(
            _("%(new)s n'est pas déclarée comme nouvelle version de %(old)s.") % {"new": new.code, "old": old.code}
        )
    old, new = _lock(old), _lock(new)
    scope = (
        Candidacy.objects.select_for_update()
        .filter(certifier__in=certifiers_managed_by(by))
        .select_related("certification")
        .order_by("pk")
    )
    if candidacies is None:
        chosen = list(scope.filter(certification=old))
    else:
        ids = [c.pk for c in candidacies]
        chosen = list(scope.filter(pk__in=ids))
        if len(chosen) != len(set(ids)):
            raise PermissionDenied(_("Certaines de ces candidatures relèvent d'un autre certificateur."))
    plans = candidacy_moves(old=old, new=new, candidacies=chosen)
    refused = [p for p in plans if not p.movable]
    if candidacies is not None and refused:
        raise ValidationError(
            [
                _("Candidature n° %(id)s : %(reasons)s") % {"id": p.candidacy.pk, "reasons": " ".join(p.reasons)}
                for p in refused
            ]
        )
    moved = []
    for plan in plans:
        if not plan.movable:
            continue
        candidacy = plan.candidacy
        rows: dict[int, CandidacyBlock] = {}
        for row, successors in plan.moves:
            for block in successors:
                present = rows.get(block.pk)
                if present is None:
                    rows[block.pk] = CandidacyBlock(candidacy=candidacy, block=block, status=row.status)
                elif _STATUS_RANK[row.status] > _STATUS_RANK[present.status]:
                    present.status = row.status
        blocks_log = [
            {"from": row.block.code, "to": [b.code for b in successors], "status": row.status}
            for row, successors in plan.moves
        ]
        # Rows are rewritten: the old blocks go, the new ones come with the statuses carried over.
        candidacy.blocks.all().delete()
        for block in plan.added:
            rows.setdefault(block.pk, CandidacyBlock(candidacy=candidacy, block=block))
        CandidacyBlock.objects.bulk_create(rows.values())
        candidacy.certification = new
        candidacy.save(update_fields=["certification", "updated_at"])
        CandidacyEvent.objects.create(
            candidacy=candidacy,
            by=by,
            name="version_migrate",
            from_state=candidacy.state,
            to_state=candidacy.state,
            data={
                "from": old.code,
                "to": new.code,
                "blocks": blocks_log,
                "added": [b.code for b in plan.added],
                "unmapped": [row.block.code for row in plan.unmapped],
            },
        )
        moved.append(candidacy.pk)
    if moved:
        summary = {"candidacies": moved, "from": old.code, "to": new.code}
        _audit(by=by, certification=old, action="candidacies.migrate", after=summary)
        _audit(by=by, certification=new, action="candidacies.migrate", after=summary)
    return plans
