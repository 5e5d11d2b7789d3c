"""Who may edit which certification: the one rule, used by services and pages alike.

Certifier staff (a Membership with role certifier_staff) edit the certifications whose
certifiers include their certifier; platform administrators (superusers) edit them all.
"""

from django.db.models import Exists, OuterRef, QuerySet

from cqp.accounts.enums import Role

from .models import Certification, Certifier


def is_platform_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def certifiers_managed_by(user) -> QuerySet[Certifier]:
    """Certifiers whose catalogue the user manages."""
    if not (user and user.is_authenticated and user.is_active):
        return Certifier.objects.none()
    if user.is_superuser:
        return Certifier.objects.all()
    return Certifier.objects.filter(memberships__user=user, memberships__role=Role.CERTIFIER_STAFF).distinct()


def certifications_editable_by(user) -> QuerySet[Certification]:
    """Certifications the user may edit. Pages fetch through it, so a foreign one is a 404."""
    if not (user and user.is_authenticated and user.is_active):
        return Certification.objects.none()
    if user.is_superuser:
        return Certification.objects.all()
    staff_of = Certifier.objects.filter(memberships__user=user, memberships__role=Role.CERTIFIER_STAFF)
    through = Certification.certifiers.through.objects.filter(
        certification_id=OuterRef("pk"), certifier_id__in=staff_of.values("pk")
    )
    return Certification.objects.filter(Exists(through))


def can_edit_certification(user, certification: Certification) -> bool:
    return certifications_editable_by(user).filter(pk=certification.pk).exists()


def can_act_for_certifier(user, certifier: Certifier) -> bool:
    return certifiers_managed_by(user).filter(pk=certifier.pk).exists()
