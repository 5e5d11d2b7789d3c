"""Reads of the catalogue, shared by the pages and the API."""

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from cqp.core.text import search_words

from . import enums
from .models import Block, BlockEquivalence, Branch, Certification, CertificationLineage, Competency


def _bool(value):
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    value = str(value).strip().lower()
    if value in {"1", "true", "oui", "yes", "on"}:
        return True
    if value in {"0", "false", "non", "no", "off"}:
        return False
    return None


def _matching_words(qs, words):
    """Every word must start a word of the folded search text: « soud » finds « soudage », « lectri » finds nothing.

    PostgreSQL answers from the GIN index on search_vector, SQLite from its FTS5 table (migration 0004); any
    other database runs the same rule as a LIKE on word starts.
    """
    if not words:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        query = " & ".join(f"{word}:*" for word in words)  # folded words: [0-9a-z] only, safe in a tsquery
        return qs.filter(search_vector=SearchQuery(query, search_type="raw", config="simple"))
    if connection.vendor == "sqlite":
        query = " AND ".join(f'"{word}"*' for word in words)
        matching = RawSQL(
            "SELECT rowid FROM catalogue_certification_words WHERE catalogue_certification_words MATCH %s", [query]
        )
        return qs.filter(pk__in=matching)
    for word in words:
        qs = qs.filter(Q(search_text__startswith=word) | Q(search_text__contains=f" {word}"))
    return qs


def certification_list(
    *,
    q: str | None = None,
    registry: str | None = None,
    level: str | int | None = None,
    active=None,
    kind: str | None = None,
    branch: str | None = None,
    certifier: str | None = None,
    rome: str | None = None,
    vae=None,
    cpf=None,
) -> QuerySet[Certification]:
    """Certifications matching the public filters. Unknown filter values match nothing rather than everything."""
    words = search_words(q)
    qs = _matching_words(Certification.objects.all(), words)
    if registry:
        qs = qs.filter(registry=registry.upper())
    if level not in (None, ""):
        try:
            qs = qs.filter(level=int(level))
        except (TypeError, ValueError):
            qs = qs.none()
    if (flag := _bool(active)) is not None:
        qs = qs.filter(active=flag)
    if kind:
        qs = qs.filter(kind=kind.upper())
    if branch:
        qs = qs.filter(
            Exists(Branch.certifications.through.objects.filter(certification_id=OuterRef("pk"), branch__slug=branch))
        )
    if certifier:
        qs = qs.filter(
            Exists(
                Certification.certifiers.through.objects.filter(
                    certification_id=OuterRef("pk"), certifier__siret=certifier
                )
            )
        )
    if rome:
        rome = rome.strip()
        through = Certification.rome.through.objects.filter(certification_id=OuterRef("pk"))
        if len(rome) == 5 and rome[0].isalpha() and rome[1:].isdigit():
            through = through.filter(rome__code=rome.upper())
        else:
            through = through.filter(rome__label__icontains=rome)
        qs = qs.filter(Exists(through))
    if (flag := _bool(vae)) is not None:
        qs = qs.filter(vae_open=flag)
    if (flag := _bool(cpf)) is not None:
        qs = qs.filter(cpf_eligible=flag)
    if words or branch or certifier or rome:
        # Same order, written so that no index serves it: with these filters, sorting the matching rows is
        # cheap, while walking the order index can read thousands of rows that do not match before 20 that do.
        return qs.order_by("-active", Concat("title", Value("")), "code")
    return qs.order_by("-active", "title", "code")


def certification_detail(*, code: str) -> Certification | None:
    """One certification with everything its fiche shows, in a fixed number of queries."""
    blocks = Block.objects.order_by("position", "code").prefetch_related(
        Prefetch("competencies", queryset=Competency.objects.order_by("position", "id")), "criteria"
    )
    equivalences = BlockEquivalence.objects.select_related("block", "target_block").order_by("block__position", "id")
    return (
        Certification.objects.filter(code=code)
        .prefetch_related(
            Prefetch("blocks", queryset=blocks),
            Prefetch("equivalences", queryset=equivalences),
            "certifiers",
            "branches",
            "agreements",
            "rome",
            "nsf",
            "formacodes",
            "year_statistics",
        )
        .first()
    )


def certification_lineage(*, code: str) -> dict[str, list[str]]:
    """Codes of the versions this one replaces and of those that replace it."""
    rows = CertificationLineage.objects.filter(Q(old_code=code) | Q(new_code=code)).values_list("old_code", "new_code")
    replaces = sorted({old for old, new in rows if new == code})
    replaced_by = sorted({new for old, new in rows if old == code})
    return {"replaces": replaces, "replaced_by": replaced_by}


def certification_lifecycle(*, certification: Certification, replaced_by: list[str]) -> str:
    if certification.active:
        return enums.Lifecycle.ACTIVE
    if replaced_by:
        return enums.Lifecycle.REPLACED
    return enums.Lifecycle.EXPIRED


def certification_current_blocks(certification) -> QuerySet[Block]:
    """The blocks a candidacy can target now: all but those the registry has dropped.

    `in_registry` only speaks for registry blocks; blocks added on the platform are never in it.
    """
    return (
        Block.objects.filter(certification=certification)
        .exclude(source=enums.Source.REGISTRY, in_registry=False)
        .order_by("position", "code")
    )
