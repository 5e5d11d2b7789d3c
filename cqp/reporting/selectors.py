"""Statistics for certifier staff and platform administrators, read with aggregate SQL.

Every figure is one grouped query (GROUP BY with conditional counts) over the candidacies in scope:
the certifiers the user is staff of, or every certifier for a platform administrator. Nothing here
loops over candidacies in Python; each figure comes back as explicit rows.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cqp.awards.enums import AwardKind
from cqp.awards.models import Award
from cqp.candidacies.enums import Funding, Path, Situation, State
from cqp.candidacies.models import Candidacy, CandidacyEvent
from cqp.candidacies.selectors import staff_certifier_ids
from cqp.catalogue.models import Certification
from cqp.juries.enums import Opinion
from cqp.juries.models import Deliberation, DeliberationBlock

PERIOD_CREATED = "created"
PERIOD_DELIVERED = "delivered"
FAILED_BLOCKS_LIMIT = 10
# Histogram of the time from application to delivery: bins in days, the last one open-ended.
DURATION_BINS = (0, 90, 180, 270, 365, 545, 730)


@dataclass(frozen=True)
class Filters:
    """What the figures are computed on. `certifier_ids` None means every certifier (platform admin)."""

    certifier_ids: tuple[int, ...] | None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    period_on: str = PERIOD_CREATED
    branch_id: int | None = None
    certification_id: int | None = None


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class RateRow:
    key: str
    label: str
    award: int
    partial: int
    refusal: int

    @property
    def decided(self) -> int:
        return self.award + self.partial + self.refusal

    @property
    def rate(self) -> float | None:
        """Awards over decided candidacies, 0 to 1 (None when nothing was decided)."""
        return self.award / self.decided if self.decided else None


@dataclass(frozen=True)
class DurationBin:
    low: int
    high: int | None  # None: open-ended
    count: int


@dataclass(frozen=True)
class DurationStats:
    """Days from application (submission, else creation) to delivery, over the awards in scope."""

    count: int
    q1: float | None
    median: float | None
    q3: float | None
    bins: list[DurationBin] = field(default_factory=list)


@dataclass(frozen=True)
class FailedBlockRow:
    block_id: int
    code: str
    title: str
    certification: str
    failed: int
    decided: int


@dataclass(frozen=True)
class YearRow:
    """France Compétences' renewal figures: holders of a certification in a year, of whom by VAE."""

    year: int
    certification: str
    title: str
    holders: int
    vae_holders: int


@dataclass(frozen=True)
class Statistics:
    filters: Filters
    total: int
    by_state: list[CountRow]
    by_path: list[CountRow]
    by_situation: list[CountRow]
    by_funding: list[CountRow]
    rates_by_certification: list[RateRow]
    rates_by_session: list[RateRow]
    rates_by_assessment_centre: list[RateRow]
    rates_by_training_org: list[RateRow]
    durations: DurationStats
    failed_blocks: list[FailedBlockRow]
    yearly: list[YearRow]


# Scope -------------------------------------------------------------------------------------------


def may_see_statistics(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or staff_certifier_ids(user)))


def scope_for(user) -> tuple[int, ...] | None:
    """The certifiers whose figures the user sees; None for every certifier (platform admin)."""
    if user.is_superuser:
        return None
    return tuple(staff_certifier_ids(user))


def certifications_in_scope(certifier_ids):
    """The certifications offered in the filter form: those of the certifiers in scope."""
    qs = Certification.objects.order_by("code")
    if certifier_ids is not None:
        qs = qs.filter(certifiers__in=certifier_ids).distinct()
    return qs


# Filters -----------------------------------------------------------------------------------------


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _candidacy_q(filters: Filters, prefix: str = "", *, with_delivery: bool = True) -> Q:
    """The filters as a Q on Candidacy, reached through `prefix` from another model."""
    q = Q()
    if filters.certifier_ids is not None:
        q &= Q(**{f"{prefix}certifier_id__in": filters.certifier_ids})
    if filters.certification_id:
        q &= Q(**{f"{prefix}certification_id": filters.certification_id})
    if filters.branch_id:
        in_branch = Certification.branches.through.objects.filter(branch_id=filters.branch_id)
        q &= Q(**{f"{prefix}certification_id__in": in_branch.values("certification_id")})
    if filters.period_on == PERIOD_CREATED:
        # A range on the column itself (not __date) so an index on created_at can serve it.
        if filters.date_from:
            q &= Q(**{f"{prefix}created_at__gte": _day_start(filters.date_from)})
        if filters.date_to:
            q &= Q(**{f"{prefix}created_at__lt": _day_start(filters.date_to + datetime.timedelta(days=1))})
    elif with_delivery and (filters.date_from or filters.date_to):
        q &= Q(Exists(_awards_delivered(filters).filter(candidacy_id=OuterRef(f"{prefix}pk" if prefix else "pk"))))
    return q


def _delivered_q(filters: Filters) -> Q:
    q = Q()
    if filters.date_from:
        q &= Q(delivered_on__gte=filters.date_from)
    if filters.date_to:
        q &= Q(delivered_on__lte=filters.date_to)
    return q


def _awards_delivered(filters: Filters):
    return Award.objects.filter(_delivered_q(filters), revoked_at__isnull=True)


def _awards(filters: Filters):
    """Awards in force in scope; with a delivery period, the period applies to the award itself."""
    awards = Award.objects.filter(_candidacy_q(filters, "candidacy__", with_delivery=False), revoked_at__isnull=True)
    if filters.period_on == PERIOD_DELIVERED:
        awards = awards.filter(_delivered_q(filters))
    return awards


def candidacies(filters: Filters):
    return Candidacy.objects.filter(_candidacy_q(filters)).order_by()


def _deliberations(filters: Filters):
    """The deliberations in force, signed, on the candidacies in scope."""
    return Deliberation.objects.filter(
        _candidacy_q(filters, "candidacy__"), is_current=True, session__signed_at__isnull=False
    ).order_by()


# Figures -----------------------------------------------------------------------------------------


COUNTED = {"state": State.choices, "path": Path.choices, "situation": Situation.choices, "funding": Funding.choices}


def _count_rows(counts: dict, choices) -> list[CountRow]:
    labels = dict(choices)
    counts = dict(counts)
    # Every choice in its own order, then anything else (a blank funding) at the end.
    out = [CountRow(key, str(label), counts.pop(key)) for key, label in labels.items() if key in counts]
    out += [CountRow(key or "", str(labels.get(key, "—")) if key else "—", n) for key, n in counts.items()]
    return out


def _counts(filters: Filters, field_name: str, choices) -> list[CountRow]:
    rows = candidacies(filters).values(field_name).annotate(n=Count("pk")).order_by(field_name)
    return _count_rows({row[field_name]: row["n"] for row in rows}, choices)


def counts_by_every_dimension(filters: Filters) -> dict[str, list[CountRow]]:
    """State, path, situation and funding in one pass over the candidacies: grouped by the four at once
    (a few hundred groups at most), then each summed over the groups."""
    rows = candidacies(filters).values(*COUNTED).annotate(n=Count("pk")).order_by()
    totals = {name: {} for name in COUNTED}
    for row in rows:
        for name in COUNTED:
            totals[name][row[name]] = totals[name].get(row[name], 0) + row["n"]
    return {name: _count_rows(totals[name], choices) for name, choices in COUNTED.items()}


def counts_by_state(filters: Filters) -> list[CountRow]:
    return _counts(filters, "state", State.choices)


def counts_by_path(filters: Filters) -> list[CountRow]:
    return _counts(filters, "path", Path.choices)


def counts_by_situation(filters: Filters) -> list[CountRow]:
    return _counts(filters, "situation", Situation.choices)


def counts_by_funding(filters: Filters) -> list[CountRow]:
    return _counts(filters, "funding", Funding.choices)


OPINION_COUNTS = {
    "award": Count("pk", filter=Q(opinion=Opinion.AWARD)),
    "partial": Count("pk", filter=Q(opinion=Opinion.PARTIAL)),
    "refusal": Count("pk", filter=Q(opinion=Opinion.REFUSAL)),
}


def _rates(filters: Filters, key: str, *labels: str, label=None) -> list[RateRow]:
    rows = _deliberations(filters).values(key, *labels).annotate(**OPINION_COUNTS).order_by(*labels, key)
    return [
        RateRow(
            key=str(row[key] if row[key] is not None else ""),
            label=label(row) if label else " — ".join(str(row[name] or "") for name in labels),
            award=row["award"],
            partial=row["partial"],
            refusal=row["refusal"],
        )
        for row in rows
    ]


def rates_by_certification(filters: Filters) -> list[RateRow]:
    return _rates(
        filters,
        "candidacy__certification_id",
        "candidacy__certification__code",
        "candidacy__certification__title",
        label=lambda row: f"{row['candidacy__certification__code']} — {row['candidacy__certification__title']}",
    )


def rates_by_session(filters: Filters) -> list[RateRow]:
    return _rates(
        filters,
        "session_id",
        "session__starts_at",
        "session__jury__name",
        label=lambda row: f"{timezone.localtime(row['session__starts_at']):%d/%m/%Y} — {row['session__jury__name']}",
    )


def _organisation_label(field_name):
    return lambda row: row[field_name] or str(_("Non désigné"))


def rates_by_assessment_centre(filters: Filters) -> list[RateRow]:
    return _rates(
        filters,
        "candidacy__assessment_centre_id",
        "candidacy__assessment_centre__name",
        label=_organisation_label("candidacy__assessment_centre__name"),
    )


def rates_by_training_org(filters: Filters) -> list[RateRow]:
    return _rates(
        filters,
        "candidacy__training_org_id",
        "candidacy__training_org__name",
        label=_organisation_label("candidacy__training_org__name"),
    )


def _durations_queryset(filters: Filters):
    """One row per award in force: days from application to delivery, as a duration."""
    submitted = (
        CandidacyEvent.objects.filter(candidacy_id=OuterRef("candidacy_id"), to_state=State.SUBMITTED)
        .order_by("at")
        .annotate(day=TruncDate("at"))
        .values("day")[:1]
    )
    applied = Coalesce(Subquery(submitted, output_field=DateField()), TruncDate("candidacy__created_at"))
    return (
        _awards(filters)
        .annotate(duration=ExpressionWrapper(F("delivered_on") - applied, output_field=DurationField()))
        .order_by()
    )


def _days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400
    return float(value)


# The days of a duration as the database stores it: an interval on PostgreSQL, microseconds on SQLite.
DAYS_SQL = {"postgresql": "extract(epoch FROM t.d) / 86400", "sqlite": "t.d / 86400000000.0"}
# Keeps the inner query from being merged into the outer one, which would repeat its correlated subquery
# (the submission date) in every conditional count.
NO_FLATTEN_SQL = {"postgresql": " OFFSET 0", "sqlite": " LIMIT -1"}
DURATIONS_SQL = "SELECT COUNT(*), {bins}{percentiles} FROM ({inner}{no_flatten}) AS t(d)"
PERCENTILES_SQL = ", percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY {days})"


def duration_stats(filters: Filters) -> DurationStats:
    qs = _durations_queryset(filters)
    bounds = [*DURATION_BINS, None]
    pairs = list(zip(bounds[:-1], bounds[1:], strict=True))
    vendor = connection.vendor if connection.vendor in DAYS_SQL else "sqlite"
    days = DAYS_SQL[vendor]
    # The count and the histogram (and, on PostgreSQL, the quartiles) in one pass over the durations.
    bins_sql = [
        f"SUM(CASE WHEN {days} >= {low}" + (f" AND {days} < {high}" if high is not None else "") + " THEN 1 ELSE 0 END)"
        for low, high in pairs
    ]
    percentiles = PERCENTILES_SQL.format(days=days) if vendor == "postgresql" else ""
    try:
        inner, params = qs.values_list("duration").query.sql_with_params()
    except EmptyResultSet:  # an empty scope: nothing to read
        return DurationStats(0, None, None, None, [DurationBin(low, high, 0) for low, high in pairs])
    # Only integers and Django's own compiled SQL are put together here; the parameters stay apart.
    query = DURATIONS_SQL.format(
        bins=", ".join(bins_sql), percentiles=percentiles, inner=inner, no_flatten=NO_FLATTEN_SQL[vendor]
    )
    if vendor == "sqlite":
        # SQLite has no column list on a derived table: name the column inside.
        query = query.replace(" AS t(d)", " AS t").replace("t.d", "t.duration")
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    count = row[0]
    bins = [DurationBin(low, high, int(row[1 + i] or 0)) for i, (low, high) in enumerate(pairs)]
    if not count:
        return DurationStats(0, None, None, None, bins)
    if vendor == "postgresql":
        q1, median, q3 = row[-1]
        return DurationStats(count, float(q1), float(median), float(q3), bins)
    # Portable fallback: the two neighbours of each quantile, read in order with LIMIT/OFFSET, interpolated
    # as percentile_cont does.
    ordered = qs.order_by("duration").values_list("duration", flat=True)
    quartiles = []
    for fraction in (0.25, 0.5, 0.75):
        position = fraction * (count - 1)
        low = int(position)
        pair = [_days(v) for v in ordered[low : low + 2]]
        high = pair[1] if len(pair) > 1 else pair[0]
        quartiles.append(pair[0] + (high - pair[0]) * (position - low))
    return DurationStats(count, *quartiles, bins)


def failed_blocks(filters: Filters, limit: int = FAILED_BLOCKS_LIMIT) -> list[FailedBlockRow]:
    """The blocks the juries refused most often, with how many times each was decided."""
    rows = (
        DeliberationBlock.objects.filter(
            _candidacy_q(filters, "deliberation__candidacy__"),
            deliberation__is_current=True,
            deliberation__session__signed_at__isnull=False,
        )
        .values("block_id", "block__code", "block__title", "block__certification__code")
        .annotate(failed=Count("pk", filter=Q(validated=False)), decided=Count("pk"))
        .filter(failed__gt=0)
        .order_by("-failed", "block__code")[:limit]
    )
    return [
        FailedBlockRow(
            block_id=row["block_id"],
            code=row["block__code"],
            title=row["block__title"],
            certification=row["block__certification__code"],
            failed=row["failed"],
            decided=row["decided"],
        )
        for row in rows
    ]


def yearly_holders(filters: Filters) -> list[YearRow]:
    """Holders per year and certification (certificates in force), of whom by VAE."""
    rows = (
        _awards(filters)
        .filter(kind=AwardKind.CERTIFICATE)
        .values("year", "certification__code", "certification__title")
        .annotate(
            holders=Count("candidacy__candidate_id", distinct=True),
            vae=Count("candidacy__candidate_id", distinct=True, filter=Q(candidacy__path=Path.VAE)),
        )
        .order_by("-year", "certification__code")
    )
    return [
        YearRow(row["year"], row["certification__code"], row["certification__title"], row["holders"], row["vae"])
        for row in rows
    ]


def cached_statistics(filters: Filters) -> Statistics:
    """The figures, kept for CQP_STATISTICS_CACHE_SECONDS (10 minutes by default; 0: always computed).

    Over a million candidacies the aggregates take seconds: a page reloaded, filtered back or exported
    table by table reads them once. Figures a few minutes old are fine for reporting; the page says so.
    """
    seconds = getattr(settings, "CQP_STATISTICS_CACHE_SECONDS", 600)
    if not seconds:
        return statistics(filters)
    # The rows carry translated labels: one entry per language too.
    key = "cqp:statistics:" + hashlib.sha256(f"{get_language()}:{filters!r}".encode()).hexdigest()
    stats = cache.get(key)
    if stats is None:
        stats = statistics(filters)
        cache.set(key, stats, seconds)
    return stats


def statistics(filters: Filters) -> Statistics:
    counts = counts_by_every_dimension(filters)
    return Statistics(
        filters=filters,
        total=sum(row.count for row in counts["state"]),
        by_state=counts["state"],
        by_path=counts["path"],
        by_situation=counts["situation"],
        by_funding=counts["funding"],
        rates_by_certification=rates_by_certification(filters),
        rates_by_session=rates_by_session(filters),
        rates_by_assessment_centre=rates_by_assessment_centre(filters),
        rates_by_training_org=rates_by_training_org(filters),
        durations=duration_stats(filters),
        failed_blocks=failed_blocks(filters),
        yearly=yearly_holders(filters),
    )
