"""Reads the version pages need, on top of the catalogue's staff selectors."""

from django.db.models import Prefetch

from cqp.candidacies.models import Candidacy, CandidacyBlock
from cqp.catalogue import enums, services
from cqp.catalogue.models import BlockEquivalence, Certification
from cqp.catalogue.permissions import certifiers_managed_by


def version_pairs(*, old: Certification, new: Certification) -> dict:
    """Each block of `old` with the VERSION equivalences of `new` that take it over, and the new blocks
    that take over none (to acquire for whoever moves)."""
    equivalences = list(
        BlockEquivalence.objects.filter(
            certification=new, kind=enums.EquivalenceKind.VERSION, target_block__certification=old
        )
        .select_related("block")
        .order_by("block__position", "block__code")
    )
    by_old = {}
    for equivalence in equivalences:
        by_old.setdefault(equivalence.target_block_id, []).append(equivalence)
    rows = [(block, by_old.get(block.pk, [])) for block in old.blocks.order_by("position", "code")]
    mapped = {e.block_id for e in equivalences}
    unmapped_new = [b for b in new.blocks.order_by("position", "code") if b.pk not in mapped]
    return {"rows": rows, "unmapped_new": unmapped_new}


def candidacy_moves_for(*, user, old: Certification, new: Certification) -> list:
    """The candidacies of `old` the user's certifiers instruct, each with what moving it would do."""
    candidacies = (
        Candidacy.objects.filter(certification=old, certifier__in=certifiers_managed_by(user))
        .select_related("candidate__user", "certification")
        .prefetch_related(Prefetch("blocks", queryset=CandidacyBlock.objects.select_related("block")))
        .order_by("pk")
    )
    return services.candidacy_moves(old=old, new=new, candidacies=candidacies)
