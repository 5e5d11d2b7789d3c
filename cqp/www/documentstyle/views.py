"""The certifier staff's page to restyle their certificates and block attestations, with a live preview.

Thin views: the certifier comes from the user's staff memberships (anything else is a 404), the form checks
the fields, one service saves and audits. The preview renders the edited style without saving it: the HTML
for the iframe (a standalone page, or an iframe with `srcdoc` for htmx), or a PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from cqp.candidacies.selectors import staff_certifier_ids
from cqp.catalogue.models import Certifier
from cqp.credentials import documents
from cqp.credentials.forms import DocumentStyleForm, PreviewChoiceForm

# The preview shows the certifier's own CSS: nothing in it may load a script or a remote resource.
PREVIEW_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
CERTIFIER_PARAM = "certificateur"


def _certifiers(request):
    ids = staff_certifier_ids(request.user)
    if not ids:
        raise Http404(_("Cette page est réservée au personnel d'un certificateur."))
    return list(Certifier.objects.filter(pk__in=ids).order_by("name"))


def _chosen(request, certifiers):
    """The certifier named in the query string, the only one, or None when the user must choose."""
    selected = request.GET.get(CERTIFIER_PARAM, "")
    if selected:
        chosen = next((c for c in certifiers if str(c.pk) == selected), None)
        if chosen is None:
            raise Http404(_("Certificateur inconnu."))
        return chosen
    return certifiers[0] if len(certifiers) == 1 else None


def _certifier_or_404(request):
    certifier = _chosen(request, _certifiers(request))
    if certifier is None:
        raise Http404(_("Choisissez le certificateur."))
    return certifier


def _url(name, certifier, **params):
    query = "&".join(f"{key}={value}" for key, value in {CERTIFIER_PARAM: certifier.pk, **params}.items())
    return f"{reverse(f'www:{name}')}?{query}"


def _edited_style(request, certifier):
    """The saved style, with the posted fields that are valid laid over it (nothing saved; images as saved)."""
    style = documents.document_style_for(certifier)
    if request.method == "POST":
        saved = {name: getattr(style, name) for name in DocumentStyleForm.Meta.fields}
        form = DocumentStyleForm(request.POST, instance=style)
        if not form.is_valid():
            # Model validators (colours) run on the instance: put back what they refused.
            for name in form.errors:
                if name in saved:
                    setattr(style, name, saved[name])
    return style


@login_required
@require_http_methods(["GET", "POST"])
def document_style(request):
    certifiers = _certifiers(request)
    certifier = _chosen(request, certifiers)
    if certifier is None:
        return render(request, "www/documentstyle/choose.html", {"certifiers": certifiers})
    style = documents.document_style_for(certifier)
    posted = request.method == "POST"
    form = DocumentStyleForm(request.POST if posted else None, request.FILES if posted else None, instance=style)
    if posted and form.is_valid():
        try:
            documents.document_style_save(certifier=certifier, by=request.user, changes=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Présentation enregistrée : les documents émis désormais l'utilisent."))
            return redirect(_url("document_style", certifier))
    return render(
        request,
        "www/documentstyle/style.html",
        {
            "certifier": certifier,
            "several": len(certifiers) > 1,
            "form": form,
            "choice": PreviewChoiceForm(initial={"document": documents.CERTIFICATE}),
            "page_url": _url("document_style", certifier),
            "preview_url": _url("document_style_preview", certifier),
            "initial_preview_url": _url("document_style_preview", certifier, document=documents.CERTIFICATE),
            "pdf_urls": [
                (_("Télécharger un aperçu PDF du parchemin"), _url("document_style_preview_pdf", certifier)),
                (
                    _("Télécharger un aperçu PDF de l'attestation de blocs"),
                    _url("document_style_preview_pdf", certifier, document=documents.ATTESTATION),
                ),
            ],
            "pdf_post_url": _url("document_style_preview_pdf", certifier),
        },
    )


@login_required
@xframe_options_sameorigin
@require_http_methods(["GET", "POST"])
def document_style_preview(request):
    certifier = _certifier_or_404(request)
    style = _edited_style(request, certifier)
    kind = PreviewChoiceForm(request.POST if request.method == "POST" else request.GET).kind()
    html = documents.render_preview_html(style=style, certifier=certifier, kind=kind)
    if request.htmx:
        return render(request, "www/documentstyle/_preview_frame.html", {"html": html})
    response = HttpResponse(html)
    response["Content-Security-Policy"] = PREVIEW_CSP
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_style_preview_pdf(request):
    certifier = _certifier_or_404(request)
    style = _edited_style(request, certifier)
    kind = PreviewChoiceForm(request.POST if request.method == "POST" else request.GET).kind()
    pdf = documents.render_preview_pdf(style=style, certifier=certifier, kind=kind)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = "apercu-parchemin.pdf" if kind == documents.CERTIFICATE else "apercu-attestation.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
