"""Reads of the pipeline pages. Every queryset starts from candidacies_visible_to(): a candidacy
outside the user's scope is never listed, counted or found."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cqp.accounts.enums import OrganisationKind, Role
from cqp.accounts.models import Organisation
from cqp.candidacies.enums import State
from cqp.candidacies.models import Candidacy
from cqp.candidacies.selectors import _memberships, candidacies_visible_to, staff_certifier_ids
from cqp.catalogue.models import Certification, Certifier

PAGE_SIZE = 50

# The order of the workflow, for the summary of counts.
STATE_ORDER = [
    State.DRAFT,
    State.SUBMITTED,
    State.ADMISSIBLE,
    State.POSITIONED,
    State.IN_TRAINING,
    State.DOSSIER_SUBMITTED,
    State.IN_ASSESSMENT,
    State.READY_FOR_JURY,
    State.SCHEDULED_FOR_JURY,
    State.DECIDED,
    State.DELIVERED,
    State.CLOSED,
    State.INADMISSIBLE,
    State.WITHDRAWN,
]

SORTS = {
    "recent": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "state_changed": ("-state_changed_at", "-id"),
}


def _roles(user) -> list[tuple[str, int | None, int | None]]:
    # The memberships candidacies_visible_to() reads, cached on the user for the request: one query.
    return _memberships(user)


def assigned_organisation_ids(user) -> dict[str, list[int]]:
    """Organisations for which the user acts as training organisation or as assessment centre."""
    ids = {"training_org": set(), "assessment_centre": set()}
    for role, _, organisation_id in _roles(user):
        if organisation_id and role == Role.TRAINING_ORG:
            ids["training_org"].add(organisation_id)
        elif organisation_id and role == Role.ASSESSOR:
            ids["assessment_centre"].add(organisation_id)
    return {key: sorted(value) for key, value in ids.items()}


def is_pipeline_user(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or staff_certifier_ids(user)))


def is_assigned_user(user) -> bool:
    return bool(user.is_authenticated and any(assigned_organisation_ids(user).values()))


def pipeline_scope(user) -> QuerySet[Candidacy]:
    """The candidacies of the user's certifiers (all of them for a platform administrator)."""
    qs = candidacies_visible_to(user)
    if user.is_superuser:
        return qs
    return qs.filter(certifier_id__in=staff_certifier_ids(user))


def assigned_scope(user) -> QuerySet[Candidacy]:
    """The candidacies assigned to the user's training organisations and assessment centres."""
    ids = assigned_organisation_ids(user)
    condition = Q(pk__in=[])
    if ids["training_org"]:
        condition |= Q(training_org_id__in=ids["training_org"])
    if ids["assessment_centre"]:
        condition |= Q(assessment_centre_id__in=ids["assessment_centre"])
    return candidacies_visible_to(user).filter(condition)


def certifiers_of(user) -> list[Certifier]:
    if user.is_superuser:
        has_candidacies = Candidacy.objects.filter(certifier_id=OuterRef("pk"))
        return list(Certifier.objects.filter(Exists(has_candidacies)).order_by("name"))
    return list(Certifier.objects.filter(pk__in=staff_certifier_ids(user)).order_by("name"))


def certification_choices_for_staff(user) -> list[tuple[str, str]]:
    """Codes and titles of the certifications of the user's certifiers."""
    qs = Certification.objects.order_by("code")
    if user.is_superuser:
        qs = qs.filter(Exists(Candidacy.objects.filter(certification_id=OuterRef("pk"))))
    else:
        qs = qs.filter(certifiers__in=staff_certifier_ids(user)).distinct()
    return [(code, f"{code} — {title}") for code, title in qs.values_list("code", "title")]


def certification_choices_for(scope: QuerySet[Candidacy]) -> list[tuple[str, str]]:
    """Codes and titles of the certifications that appear in a (small) scope."""
    qs = Certification.objects.filter(pk__in=scope.order_by().values("certification_id")).order_by("code")
    return [(code, f"{code} — {title}") for code, title in qs.values_list("code", "title")]


def organisation_choices() -> dict[str, list[tuple[str, str]]]:
    """Training organisations and assessment centres, the ones a candidacy may be assigned to."""
    rows = Organisation.objects.filter(
        kind__in=[OrganisationKind.TRAINING_ORG, OrganisationKind.ASSESSMENT_CENTRE]
    ).order_by("name", "pk")
    choices = {OrganisationKind.TRAINING_ORG: [], OrganisationKind.ASSESSMENT_CENTRE: []}
    for pk, name, kind, city in rows.values_list("pk", "name", "kind", "city"):
        choices[kind].append((str(pk), f"{name} ({city})" if city else name))
    return choices


def filter_candidacies(qs: QuerySet[Candidacy], filters: dict) -> QuerySet[Candidacy]:
    """Every filter but the state (the counts per state are taken across states)."""
    if filters.get("certifier"):
        qs = qs.filter(certifier_id=filters["certifier"])
    if filters.get("certification"):
        qs = qs.filter(certification__code=filters["certification"])
    if filters.get("path"):
        qs = qs.filter(path=filters["path"])
    if filters.get("organisation"):
        organisation = filters["organisation"]
        qs = qs.filter(Q(training_org_id=organisation) | Q(assessment_centre_id=organisation))
    # Bounds as instants (not created_at__date) so that the index on created_at serves.
    if filters.get("created_from"):
        qs = qs.filter(created_at__gte=_start_of(filters["created_from"]))
    if filters.get("created_to"):
        qs = qs.filter(created_at__lt=_start_of(filters["created_to"] + timedelta(days=1)))
    return qs


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class StateCount:
    state: str
    label: str
    count: int


def state_counts(qs: QuerySet[Candidacy]) -> list[StateCount]:
    """Candidacies per state, in the order of the workflow: one GROUP BY query."""
    found = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    labels = dict(State.choices)
    return [StateCount(state, labels[state], found[state]) for state in STATE_ORDER if found.get(state)]


def candidacy_page(qs: QuerySet[Candidacy], *, total: int, sort: str, page_number) -> Page:
    """One page of candidacies with what a row shows, in one query (the total is already known)."""
    rows = qs.select_related("candidate", "certification", "training_org", "assessment_centre").order_by(
        *SORTS.get(sort, SORTS["recent"])
    )
    paginator = Paginator(rows, PAGE_SIZE)
    # The counts per state give the total: no second COUNT(*) over the same rows.
    paginator.count = total
    return paginator.get_page(page_number)
