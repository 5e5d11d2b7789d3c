"""Who sees which candidacy: written once, used by pages and API alike."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F, Max, Q, QuerySet
from django.http import Http404

from cqp.accounts.enums import Role

from . import workflow
from .enums import BlockStatus
from .models import Candidacy, CandidacyEvent, Document

# Membership role → the candidacy field naming the organisation it acts for.
ORGANISATION_FIELD = {Role.EMPLOYER: "employer", Role.TRAINING_ORG: "training_org", Role.ASSESSOR: "assessment_centre"}


def _memberships(user):
    """The user's memberships (role, certifier id, organisation id), read once per request."""
    _load_identity(user)
    return user._cqp_memberships


def staff_certifier_ids(user) -> list[int]:
    """The certifiers whose staff the user is (from the memberships read once per request)."""
    return sorted(
        {certifier_id for role, certifier_id, _ in _memberships(user) if role == Role.CERTIFIER_STAFF and certifier_id}
    )


def _candidate_id(user):
    _load_identity(user)
    return user._cqp_candidate_id


def _load_identity(user):
    # One query for both: the candidate row (if any) and the memberships, joined from the user.
    if hasattr(user, "_cqp_memberships"):
        return
    rows = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list("candidate__id", "memberships__role", "memberships__certifier_id", "memberships__organisation_id")
    )
    rows = list(rows)
    user._cqp_candidate_id = rows[0][0] if rows else None
    user._cqp_memberships = [(role, certifier, organisation) for _c, role, certifier, organisation in rows if role]


def candidacies_visible_to(user) -> QuerySet[Candidacy]:
    """Candidate: their own. Employer, training organisation, assessment centre: those assigned to their
    organisation. Certifier staff: those of their certifier. Platform administrators: all."""
    if not (user and user.is_authenticated and user.is_active):
        return Candidacy.objects.none()
    if user.is_superuser:
        return Candidacy.objects.all()
    # The candidate's own by id, not through a join on the candidate table: combined by OR with the
    # organisations' conditions, a join keeps PostgreSQL from using the indexes of each branch.
    candidate_id = _candidate_id(user)
    condition = Q(candidate_id=candidate_id) if candidate_id else Q(pk__in=[])
    for role, certifier_id, organisation_id in _memberships(user):
        if role == Role.CERTIFIER_STAFF and certifier_id:
            condition |= Q(certifier_id=certifier_id)
        elif role in ORGANISATION_FIELD and organisation_id:
            condition |= Q(**{f"{ORGANISATION_FIELD[role]}_id": organisation_id})
    return Candidacy.objects.filter(condition)


def actor_roles(user, candidacy: Candidacy) -> set[str]:
    """The roles in which this user acts on this candidacy (see workflow)."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    roles = set()
    if user.is_superuser:
        roles.add(workflow.ADMIN)
    if candidacy.candidate_id and candidacy.candidate_id == _candidate_id(user):
        roles.add(workflow.CANDIDATE)
    for role, certifier_id, organisation_id in _memberships(user):
        if role == Role.CERTIFIER_STAFF and certifier_id and certifier_id == candidacy.certifier_id:
            roles.add(workflow.CERTIFIER)
        elif (
            role in ORGANISATION_FIELD
            and organisation_id
            and getattr(candidacy, f"{ORGANISATION_FIELD[role]}_id") == organisation_id
        ):
            roles.add(role)
    return roles


def available_transitions(user, candidacy: Candidacy) -> list[workflow.Transition]:
    """Transitions this user may apply now (guards not evaluated: the service says why one is refused)."""
    roles = actor_roles(user, candidacy)
    return [t for t in workflow.transitions_from(candidacy.state, candidacy.path) if t.roles & roles]


def documents_visible_to(user) -> QuerySet[Document]:
    return Document.objects.filter(candidacy__in=candidacies_visible_to(user))


def document_open(*, document: Document, user):
    """The stored file of a document, opened for reading, for someone who may see its candidacy.

    Raises PermissionDenied for an anonymous visitor and Http404 for anyone else who may not see the
    candidacy (its existence is not revealed). The caller closes the file (FileResponse does)."""
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied
    if not candidacies_visible_to(user).filter(pk=document.candidacy_id).exists():
        raise Http404
    return document.file.storage.open(document.file.name, "rb")


def candidacies_idle(*, days: int, now) -> QuerySet[Candidacy]:
    """Open candidacies with no activity (any event but a reminder) for `days` days and not reminded since."""
    cutoff = now - timedelta(days=days)
    return (
        # state_changed_at is never after the last activity: this narrows on the (state, state_changed_at) index.
        Candidacy.objects.filter(state__in=workflow.OPEN_STATES, state_changed_at__lte=cutoff)
        .annotate(
            last_activity=Max("events__at", filter=~Q(events__name="reminder")),
            last_reminder=Max("events__at", filter=Q(events__name="reminder")),
        )
        .filter(last_activity__lte=cutoff)
        .filter(Q(last_reminder__isnull=True) | Q(last_reminder__lt=F("last_activity")))
        .order_by("pk")
    )


def exempted_block_codes(candidacy) -> list[str]:
    return list(
        candidacy.blocks.filter(status=BlockStatus.EXEMPTED)
        .order_by("block__position")
        .values_list("block__code", flat=True)
    )


# Events only the certifier reads in the candidacy's trail (the jury reads them in its dossier): a
# deliberation reaches the candidate and the organisations when the minutes are signed, through the
# decision's own event.
CERTIFIER_ONLY_EVENTS = frozenset({"jury_deliberation"})


def candidacy_events_visible_to(user, candidacy: Candidacy) -> QuerySet[CandidacyEvent]:
    events = CandidacyEvent.objects.filter(candidacy=candidacy)
    if not actor_roles(user, candidacy) & {workflow.CERTIFIER, workflow.ADMIN}:
        events = events.exclude(name__in=CERTIFIER_ONLY_EVENTS)
    return events
