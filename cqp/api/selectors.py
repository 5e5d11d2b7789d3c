"""Reads of branches and certifiers for the API lists.

Names have no folded search column (unlike certifications), so each query word becomes a
case- and accent-insensitive regular expression on the name: portable (SQLite's REGEXP is
Python's `re`, PostgreSQL's `~*`), and cheap on tables of a few thousand rows.
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from cqp.catalogue.models import Branch, Certification, Certifier, CollectiveAgreement
from cqp.core.text import search_words

# Every spelling a folded letter stands for, both cases written out: PostgreSQL's case folding
# of accented letters depends on the database locale.
_LETTER_VARIANTS = {
    "a": "aàâäáãåAÀÂÄÁÃÅ",
    "c": "cçCÇ",
    "e": "eéèêëEÉÈÊË",
    "i": "iîïíìIÎÏÍÌ",
    "n": "nñNÑ",
    "o": "oôöóòõOÔÖÓÒÕ",
    "u": "uùûüúUÙÛÜÚ",
    "y": "yÿýYŸÝ",
}
_LIGATURES = {"oe": "(?:oe|œ|OE|Œ)", "ae": "(?:ae|æ|AE|Æ)"}


def word_pattern(word: str) -> str:
    """A regular expression matching a folded word in any accented or capitalised spelling."""
    parts = []
    index = 0
    while index < len(word):
        pair = word[index : index + 2]
        if pair in _LIGATURES:
            parts.append(_LIGATURES[pair])
            index += 2
            continue
        letter = word[index]
        variants = _LETTER_VARIANTS.get(letter)
        parts.append(f"[{variants}]" if variants else f"[{letter}{letter.upper()}]" if letter.isalpha() else letter)
        index += 1
    return "".join(parts)


def name_matches(q: str | None, field: str = "name") -> Q:
    condition = Q()
    for word in search_words(q):
        condition &= Q(**{f"{field}__iregex": word_pattern(word)})
    return condition


def _count(through, column: str, *, active_only=False):
    """Certifications linked to the outer row, counted in a correlated subquery (run for the page rows only)."""
    rows = through.objects.filter(**{column: OuterRef("pk")})
    if active_only:
        rows = rows.filter(certification__active=True)
    counted = rows.order_by().values(column).annotate(total=Count("*")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def branch_list(*, q: str | None = None) -> QuerySet[Branch]:
    return (
        Branch.objects.filter(name_matches(q))
        .annotate(
            certification_count=_count(Certification.branches.through, "branch_id"),
            active_certification_count=_count(Certification.branches.through, "branch_id", active_only=True),
        )
        .prefetch_related(
            Prefetch(
                "agreements",
                queryset=CollectiveAgreement.objects.order_by("number").only("number", "idcc", "branch_id"),
            )
        )
        .order_by("name", "pk")
    )


def certifier_list(*, q: str | None = None, branch: str | None = None) -> QuerySet[Certifier]:
    qs = Certifier.objects.filter(name_matches(q))
    if branch:
        qs = qs.filter(pk__in=Certifier.branches.through.objects.filter(branch__slug=branch).values("certifier_id"))
    return (
        qs.annotate(
            certification_count=_count(Certification.certifiers.through, "certifier_id"),
            active_certification_count=_count(Certification.certifiers.through, "certifier_id", active_only=True),
        )
        .prefetch_related(Prefetch("branches", queryset=Branch.objects.order_by("name").only("slug", "name")))
        .order_by("name", "pk")
    )
