"""Who sees which awards."""

from django.db.models import Q, QuerySet

from cqp.candidacies.selectors import staff_certifier_ids

from .models import Award


def awards_visible_to(user) -> QuerySet[Award]:
    """Certifier staff: their certifier's awards. A candidate: their own. Platform administrators: all."""
    if not (user and user.is_authenticated and user.is_active):
        return Award.objects.none()
    if user.is_superuser:
        return Award.objects.all()
    return Award.objects.filter(Q(certifier_id__in=staff_certifier_ids(user)) | Q(candidacy__candidate__user=user))


def awards_delivered_by(user) -> QuerySet[Award]:
    """The register of the certifiers whose staff the user is (every award for an administrator)."""
    if not (user and user.is_authenticated and user.is_active):
        return Award.objects.none()
    if user.is_superuser:
        return Award.objects.all()
    return Award.objects.filter(certifier_id__in=staff_certifier_ids(user))
