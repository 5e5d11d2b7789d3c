"""E-mails that tell each person concerned what happened to a candidacy.

Sent through the tasks queue after the transaction commits, in French with a plain-text part.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership

from . import workflow
from .models import CandidacyEvent


def recipients(candidacy, roles) -> list[str]:
    """E-mail addresses of the people in these roles for this candidacy."""
    emails = set()
    if workflow.CANDIDATE in roles:
        email = candidacy.candidate.user.email if candidacy.candidate.user_id else candidacy.candidate.email
        if email:
            emails.add(email)
    memberships = Membership.objects.none()
    if workflow.CERTIFIER in roles:
        memberships |= Membership.objects.filter(role=Role.CERTIFIER_STAFF, certifier_id=candidacy.certifier_id)
    for role, field in (
        (workflow.EMPLOYER, "employer_id"),
        (workflow.TRAINING_ORG, "training_org_id"),
        (workflow.ASSESSOR, "assessment_centre_id"),
    ):
        if role in roles and getattr(candidacy, field):
            memberships |= Membership.objects.filter(role=role, organisation_id=getattr(candidacy, field))
    emails.update(memberships.filter(user__is_active=True).values_list("user__email", flat=True))
    return sorted(emails)


@task()
def send_event_email(event_id: int) -> int:
    event = CandidacyEvent.objects.select_related("candidacy__candidate__user", "candidacy__certification").get(
        pk=event_id
    )
    transition = workflow.TRANSITIONS.get(event.name)
    if transition is None:
        return 0
    to = recipients(event.candidacy, set(transition.notify))
    if not to:
        return 0
    context = {"event": event, "candidacy": event.candidacy, "transition": transition, "site_url": settings.SITE_URL}
    # In the platform's language, whatever the language of the request that queued it.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("candidacies/email/event_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("candidacies/email/event.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=to,
        )
        message.attach_alternative(render_to_string("candidacies/email/event.html", context), "text/html")
    message.send()
    return len(to)


def notify_event(*, event_id: int) -> None:
    send_event_email.enqueue(event_id)


# Events that are not transitions but still tell people something; `data["notify"]` names the roles.
NOTICE_HEADLINES = {
    "assign": _("Organismes désignés"),
    "message": _("Nouveau message"),
    "reminder": _("Candidature en attente"),
    "jury_refusal_notice": _("Décision du jury : refus"),
}


@task()
def send_notice_email(event_id: int) -> int:
    event = CandidacyEvent.objects.select_related(
        "by", "candidacy__candidate__user", "candidacy__certification", "candidacy__training_org"
    ).get(pk=event_id)
    if event.name not in NOTICE_HEADLINES:
        return 0
    author = event.by.email if event.by_id and event.name == "message" else None
    to = [email for email in recipients(event.candidacy, set(event.data.get("notify", ()))) if email != author]
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "event": event,
            "candidacy": event.candidacy,
            "headline": NOTICE_HEADLINES[event.name],
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("candidacies/email/notice_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("candidacies/email/notice.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=to,
        )
        message.attach_alternative(render_to_string("candidacies/email/notice.html", context), "text/html")
    message.send()
    return len(to)


def notify_notice(*, event_id: int) -> None:
    send_notice_email.enqueue(event_id)
