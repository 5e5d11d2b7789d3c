"""Demo certificates and attestations: the issuer key, a document style per certifier with drawn
signatures, and the documents of every demo award issued at once (no worker needed to look at them)."""

import io
import math

from django.core.files.base import ContentFile
from django.utils import timezone

from cqp.awards.enums import AwardKind
from cqp.awards.models import Award
from cqp.credentials import keys, services
from cqp.credentials.models import AwardDocument, DocumentStyle
from cqp.juries.enums import MemberRole
from cqp.juries.models import JuryMember


def _signature_png(seed: int) -> bytes:
    """A pen-like stroke: clearly a demonstration signature, never a real one."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [
        (20 + x * 3.2, 60 + 28 * math.sin(x / (5 + seed)) * math.cos(x / (11 + seed)) - x * 0.1) for x in range(100)
    ]
    draw.line(points, fill=(20, 30, 90, 255), width=4, joint="curve")
    draw.line([(40, 95), (320, 88)], fill=(20, 30, 90, 255), width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _style(certifier) -> DocumentStyle:
    style, created = DocumentStyle.objects.get_or_create(certifier=certifier)
    if not created:
        return style
    members = JuryMember.objects.filter(jury__certifier=certifier).select_related("user")
    for role, name_field, image_field, seed in (
        (MemberRole.PRESIDENT, "president_name", "president_signature", 3),
        (MemberRole.VICE_PRESIDENT, "vice_president_name", "vice_president_signature", 7),
    ):
        member = members.filter(role=role).first()
        if member is None:
            continue
        setattr(style, name_field, member.user.get_full_name() or member.user.email)
        getattr(style, image_field).save(f"{image_field}.png", ContentFile(_signature_png(seed)), save=False)
    style.footer = "Document de démonstration : ce certificat n'a aucune valeur."
    style.save()
    return style


def load_credentials() -> dict:
    keys.ensure_key()
    for award in Award.objects.select_related("certifier").order_by("pk"):
        _style(award.certifier)
    issued = 0
    for award_id in Award.objects.filter(revoked_at=None, document__isnull=True).values_list("pk", flat=True):
        services.award_documents_issue(award_id=award_id)
        issued += 1
    # The demo's addresses are fictitious: its holders are taken as told.
    AwardDocument.objects.filter(notified_at=None).update(notified_at=timezone.now())
    return {"issued": issued, "holder": holder_account()}


def holder_account():
    """The holder of the first demo certificate signs in with the demo password, to see their documents."""
    from .content import PASSWORD

    award = (
        Award.objects.filter(kind=AwardKind.CERTIFICATE, revoked_at=None, candidacy__candidate__user__isnull=False)
        .select_related("candidacy__candidate__user")
        .order_by("pk")
        .first()
    )
    if award is None:
        return None
    user = award.candidacy.candidate.user
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    return user


def summary() -> str:
    count = AwardDocument.objects.count()
    holder = holder_account()
    text = f"Documents : {count} parchemins et attestations émis, signés (Open Badges 3.0) et vérifiables sur /verify/."
    if holder is not None:
        text += f"\nTitulaire d'un certificat (ses documents dans son espace) : {holder.email}"
    return text
