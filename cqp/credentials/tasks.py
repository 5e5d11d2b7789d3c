"""Background work of the credentials: one task per award, safe to run twice or after a crash."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

log = logging.getLogger(__name__)


@task()
def issue_award_documents(award_id: int) -> str:
    from django.core.exceptions import ImproperlyConfigured

    from .services import award_documents_issue

    try:
        document = award_documents_issue(award_id=award_id)
    except ImproperlyConfigured as error:
        # No signing key yet: the award waits, listed as pending, until the key is created and it is queued again.
        log.warning("award %s: documents not issued: %s", award_id, error)
        return ""
    return document.file.name if document else ""


@task()
def send_document_email(document_id: int) -> bool:
    """Tell the holder once that their document is ready, with the PDF attached and the verification link."""
    from .models import AwardDocument
    from .openbadges import verification_url

    document = AwardDocument.objects.select_related("award__candidacy__candidate", "award__certification").get(
        pk=document_id
    )
    candidate = document.award.candidacy.candidate
    if document.notified_at or not candidate.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "award": document.award,
            "candidate": candidate,
            "verification_url": verification_url(document.award),
        }
        message = EmailMessage(
            subject=render_to_string("credentials/email/document_subject.txt", context).strip(),
            body=render_to_string("credentials/email/document_body.txt", context),
            to=[candidate.email],
        )
    with document.file.open("rb") as handle:
        message.attach(f"{document.award.number}.pdf", handle.read(), "application/pdf")
    message.send()
    type(document).objects.filter(pk=document.pk).update(notified_at=timezone.now())
    return True
