"""Public verification: skeleton, replaced by the real pages."""

from django.http import Http404


def _missing(request, **kwargs):
    raise Http404


verify_upload = verify_award = credential_json = document_pdf = did_document = status_list = _missing
