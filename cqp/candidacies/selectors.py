"""Who sees which candidacy: written once, used by pages and API alike."""

from django.db.models import Q, QuerySet

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership

from . import workflow
from .models import Candidacy

# Membership role → the candidacy field naming the organisation it acts for.
ORGANISATION_FIELD = {Role.EMPLOYER: "employer", Role.TRAINING_ORG: "training_org", Role.ASSESSOR: "assessment_centre"}


def _memberships(user):
    if not hasattr(user, "_cqp_memberships"):
        user._cqp_memberships = list(
            Membership.objects.filter(user=user).values_list("role", "certifier_id", "organisation_id")
        )
    return user._cqp_memberships


def candidacies_visible_to(user) -> QuerySet[Candidacy]:
    """Candidate: their own. Employer, training organisation, assessment centre: those assigned to their
    organisation. Certifier staff: those of their certifier. Platform administrators: all."""
    if not (user and user.is_authenticated and user.is_active):
        return Candidacy.objects.none()
    if user.is_superuser:
        return Candidacy.objects.all()
    condition = Q(candidate__user=user)
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
    if candidacy.candidate.user_id == user.pk:
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
