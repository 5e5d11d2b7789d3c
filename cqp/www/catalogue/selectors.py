"""Reads that only the public catalogue pages need, built on the shared catalogue selectors.

Every function here runs a fixed number of queries, whatever the size of the page or of the catalogue.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from cqp.catalogue import enums, rights
from cqp.catalogue.models import (
    BlockEquivalence,
    Branch,
    Certification,
    CertificationLineage,
    Certifier,
    Partner,
)
from cqp.catalogue.selectors import (
    certification_detail,
    certification_lifecycle,
    certification_lineage,
    certification_list,
)

PAGE_SIZE = 20
PARTNERS_SHOWN = 20
# Level filter value for certifications without a level (RS, REPRISE, unregistered CQP).
WITHOUT_LEVEL = "none"

# The columns a result row shows: long registry texts and the search text stay in the database.
LIST_COLUMNS = (
    "id",
    "code",
    "title",
    "kind",
    "registry",
    "level",
    "level_code",
    "active",
    "vae_open",
    "cpf_eligible",
    "abbreviation",
)


def catalogue_counts() -> dict[str, int]:
    """Figures of the home page, in one query."""
    family = [enums.CertificationKind.CQP, enums.CertificationKind.CQPI, enums.CertificationKind.CQPM]
    return Certification.objects.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(active=True)),
        cqp_family=Count("id", filter=Q(kind__in=family)),
        cqpi=Count("id", filter=Q(kind=enums.CertificationKind.CQPI)),
        vae=Count("id", filter=Q(vae_open=True)),
        cpf=Count("id", filter=Q(cpf_eligible=True)),
    )


def branches_with_counts(*, limit: int | None = None) -> list[Branch]:
    """Branches that have certifications, the busiest first."""
    qs = (
        Branch.objects.annotate(certification_count=Count("certifications"))
        .filter(certification_count__gt=0)
        .order_by("-certification_count", "name")
        .only("id", "slug", "name")
    )
    return list(qs[:limit] if limit else qs)


def branch_choices() -> list[tuple[str, str]]:
    return list(Branch.objects.order_by("name").values_list("slug", "name"))


def catalogue_search(*, filters: dict, page_number=None) -> Page:
    """One page of the public list: the shared selector, certifiers of the page in one prefetch, each row's state."""
    filters = dict(filters)
    without_level = filters.get("level") == WITHOUT_LEVEL
    if without_level:
        filters.pop("level")
    qs: QuerySet[Certification] = certification_list(**filters)
    if without_level:
        qs = qs.filter(level__isnull=True)
    qs = qs.only(*LIST_COLUMNS).prefetch_related(
        Prefetch("certifiers", queryset=Certifier.objects.only("id", "name", "siret").order_by("name"))
    )
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    replaced = set()
    if rows:
        replaced = set(
            CertificationLineage.objects.filter(old_code__in=[r.code for r in rows]).values_list("old_code", flat=True)
        )
    for row in rows:
        row.lifecycle = certification_lifecycle(
            certification=row, replaced_by=[row.code] if row.code in replaced else []
        )
    page.object_list = rows
    return page


@dataclass
class Link:
    """A certification code, with its title and address when the catalogue holds it."""

    code: str
    title: str = ""
    url: str = ""
    retired_on: object = None  # date from which that version takes no new candidacy, when set


@dataclass
class Passerelle:
    """One block equivalence, seen from the fiche: which block of ours meets which block of another certification."""

    outgoing: bool
    kind: str
    own_block: object  # Block or None (the whole certification)
    other: Link
    other_block_code: str = ""
    other_block_title: str = ""
    kind_code: str = ""


@dataclass
class Fiche:
    certification: Certification
    lifecycle: str
    replaces: list[Link]
    replaced_by: list[Link]
    passerelles: list[Passerelle]
    partners: list[Partner]
    partner_count: int
    vae_reason: str
    cpf_reason: str
    access_routes: list[str] = field(default_factory=list)
    opcos: list[Branch] = field(default_factory=list)
    # Block correspondences with the previous or next version (VERSION equivalences), apart from passerelles.
    version_pairs: list[Passerelle] = field(default_factory=list)
    # A new version in preparation (inactive, replacing another, not replaced): not expired.
    preparing: bool = False
    # Whether the fiche offers to apply: active, not retired, and not replaced unless a retirement date is ahead.
    open_for_candidacies: bool = False


def _links(codes, known: dict) -> list[Link]:
    """`known` maps a code to its title, or to (title, retirement date)."""
    from django.urls import reverse

    links = []
    for c in codes:
        if c not in known:
            links.append(Link(code=c))
            continue
        title, retired_on = known[c] if isinstance(known[c], tuple) else (known[c], None)
        links.append(
            Link(
                code=c,
                title=title,
                url=reverse("www:certification_detail", kwargs={"code": c}),
                retired_on=retired_on,
            )
        )
    return links


def certification_fiche(*, code: str) -> Fiche | None:
    """Everything the public fiche shows, in a fixed number of queries (not one more per block or partner)."""
    certification = certification_detail(code=code)
    if certification is None:
        return None
    lineage = certification_lineage(code=code)
    incoming = list(
        BlockEquivalence.objects.filter(target_certification_code=code)
        .exclude(certification=certification)
        .select_related("certification", "block", "target_block")
        .order_by("certification__code", "id")
    )
    outgoing = list(certification.equivalences.all())
    # Always ask with our own code, so that the query runs (and is counted) even with no lineage.
    wanted = {code, *lineage["replaces"], *lineage["replaced_by"], *(e.target_certification_code for e in outgoing)}
    rows = list(Certification.objects.filter(code__in=wanted).values_list("code", "title", "retired_on", "active"))
    known = {code: (title, retired_on) for code, title, retired_on, _active in rows}
    # A new version still in preparation (in the catalogue, inactive) does not close this one yet.
    successors = [c for c in lineage["replaced_by"] if not any(r[0] == c and not r[3] for r in rows)]

    own_blocks = {b.code: b for b in certification.blocks.all()}
    passerelles = [
        Passerelle(
            outgoing=True,
            kind=e.get_kind_display(),
            own_block=e.block,
            other=_links([e.target_certification_code], known)[0],
            other_block_code=e.target_block.code if e.target_block else e.target_block_code,
            other_block_title=e.target_block.title if e.target_block else "",
            kind_code=e.kind,
        )
        for e in outgoing
    ]
    for e in incoming:
        source = e.certification
        passerelles.append(
            Passerelle(
                outgoing=False,
                kind=e.get_kind_display(),
                own_block=e.target_block or own_blocks.get(e.target_block_code),
                other=_links([source.code], {source.code: source.title})[0],
                other_block_code=e.block.code if e.block else "",
                other_block_title=e.block.title if e.block else "",
                kind_code=e.kind,
            )
        )
    version_pairs = [p for p in passerelles if p.kind_code == enums.EquivalenceKind.VERSION]
    passerelles = [p for p in passerelles if p.kind_code != enums.EquivalenceKind.VERSION]

    # The first ones and the count, never the hundreds of rows some fiches have.
    partners_qs = Partner.objects.filter(certification=certification)
    partners = list(partners_qs.order_by("name", "id")[:PARTNERS_SHOWN])
    partner_count = partners_qs.count()

    routes = certification.access_routes or []
    certification.lifecycle = certification_lifecycle(certification=certification, replaced_by=lineage["replaced_by"])
    today = date.today()
    retired_on = certification.retired_on
    return Fiche(
        version_pairs=version_pairs,
        preparing=not certification.active and bool(lineage["replaces"]) and not lineage["replaced_by"],
        open_for_candidacies=certification.active
        and not (certification.registration_end and certification.registration_end < today)
        and (retired_on > today if retired_on else not successors),
        certification=certification,
        lifecycle=certification.lifecycle,
        replaces=_links(lineage["replaces"], known),
        replaced_by=_links(lineage["replaced_by"], known),
        passerelles=passerelles,
        partners=partners,
        partner_count=partner_count,
        vae_reason=rights.vae_reason(
            registry=certification.registry, active=certification.active, access_routes=routes
        ),
        cpf_reason=rights.cpf_reason(registry=certification.registry, active=certification.active),
        access_routes=[enums.AccessRoute(r).label for r in routes if r in enums.AccessRoute.values],
        opcos=[b for b in certification.branches.all() if b.opco_name],
    )
