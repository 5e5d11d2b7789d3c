"""Convocations to a jury session: an e-mail with the convocation as a PDF, to each member and candidate."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from .documents import render_convocation
from .models import AgendaItem, JurySession, SessionMember


def _send(*, to, context, pdf, filename) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("juries/email/convocation_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("juries/email/convocation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
        )
    message.attach(filename, pdf, "application/pdf")
    message.send()


@task()
def send_convocations(session_id: int, member_ids: list[int], item_ids: list[int]) -> int:
    session = JurySession.objects.select_related("jury__certifier").get(pk=session_id)
    sent = 0
    for attendance in SessionMember.objects.filter(pk__in=member_ids).select_related("member__user"):
        member = attendance.member
        if not member.user.email:
            continue
        context = {"session": session, "member": member, "site_url": settings.SITE_URL}
        pdf = render_convocation(session=session, member=member)
        _send(to=member.user.email, context=context, pdf=pdf, filename="convocation-jury.pdf")
        sent += 1
    for item in AgendaItem.objects.filter(pk__in=item_ids).select_related(
        "candidacy__candidate__user", "candidacy__certification"
    ):
        candidate = item.candidacy.candidate
        email = candidate.user.email if candidate.user_id else candidate.email
        if not email:
            continue
        context = {"session": session, "item": item, "site_url": settings.SITE_URL}
        pdf = render_convocation(session=session, item=item)
        _send(to=email, context=context, pdf=pdf, filename="convocation-jury.pdf")
        sent += 1
    return sent
