# ruff: noqa: S608 -- the SQL below is built from model table names only; every value is a bound parameter.
"""What a person holds, and where it leads (passerelles).

Equivalences are read as links between two blocks that hold both ways (a common base, a registry
correspondence, two versions of a CQP) and are followed transitively: holding A with A ≡ B and
B ≡ C gives B and C. The closure is one recursive query (`WITH RECURSIVE`, the same SQL on SQLite
and PostgreSQL) whose UNION drops rows already reached, so a loop A ≡ B ≡ A ends. Equivalences
whose source or target block is not in the catalogue (a code only) link nothing.

A block held directly counts from its date while it is in force (no expiry date, or a date not
passed yet); an expired one is shown with its date and neither counts nor leads anywhere.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.utils import timezone

from cqp.candidacies.models import Candidate
from cqp.candidacies.selectors import staff_certifier_ids
from cqp.catalogue.enums import Source
from cqp.catalogue.models import Block, BlockEquivalence, Certification

from .enums import HeldSource
from .models import HeldBlock

BLOCK = Block._meta.db_table
CERTIFICATION = Certification._meta.db_table
EQUIVALENCE = BlockEquivalence._meta.db_table
HELD = HeldBlock._meta.db_table
CANDIDATE = HeldBlock._meta.get_field("candidate").related_model._meta.db_table


def _reach_cte(seed_sql: str) -> str:
    """`reach(id)`: the seed blocks and every block linked to them by a chain of equivalences."""
    return f"""
        WITH RECURSIVE reach(id) AS (
            {seed_sql}
            UNION
            SELECT CASE WHEN e.block_id = r.id THEN e.target_block_id ELSE e.block_id END
              FROM reach r
              JOIN {EQUIVALENCE} e ON (e.block_id = r.id OR e.target_block_id = r.id)
             WHERE e.block_id IS NOT NULL AND e.target_block_id IS NOT NULL
        )"""


# Blocks a candidacy can target now: all but registry blocks the registry has dropped (as
# cqp.catalogue.selectors.certification_current_blocks).
_CURRENT = "NOT (b.source = %s AND b.in_registry = %s)"
_CURRENT_PARAMS = [Source.REGISTRY.value, False]

_HELD_SEED = (
    f"SELECT h.block_id FROM {HELD} h WHERE h.candidate_id = %s AND (h.expires_on IS NULL OR h.expires_on >= %s)"
)
_HELD_SEED_BY_USER = (
    f"SELECT h.block_id FROM {HELD} h JOIN {CANDIDATE} p ON p.id = h.candidate_id "
    "WHERE p.user_id = %s AND (h.expires_on IS NULL OR h.expires_on >= %s)"
)


def _today(today):
    return today or timezone.localdate()


def equivalence_closure(block_ids) -> set[int]:
    """The blocks given and every block equivalent to them, transitively (one query)."""
    block_ids = [int(pk) for pk in block_ids]
    if not block_ids:
        return set()
    seed = f"SELECT id FROM {BLOCK} WHERE id IN ({', '.join(['%s'] * len(block_ids))})"
    with connection.cursor() as cursor:
        cursor.execute(_reach_cte(seed) + " SELECT id FROM reach", block_ids)
        return {row[0] for row in cursor.fetchall()}


def held_block_ids_in_force(candidate, *, today: date | None = None) -> set[int]:
    """Blocks the person holds now: held directly and in force, and those equivalent to them (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_reach_cte(_HELD_SEED) + " SELECT id FROM reach", [candidate.pk, _today(today)])
        return {row[0] for row in cursor.fetchall()}


# --- What certifier staff see --------------------------------------------------------------------


def candidates_for_certifier_staff(user):
    """The people certifier staff may record earlier blocks for: those with a candidacy with one of
    their certifiers (as the pipeline). Nobody for anyone else, platform administrators included:
    an earlier certification is recorded by its certifier."""
    if not (user and user.is_authenticated and user.is_active):
        return Candidate.objects.none()
    certifiers = staff_certifier_ids(user)
    if not certifiers:
        return Candidate.objects.none()
    return Candidate.objects.filter(candidacies__certifier_id__in=certifiers).distinct()


def certifications_for_certifier_staff(user):
    """The certifications of the user's certifiers (in force, retired or older versions alike: an
    earlier certificate may be of any of them), by code."""
    if not (user and user.is_authenticated and user.is_active):
        return Certification.objects.none()
    return Certification.objects.filter(certifiers__in=staff_certifier_ids(user)).distinct().order_by("code")


# --- The person's blocks -------------------------------------------------------------------------


@dataclass
class Holding:
    block: Block
    source: str  # HeldSource value; EQUIVALENCE for a block held through equivalences
    obtained_on: date | None = None
    expires_on: date | None = None
    in_force: bool = True
    award: object = None  # cqp.awards.models.Award, with its document when issued
    reference: str = ""
    via: Block | None = None  # the held block the equivalence chain starts from
    kind: str = ""  # EquivalenceKind of the last link of the chain
    chain: list[str] = field(default_factory=list)  # block codes from the held block to this one

    @property
    def source_label(self) -> str:
        return HeldSource(self.source).label

    @property
    def kind_label(self) -> str:
        from cqp.catalogue.enums import EquivalenceKind

        return EquivalenceKind(self.kind).label if self.kind else ""


def holdings(candidate, *, today: date | None = None) -> list[Holding]:
    """Every block the person holds: directly (jury and delivery, or an earlier certification), then
    through equivalences (with the block it comes from and the kind of link). Expired rows are
    listed with `in_force` false and lead to nothing. Four queries whatever the person holds."""
    today = _today(today)
    rows = list(
        HeldBlock.objects.filter(candidate=candidate)
        .select_related("block__certification", "award__document")
        .order_by("block__certification__code", "block__position", "block__code")
    )
    direct = [
        Holding(
            block=row.block,
            source=row.source,
            obtained_on=row.obtained_on,
            expires_on=row.expires_on,
            in_force=row.in_force(today),
            award=row.award,
            reference=row.reference,
        )
        for row in rows
    ]
    seeds = {h.block.pk: h for h in direct if h.in_force}
    reached = equivalence_closure(seeds)
    derived_ids = reached - set(seeds)
    if not derived_ids:
        return direct
    # The closure is closed: every equivalence touching it lies inside it.
    links = defaultdict(list)
    for a, b, kind in BlockEquivalence.objects.filter(block_id__in=reached, target_block_id__isnull=False).values_list(
        "block_id", "target_block_id", "kind"
    ):
        links[a].append((b, kind))
        links[b].append((a, kind))
    # Breadth first from the held blocks: each derived block keeps its shortest chain.
    origin = {pk: (pk, "", [pk]) for pk in sorted(seeds)}
    frontier = sorted(seeds)
    while frontier:
        following = []
        for pk in frontier:
            start, _kind, chain = origin[pk]
            for other, kind in sorted(links[pk]):
                if other not in origin:
                    origin[other] = (start, kind, [*chain, other])
                    following.append(other)
        frontier = following
    blocks = Block.objects.select_related("certification").in_bulk(reached)
    derived = []
    for pk in derived_ids:
        start, kind, chain = origin.get(pk, (None, "", []))
        derived.append(
            Holding(
                block=blocks[pk],
                source=HeldSource.EQUIVALENCE,
                via=seeds[start].block if start in seeds else None,
                kind=kind,
                chain=[blocks[step].code for step in chain if step in blocks],
                obtained_on=seeds[start].obtained_on if start in seeds else None,
            )
        )
    derived.sort(key=lambda h: (h.block.certification.code, h.block.position, h.block.code))
    return direct + derived


# --- Passerelles ------------------------------------------------------------------------------------


@dataclass
class Passerelle:
    certification_id: int
    code: str
    title: str
    active: bool
    held_blocks: list[str]
    missing_blocks: list[str]

    @property
    def total(self) -> int:
        return len(self.held_blocks) + len(self.missing_blocks)

    @property
    def coverage(self) -> float:
        return len(self.held_blocks) / self.total if self.total else 0.0

    @property
    def complete(self) -> bool:
        return not self.missing_blocks


def _rank(passerelles: list[Passerelle]) -> list[Passerelle]:
    """Highest coverage first, then by title and code."""
    return sorted(passerelles, key=lambda p: (-p.coverage, p.title, p.code))


_COVERAGE_SELECT = f"""
    SELECT b.certification_id, c.code, c.title, c.active, b.code,
           CASE WHEN b.id IN (SELECT id FROM reach) THEN 1 ELSE 0 END
      FROM {BLOCK} b
      JOIN {CERTIFICATION} c ON c.id = b.certification_id
     WHERE {_CURRENT}
       AND b.certification_id IN (
           SELECT x.certification_id FROM {BLOCK} x
            WHERE x.id IN (SELECT id FROM reach) AND {_CURRENT.replace("b.", "x.")}
       )
       {{extra}}
     ORDER BY b.certification_id, b.position, b.code
"""


def _coverage_rows(seed_sql, seed_params, *, extra="", extra_params=()) -> list[Passerelle]:
    sql = _reach_cte(seed_sql) + _COVERAGE_SELECT.format(extra=extra)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*seed_params, *_CURRENT_PARAMS, *_CURRENT_PARAMS, *extra_params])
        rows = cursor.fetchall()
    found: dict[int, Passerelle] = {}
    for certification_id, code, title, active, block_code, covered in rows:
        p = found.get(certification_id)
        if p is None:
            p = found[certification_id] = Passerelle(certification_id, code, title, bool(active), [], [])
        (p.held_blocks if covered else p.missing_blocks).append(block_code)
    return list(found.values())


def passerelles_for(candidate, *, today: date | None = None) -> list[Passerelle]:
    """Every certification with at least one block the person holds, directly or through equivalences:
    held and missing block codes, ranked by coverage (highest first), then title. Certifications held
    whole are kept (coverage 1, `complete`): the holder may want a proof of them. One query."""
    return _rank(_coverage_rows(_HELD_SEED, [candidate.pk, _today(today)]))


def passerelle_for_user(user, certification, *, today: date | None = None) -> Passerelle | None:
    """What the signed-in person already holds of one certification (None when nothing). One query."""
    if not (user and user.is_authenticated):
        return None
    rows = _coverage_rows(
        _HELD_SEED_BY_USER,
        [user.pk, _today(today)],
        extra="AND b.certification_id = %s",
        extra_params=[certification.pk],
    )
    return rows[0] if rows else None


@dataclass
class SharedWith:
    code: str
    title: str
    blocks: int  # blocks of that certification covered by this one's blocks
    total: int


def certification_shared_with(certification) -> list[SharedWith]:
    """The other certifications that this one's blocks count for through equivalences, transitively,
    with how many of their blocks they cover; most blocks first. One query."""
    seed = f"SELECT id FROM {BLOCK} WHERE certification_id = %s"
    sql = (
        _reach_cte(seed)
        + f"""
        SELECT c.code, c.title, COUNT(*),
               (SELECT COUNT(*) FROM {BLOCK} t WHERE t.certification_id = c.id AND {_CURRENT.replace("b.", "t.")})
          FROM reach r
          JOIN {BLOCK} b ON b.id = r.id
          JOIN {CERTIFICATION} c ON c.id = b.certification_id
         WHERE b.certification_id <> %s AND {_CURRENT}
         GROUP BY c.id, c.code, c.title
    """
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [certification.pk, *_CURRENT_PARAMS, certification.pk, *_CURRENT_PARAMS])
        rows = [SharedWith(code, title, count, total) for code, title, count, total in cursor.fetchall()]
    return sorted(rows, key=lambda s: (-s.blocks, s.title, s.code))


# --- Every holder at once ----------------------------------------------------------------------------


class _Components:
    """Blocks linked by equivalences, grouped once (union-find) for the whole catalogue."""

    def __init__(self, edges):
        parent: dict[int, int] = {}

        def find(x):
            root = x
            while parent.get(root, root) != root:
                root = parent[root]
            while parent.get(x, x) != root:
                parent[x], x = root, parent[x]
            return root

        for a, b in edges:
            parent.setdefault(a, a)
            parent.setdefault(b, b)
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        members = defaultdict(list)
        for x in list(parent):
            members[find(x)].append(x)
        self.of = {x: members[find(x)] for x in parent}

    def reach(self, block_id) -> list[int]:
        return self.of.get(block_id) or [block_id]


def passerelles_batch(*, today: date | None = None, chunk_size: int = 20000) -> Iterator[tuple[int, list[Passerelle]]]:
    """(candidate id, ranked passerelles) for every person holding a block in force, in candidate order.

    Three reads for the whole run (equivalences, blocks with their certification, held blocks in one
    pass ordered by person); everything else is in memory. Same answer as `passerelles_for`."""
    today = _today(today)
    components = _Components(
        BlockEquivalence.objects.filter(block__isnull=False, target_block__isnull=False).values_list(
            "block_id", "target_block_id"
        )
    )
    block_cert: dict[int, int] = {}
    cert_blocks: dict[int, list[tuple[int, str]]] = defaultdict(list)
    cert_info: dict[int, tuple[str, str, bool]] = {}
    current = (
        Block.objects.exclude(source=Source.REGISTRY, in_registry=False)
        .order_by("certification_id", "position", "code")
        .values_list(
            "id", "code", "certification_id", "certification__code", "certification__title", "certification__active"
        )
    )
    for pk, code, cert_id, cert_code, cert_title, active in current.iterator(chunk_size=chunk_size):
        block_cert[pk] = cert_id
        cert_blocks[cert_id].append((pk, code))
        if cert_id not in cert_info:
            cert_info[cert_id] = (cert_code, cert_title, active)

    def rows_for(held: list[int]) -> list[Passerelle]:
        covered = set()
        for pk in held:
            covered.update(components.reach(pk))
        certs = {block_cert[pk] for pk in covered if pk in block_cert}
        result = []
        for cert_id in certs:
            code, title, active = cert_info[cert_id]
            held_codes, missing = [], []
            for pk, block_code in cert_blocks[cert_id]:
                (held_codes if pk in covered else missing).append(block_code)
            result.append(Passerelle(cert_id, code, title, active, held_codes, missing))
        return _rank(result)

    held_rows = (
        HeldBlock.objects.exclude(expires_on__lt=today)
        .order_by("candidate_id", "block_id")
        .values_list("candidate_id", "block_id")
    )
    person, held = None, []
    for candidate_id, block_id in held_rows.iterator(chunk_size=chunk_size):
        if candidate_id != person:
            if held:
                yield person, rows_for(held)
            person, held = candidate_id, []
        held.append(block_id)
    if held:
        yield person, rows_for(held)
