"""Reading the issued documents of awards for the pages: a document's state, a session's progress, the
platform's signing key, and the file responses. No writes here: issuing is cqp.credentials.services'."""

import io

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from cqp.awards.models import Award
from cqp.credentials import keys
from cqp.credentials.models import Credential

ISSUED, PENDING, REVOKED = "issued", "pending", "revoked"


def document_of(award):
    """The award's document, or None while it is being issued (no query when select_related("document"))."""
    try:
        return award.document
    except ObjectDoesNotExist:
        return None


def document_state(award) -> str:
    if award.revoked_at:
        return REVOKED
    return ISSUED if document_of(award) is not None else PENDING


def signing_problem() -> str:
    """What stops documents from being issued on this platform, in French; empty when a key is ready."""
    try:
        keys.signing_key()
    except ImproperlyConfigured as error:
        return str(error)
    return ""


def session_progress(session) -> dict:
    """Documents issued among the session's awards in force, and those still waiting, in one query."""
    awards = list(
        Award.objects.filter(deliberation__session=session, revoked_at=None)
        .select_related("candidacy__candidate", "document")
        .order_by("sequence", "pk")
    )
    pending = [award for award in awards if document_of(award) is None]
    total = len(awards)
    return {"issued": total - len(pending), "total": total, "pending": pending, "complete": not pending}


def pdf_response(award) -> FileResponse:
    document = document_of(award)
    if document is None or not document.file:
        raise Http404(_("Le document de cette délivrance n'est pas encore émis."))
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=f"{award.number}.pdf", content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def credential_response(award) -> FileResponse:
    """The signed credential byte for byte as kept: the holder's file any employer can check at /verify/."""
    signed = Credential.objects.filter(award=award).values_list("signed_json", flat=True).first()
    if signed is None:
        raise Http404(_("L'attestation numérique de cette délivrance n'est pas encore émise."))
    response = FileResponse(
        io.BytesIO(signed.encode("utf-8")),
        as_attachment=True,
        filename=f"{award.number}.json",
        content_type="application/json; charset=utf-8",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
