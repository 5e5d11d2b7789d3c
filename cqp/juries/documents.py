"""PDF documents of the jury, rendered by WeasyPrint from templates a certifier can restyle."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import selectors
from .models import AgendaItem


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango, which only PDF work needs

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def minutes_context(*, session, minutes=None) -> dict:
    attendance = selectors.session_attendance(session)
    items = selectors.agenda_rows(session)
    return {
        "session": session,
        "jury": session.jury,
        "certifier": session.jury.certifier,
        "present": [a for a in attendance if a.present],
        "absent": [a for a in attendance if not a.present],
        "deliberated": [item for item in items if item.deliberation is not None],
        "postponed": [item for item in items if item.deliberation is None],
        "minutes": minutes,
        "final": bool(minutes and minutes.president_signed_at and minutes.vice_president_signed_at),
        "generated_at": timezone.now(),
    }


def render_minutes(*, session, minutes=None) -> bytes:
    """The procès-verbal: the draft before signatures, the final one with both signatures."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("juries/pdf/minutes.html", minutes_context(session=session, minutes=minutes))
    return html_to_pdf(html)


def render_convocation(*, session, member=None, item: AgendaItem | None = None) -> bytes:
    """The convocation of a member, or of a candidate (the agenda item), as a PDF."""
    context = {
        "session": session,
        "jury": session.jury,
        "certifier": session.jury.certifier,
        "member": member,
        "item": item,
    }
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("juries/pdf/convocation.html", context)
    return html_to_pdf(html)
