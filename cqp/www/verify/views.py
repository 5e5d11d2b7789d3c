"""Public verification, without an account: an award's page, its signed credential and PDF, a form that
checks any credential file, the issuer's DID document and the status lists.

They only read, so they run outside ATOMIC_REQUESTS (see cqp/www/catalogue/views.py). Every response says
noindex: holders' names must not end up in search engines."""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import transaction
from django.http import FileResponse, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from cqp.credentials import keys
from cqp.credentials.verification import State, verify_credential

from . import selectors
from .forms import BoundedUploadHandler, VerifyForm, too_large_message

ROBOTS = "noindex, nofollow"
# The signed text as issued. application/vc+ld+json is the VC media type, but browsers download rather than
# show it and some validators refuse it: plain JSON serves both.
JSON_TYPE = "application/json; charset=utf-8"
PUBLIC_CACHE = "public, max-age=300"


def _noindex(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = ROBOTS
        return response

    return wrapped


RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate_parts(rate: str) -> tuple[int, int]:
    """(count, seconds) of a django-ratelimit rate such as "60/m" or "10/5m"."""
    count, multiple, unit = RATE.match(rate.strip()).groups()
    return int(count), int(multiple or 1) * PERIODS[unit]


def _page_rate(group, request):
    return settings.CQP_VERIFY_RATE


def _post_rate(group, request):
    # Each check canonicalises a JSON-LD document (milliseconds of CPU): submissions get a third of the pages'
    # allowance, enough for a recruiter checking a few files, not for using the platform as a free validator.
    count, seconds = _rate_parts(settings.CQP_VERIFY_RATE)
    return max(1, count // 3), seconds


def _wants_json(request) -> bool:
    return request.content_type == "application/json"


def _rate_limited(*, group, rate, method=ALL):
    """Per client address: REMOTE_ADDR, unless settings.RATELIMIT_IP_META_KEY names where a trusted proxy puts
    it (X-Forwarded-For can be forged by anyone when no proxy overwrites it)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if is_ratelimited(request, group=group, key="ip", rate=rate, method=method, increment=True):
                limit = rate(group, request)
                return _too_many(request, (limit if isinstance(limit, tuple) else _rate_parts(limit))[1])
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _too_many(request, retry_after: int):
    message = _("Trop de vérifications depuis votre adresse, réessayez dans une minute.")
    if _wants_json(request):
        response = JsonResponse({"state": "rate_limited", "problems": [message], "codes": ["rate_limited"]}, status=429)
    else:
        response = render(request, "www/verify/too_many.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _not_found(request):
    return render(request, "www/verify/not_found.html", status=404)


page_limit = _rate_limited(group="www.verify", rate=_page_rate)


@transaction.non_atomic_requests
@_noindex
@require_safe
@page_limit
def verify_award(request, uuid):
    award = selectors.award_for_verification(uuid=uuid)
    if award is None:
        return _not_found(request)
    credential = getattr(award, "credential", None)
    document = getattr(award, "document", None)
    return render(
        request,
        "www/verify/award.html",
        {
            "award": award,
            "blocks": list(award.blocks.all()),
            "issued": credential is not None,
            "document": document,
        },
    )


@transaction.non_atomic_requests
@_noindex
@require_safe
@page_limit
def credential_json(request, uuid):
    credential = selectors.credential_for_download(uuid=uuid)
    if credential is None:
        return _not_found(request)
    response = HttpResponse(credential.signed_json.encode("utf-8"), content_type=JSON_TYPE)
    response["Content-Disposition"] = f'inline; filename="{credential.award.number}.credential.json"'
    return response


@transaction.non_atomic_requests
@_noindex
@require_safe
@page_limit
def document_pdf(request, uuid):
    document = selectors.document_for_download(uuid=uuid)
    if document is None:
        return _not_found(request)
    if document.award.revoked_at:
        return render(request, "www/verify/gone.html", {"award": document.award}, status=410)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        return _not_found(request)
    return FileResponse(
        handle, content_type="application/pdf", as_attachment=False, filename=f"{document.award.number}.pdf"
    )


def _report_json(report, status=200):
    data = {
        "state": report.state,
        "problems": report.problems,
        "codes": report.codes,
        "notes": report.notes,
        # What the document says; guaranteed only when the state is valid or revoked.
        "claims": {
            "holder": report.holder,
            "title": report.title,
            "code": report.human_code,
            "issuer": report.issuer_name,
            "valid_from": report.valid_from.isoformat() if report.valid_from else None,
        },
        "revoked_at": report.revoked_at.isoformat() if report.revoked_at else None,
    }
    if report.award is not None:
        data["verification_url"] = reverse("www:verify_award", kwargs={"uuid": report.award.uuid})
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _verify_json_body(request):
    """API use: the credential as the request body. At most limit + 1 bytes are read."""
    limit = settings.CQP_VERIFY_UPLOAD_MAX_BYTES
    raw = request.read(limit + 1)
    if len(raw) > limit:
        message = too_large_message(limit)
        return JsonResponse(
            {"state": State.MALFORMED, "problems": [message], "codes": ["too_large"], "notes": []},
            status=413,
            json_dumps_params={"ensure_ascii": False},
        )
    return _report_json(verify_credential(raw))


def _upload_page(request, form, report=None, status=200, refusal=""):
    context = {"form": form, "report": report, "States": State, "refusal": refusal}
    return render(request, "www/verify/upload.html", context, status=status)


@csrf_protect
def _verify_form(request, handler):
    limit = settings.CQP_VERIFY_UPLOAD_MAX_BYTES
    form = VerifyForm(request.POST, request.FILES, limit=limit, too_large=handler.too_large)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    return _upload_page(request, VerifyForm(limit=limit), verify_credential(form.raw()))


def _form_refused(request, message):
    return _upload_page(request, VerifyForm(limit=settings.CQP_VERIFY_UPLOAD_MAX_BYTES), status=400, refusal=message)


@transaction.non_atomic_requests
@_noindex
@csrf_exempt  # checked below for the form, after the upload handler is set (Django's documented order)
@require_http_methods(["GET", "HEAD", "POST"])
@page_limit
@_rate_limited(group="www.verify.post", rate=_post_rate, method="POST")
def verify_upload(request):
    limit = settings.CQP_VERIFY_UPLOAD_MAX_BYTES
    if request.method != "POST":
        return _upload_page(request, VerifyForm(limit=limit))
    if _wants_json(request):
        # No CSRF token for API clients: the check writes nothing and depends on no session.
        return _verify_json_body(request)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > 2 * limit + 64 * 1024:
        # Refused before reading: a file and a pasted text within the limit, plus the form's envelope.
        return _form_refused(request, too_large_message(limit))
    handler = BoundedUploadHandler(request, limit)
    request.upload_handlers = [handler]
    try:
        request.POST  # noqa: B018 - parse now, where the errors of a hostile body can be answered
    except RequestDataTooBig:
        return _form_refused(request, too_large_message(limit))
    except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent, UnreadablePostError):
        return _form_refused(request, _("L'envoi est illisible : choisissez à nouveau le fichier."))
    return _verify_form(request, handler)


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@transaction.non_atomic_requests
@_noindex
@require_safe
def did_document(request):
    # did:web resolvers ask for application/did+json (or anything); a client asking for JSON only gets JSON.
    accept = request.headers.get("Accept", "")
    plain = "application/json" in accept and "application/did+json" not in accept
    content_type = "application/json" if plain else "application/did+json"
    response = JsonResponse(keys.did_document(), content_type=content_type)
    patch_vary_headers(response, ["Accept"])
    return _cors(response)


# Status lists are fetched by wallets and verifiers everywhere, often at once after a revocation: cached
# publicly, conditional, and not rate limited (they name nobody).
@transaction.non_atomic_requests
@_noindex
@require_safe
def status_list(request, number):
    row = selectors.published_status_list(number=number)
    if row is None:
        return _not_found(request)
    body = row.signed_json.encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest() + '"'
    last_modified = row.updated_at.timestamp()
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    response = conditional or HttpResponse(body, content_type=JSON_TYPE)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return _cors(response)


__all__ = ["credential_json", "did_document", "document_pdf", "status_list", "verify_award", "verify_upload"]
