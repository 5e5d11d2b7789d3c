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
UPDATABLE_FIELDS = ("title", "kind", "level", "active", "registration_end", "access_routes", *TEXT_FIELDS)


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
