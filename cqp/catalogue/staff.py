"""Reads for certifier staff: their certifications, one certification to edit, its audit trail.

Every read goes through permissions.certifications_editable_by(), so a certification of
another certifier is simply not found.
"""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cqp.core.models import AuditEvent

from . import enums
from .models import Block, BlockEquivalence, Certification, Certifier, Competency, EvaluationCriterion
from .permissions import certifications_editable_by, certifiers_managed_by
from .services import AUDIT_OBJECT_TYPE


def _count(queryset, column="certification_id"):
    """A correlated COUNT(*) subquery: one row per certification, no join fan-out."""
    return Coalesce(
        Subquery(
            queryset.filter(**{column: OuterRef("pk")})
            .order_by()
            .values(column)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def staff_certification_list(*, user, certifier: Certifier | None = None, q: str | None = None) -> QuerySet:
    """The certifications a user may edit, with the counts the list shows."""
    qs = certifications_editable_by(user)
    if certifier is not None:
        qs = qs.filter(certifiers=certifier)
    if q:
        q = q.strip()
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q))
    return qs.annotate(
        block_count=_count(Block.objects.all()),
        criterion_count=_count(EvaluationCriterion.objects.all(), "block__certification_id"),
        equivalence_count=_count(BlockEquivalence.objects.all()),
    ).order_by("-active", "title", "code")


def staff_certifiers(*, user) -> QuerySet[Certifier]:
    """The certifiers a user works for, with the number of certifications of each."""
    return certifiers_managed_by(user).annotate(certification_count=Count("certifications")).order_by("name")


def certification_for_edit(*, user, code: str) -> Certification | None:
    """One editable certification with its blocks, competencies, criteria and equivalences."""
    blocks = Block.objects.order_by("position", "code").prefetch_related(
        Prefetch("competencies", queryset=Competency.objects.order_by("position", "id")),
        Prefetch("criteria", queryset=EvaluationCriterion.objects.order_by("position", "id")),
        Prefetch(
            "equivalences",
            queryset=BlockEquivalence.objects.select_related("target_block__certification").order_by("id"),
        ),
    )
    return (
        certifications_editable_by(user)
        .filter(code=code)
        .prefetch_related(Prefetch("blocks", queryset=blocks), "certifiers", "branches")
        .first()
    )


def block_for_edit(*, certification: Certification, block_id: int) -> Block | None:
    return (
        Block.objects.filter(certification=certification, pk=block_id)
        .select_related("certification")
        .prefetch_related(Prefetch("competencies", queryset=Competency.objects.order_by("position", "id")))
        .first()
    )


def criterion_for_edit(*, certification: Certification, criterion_id: int) -> EvaluationCriterion | None:
    return (
        EvaluationCriterion.objects.filter(block__certification=certification, pk=criterion_id)
        .select_related("block__certification")
        .first()
    )


def equivalence_for_edit(*, certification: Certification, equivalence_id: int) -> BlockEquivalence | None:
    return (
        BlockEquivalence.objects.filter(certification=certification, pk=equivalence_id)
        .select_related("certification", "block", "target_block")
        .first()
    )


def equivalence_candidates(*, code: str, block: Block, limit: int = 60) -> list[Block]:
    """Blocks of other certifications whose certification or block code contains what was typed."""
    code = (code or "").strip().upper().replace(" ", "")
    if len(code) < 2:
        return []
    return list(
        Block.objects.filter(Q(certification__code__icontains=code) | Q(code__icontains=code))
        .exclude(certification_id=block.certification_id)
        .select_related("certification")
        .order_by("certification__code", "position", "code")[:limit]
    )


# --------------------------------------------------------------------------- audit trail

ACTION_LABELS = {
    "certification.create": _("Création de la certification"),
    "certification.update": _("Modification des informations"),
    "certification.set_branches": _("Branches modifiées"),
    "lineage.create": _("Filiation déclarée"),
    "certification.new_version": _("Nouvelle version créée"),
    "certification.retire": _("Date de retrait fixée"),
    "candidacies.migrate": _("Candidatures passées sur la nouvelle version"),
    "block.create": _("Bloc ajouté"),
    "block.update": _("Bloc modifié"),
    "block.delete": _("Bloc supprimé"),
    "block.move": _("Ordre des blocs modifié"),
    "criterion.create": _("Critère ajouté"),
    "criterion.update": _("Critère modifié"),
    "criterion.delete": _("Critère supprimé"),
    "equivalence.create": _("Équivalence déclarée"),
    "equivalence.delete": _("Équivalence retirée"),
}

FIELD_LABELS = {
    "code": _("code"),
    "registry": _("répertoire"),
    "title": _("intitulé"),
    "kind": _("type"),
    "level": _("niveau"),
    "active": _("active"),
    "registration_end": _("fin d'enregistrement"),
    "access_routes": _("voies d'accès"),
    "objectives": _("objectifs et contexte"),
    "activities": _("activités visées"),
    "abilities": _("capacités attestées"),
    "sectors": _("secteurs d'activité"),
    "job_types": _("types d'emplois accessibles"),
    "entry_prerequisites": _("prérequis à l'entrée en formation"),
    "validation_prerequisites": _("prérequis à la validation"),
    "certifier": _("certificateur"),
    "co_certifiers": _("autres certificateurs"),
    "branches": _("branches"),
    "block": _("bloc"),
    "position": _("rang"),
    "assessment_methods": _("modalités d'évaluation"),
    "competencies": _("compétences"),
    "criteria": _("critères"),
    "text": _("critère"),
    "mandatory": _("obligatoire"),
    "order": _("ordre des blocs"),
    "target_certification": _("certification cible"),
    "target_block": _("bloc cible"),
    "replaces": _("remplace"),
    "replaced_by": _("remplacée par"),
    "retired_on": _("plus de nouvelle candidature à partir du"),
    "blocks": _("blocs"),
    "candidacies": _("candidatures"),
    "from": _("de"),
    "to": _("vers"),
}


_VALUE_LABELS = {
    "registry": dict(enums.Registry.choices),
    "kind": {**dict(enums.CertificationKind.choices), **dict(enums.EquivalenceKind.choices)},
    "access_routes": dict(enums.AccessRoute.choices),
}


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def _show(value, key="") -> str:
    """A recorded value as people read it: labels rather than codes, long texts cut."""
    if _empty(value):
        return "—"
    if value is True:
        return str(_("oui"))
    if value is False:
        return str(_("non"))
    labels = _VALUE_LABELS.get(key, {})
    if isinstance(value, list):
        return " ; ".join(str(labels.get(v, v)) for v in value)
    text = str(labels.get(value, value))
    return text if len(text) <= 300 else text[:297] + "…"


@dataclass
class TrailChange:
    label: str
    before: str
    after: str


@dataclass
class TrailEntry:
    event: AuditEvent
    label: str
    changes: list[TrailChange] = field(default_factory=list)


def audit_trail(*, certification: Certification, limit: int = 100) -> list[TrailEntry]:
    """Who changed what on this certification, newest first."""
    events = AuditEvent.objects.filter(object_type=AUDIT_OBJECT_TYPE, object_id=str(certification.pk)).select_related(
        "actor"
    )[:limit]
    entries = []
    for event in events:
        before, after = event.before or {}, event.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        if event.before is None or event.after is None:
            # A creation or a deletion: what it held, without the empty fields.
            keys = [k for k in keys if not _empty(before.get(k, after.get(k)))]
        changes = [
            TrailChange(
                label=str(FIELD_LABELS.get(key, key)),
                before=_show(before.get(key), key) if event.before is not None else "",
                after=_show(after.get(key), key) if event.after is not None else "",
            )
            for key in keys
        ]
        entries.append(
            TrailEntry(event=event, label=str(ACTION_LABELS.get(event.action, event.action)), changes=changes)
        )
    return entries
