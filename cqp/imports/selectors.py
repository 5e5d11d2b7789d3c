"""Who may import, for whom, and which batches they see."""

from cqp.accounts.enums import OrganisationKind, Role
from cqp.accounts.models import Organisation
from cqp.candidacies.selectors import staff_certifier_ids

from .models import BatchScope, ImportBatch
from .validation import Scope


def employer_organisations(user):
    return Organisation.objects.filter(
        kind=OrganisationKind.EMPLOYER, memberships__user=user, memberships__role=Role.EMPLOYER
    ).distinct()


def import_scope(user, *, employer_id=None) -> Scope | None:
    """Certifier staff import for their certifiers; else an employer for one of its organisations; else None."""
    if not (user.is_authenticated and user.is_active):
        return None
    certifiers = set(staff_certifier_ids(user))
    if certifiers:
        return Scope(kind=BatchScope.CERTIFIER, certifier_ids=certifiers)
    employers = list(employer_organisations(user))
    if not employers:
        return None
    chosen = next((e for e in employers if str(e.pk) == str(employer_id)), employers[0])
    return Scope(kind=BatchScope.EMPLOYER, employer=chosen)


def batches_visible_to(user):
    return ImportBatch.objects.filter(created_by=user)
