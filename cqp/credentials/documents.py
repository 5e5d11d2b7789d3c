"""The certificate (parchemin) and the block attestation of an award as PDF, drawn by WeasyPrint from the
certifier's DocumentStyle.

A PARTIAL opinion gives ONE attestation listing every validated block, not one page per block: the jury's
decision is one act, with one number and one credential, and an employer reads one page.

Nothing leaves the machine while drawing: the URL fetcher serves `data:` URLs and files under MEDIA_ROOT or
the project's static folder, and refuses everything else, whatever the certifier's extra CSS asks for. Images
(logo, signatures, QR code) go in as data URIs, so the browser preview and the PDF are the same HTML.

Speed: the base stylesheet is compiled once per process, the font configuration is shared, and the page
is plain HTML with installed fonts (DejaVu), so a document takes a few tens of milliseconds."""

import base64
import functools
import mimetypes
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqp.awards.enums import AwardKind
from cqp.candidacies.selectors import staff_certifier_ids
from cqp.core.models import AuditEvent

from . import openbadges
from .models import COLOUR, DocumentStyle

CERTIFICATE = "certificate"
ATTESTATION = "attestation"
KINDS = (CERTIFICATE, ATTESTATION)
TEMPLATES = {CERTIFICATE: "credentials/pdf/certificate.html", ATTESTATION: "credentials/pdf/attestation.html"}
BASE_CSS_TEMPLATE = "credentials/pdf/document.css"
SAMPLE_UUID = uuid.UUID(int=0)
_COLOUR_RE = re.compile(COLOUR.regex.pattern)


# --- Fetching: local files and data URLs only --------------------------------------------------------


def _allowed_roots() -> list[Path]:
    # Read on each call: tests move MEDIA_ROOT.
    roots = [Path(settings.MEDIA_ROOT), *(Path(p) for p in settings.STATICFILES_DIRS)]
    return [root.resolve() for root in roots]


def local_url_fetcher():
    """A WeasyPrint fetcher that serves `data:` URLs and files under MEDIA_ROOT or the static folder; any
    other URL (http, https, ftp, a file elsewhere) is refused, which WeasyPrint logs and skips."""
    from weasyprint.urls import URLFetcher  # imported late: it loads Pango, which only PDF work needs

    class LocalURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in _allowed_roots()):
                    return super().fetch(url, headers)
            raise ValueError(f"Ressource refusée (seuls les fichiers locaux sont lus) : {url[:200]}")

    return LocalURLFetcher(timeout=1)


@functools.lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.lru_cache(maxsize=1)
def _base_css_text() -> str:
    return render_to_string(BASE_CSS_TEMPLATE)


@functools.lru_cache(maxsize=1)
def _base_css():
    """The compiled base stylesheet, kept for the life of the process."""
    from weasyprint import CSS

    return CSS(string=_base_css_text(), font_config=_font_config(), url_fetcher=local_url_fetcher())


# --- What a document says -------------------------------------------------------------------------------


@dataclass
class DocumentData:
    """The facts a document prints, from an award or made up for the preview."""

    kind: str
    number: str
    holder_first_name: str
    holder_last_name: str
    certification_code: str
    certification_title: str
    registry: str
    decision_date: date | None
    level: int | None
    delivered_on: date
    verification_url: str
    nsf: list[tuple[str, str]] = field(default_factory=list)
    blocks: list[tuple[str, str]] = field(default_factory=list)


def _award_data(award) -> DocumentData:
    certification = award.certification
    candidate = award.candidacy.candidate
    blocks = sorted(award.blocks.all(), key=lambda block: (block.position, block.code))
    return DocumentData(
        kind=CERTIFICATE if award.kind == AwardKind.CERTIFICATE else ATTESTATION,
        number=award.number,
        holder_first_name=candidate.first_name,
        holder_last_name=candidate.last_name,
        certification_code=certification.code,
        certification_title=certification.title,
        registry=certification.registry,
        decision_date=certification.decision_date,
        level=certification.level,
        delivered_on=award.delivered_on,
        verification_url=openbadges.verification_url(award),
        nsf=[(n.code, n.label) for n in certification.nsf.all()],
        blocks=[(block.code, block.title) for block in blocks],
    )


def _sample_data(*, certifier, kind: str) -> DocumentData:
    """A made-up holder with a real certification of the certifier (one with blocks first), else a sample."""
    certification = (
        certifier.certifications.filter(active=True, blocks__isnull=False)
        .distinct()
        .order_by("title", "code")
        .prefetch_related("nsf", "blocks")
        .first()
        if certifier.pk
        else None
    )
    today = timezone.localdate()
    number = f"{certifier.siret or '00000000000000'}-{today.year}-1"
    url = openbadges.site_url(reverse("www:verify_award", kwargs={"uuid": SAMPLE_UUID}))
    if certification is None:
        return DocumentData(
            kind=kind,
            number=number,
            holder_first_name="Camille",
            holder_last_name="Exemple",
            certification_code="RNCP00000",
            certification_title="Opérateur ou opératrice de production (exemple)",
            registry="RNCP",
            decision_date=date(today.year, 1, 15),
            level=3,
            delivered_on=today,
            verification_url=url,
            nsf=[("200", "Technologies industrielles fondamentales")],
            blocks=[
                ("RNCP00000BC01", "Préparer et organiser son poste de travail"),
                ("RNCP00000BC02", "Conduire une production en respectant les règles de sécurité"),
            ],
        )
    blocks = sorted(certification.blocks.all(), key=lambda block: (block.position, block.code))
    return DocumentData(
        kind=kind,
        number=number,
        holder_first_name="Camille",
        holder_last_name="Exemple",
        certification_code=certification.code,
        certification_title=certification.title,
        registry=certification.registry,
        decision_date=certification.decision_date,
        level=certification.level,
        delivered_on=today,
        verification_url=url,
        nsf=[(n.code, n.label) for n in certification.nsf.all()],
        blocks=[(block.code, block.title) for block in blocks],
    )


def _image_src(image) -> str:
    """A stored image as a data URI (nothing to fetch), or '' when none or unreadable."""
    if not image:
        return ""
    try:
        with image.storage.open(image.name, "rb") as handle:
            content = handle.read()
    except OSError:
        return ""
    mime = mimetypes.guess_type(image.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def _qr_src(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#000000")


def _colour(value: str, default: str) -> str:
    return value if value and _COLOUR_RE.match(value) else default


def _css_text(css: str) -> str:
    """CSS safe inside a <style> element: `</` cannot close it (`<\\/` means the same in CSS)."""
    return (css or "").replace("</", "<\\/")


def document_context(*, data: DocumentData, style: DocumentStyle, certifier, reissued_at=None, inline_css=False):
    """What the templates print. `inline_css` puts the base stylesheet in the page (browser preview); the
    PDF gets the compiled one instead."""
    return {
        "doc": data,
        "style": style,
        "certifier": certifier,
        "primary_colour": _colour(style.primary_colour, "#1f3a93"),
        "accent_colour": _colour(style.accent_colour, "#b8860b"),
        "extra_css": _css_text(style.extra_css),
        "base_css": _css_text(_base_css_text()) if inline_css else "",
        "logo_src": _image_src(style.logo),
        "president_signature_src": _image_src(style.president_signature),
        "vice_president_signature_src": _image_src(style.vice_president_signature),
        "qr_src": _qr_src(data.verification_url),
        "reissued_at": reissued_at,
        "holder_last_name_upper": data.holder_last_name.upper(),
    }


def _style_of(certifier) -> DocumentStyle:
    style = DocumentStyle.objects.filter(certifier_id=certifier.pk).first() if certifier.pk else None
    return style or DocumentStyle(certifier=certifier)


def _html(context: dict, kind: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(TEMPLATES[kind], context)


def _pdf(html: str, *, attachments=None) -> bytes:
    from weasyprint import HTML

    fetcher = local_url_fetcher()
    return HTML(string=html, base_url=str(settings.MEDIA_ROOT), url_fetcher=fetcher).write_pdf(
        stylesheets=[_base_css()], font_config=_font_config(), attachments=attachments or []
    )


def award_html(*, award, reissued_at=None, style=None) -> str:
    """The award's document as HTML (what the PDF is drawn from)."""
    style = style or _style_of(award.certifier)
    data = _award_data(award)
    context = document_context(data=data, style=style, certifier=award.certifier, reissued_at=reissued_at)
    return _html(context, data.kind)


def render_award_pdf(*, award, credential_json: str, reissued_at=None, style=None) -> bytes:
    """The certificate or block attestation of an award, with its signed credential attached as
    `<number>.credential.json`. `reissued_at` marks a duplicate; `style` defaults to the certifier's."""
    from weasyprint import Attachment

    html = award_html(award=award, reissued_at=reissued_at, style=style)
    attachment = Attachment(
        string=credential_json.encode(),
        name=f"{award.number}.credential.json",
        description="Attestation vérifiable Open Badges 3.0, signée",
        url_fetcher=local_url_fetcher(),
        relationship="Data",
    )
    return _pdf(html, attachments=[attachment])


def render_preview_html(*, style, certifier, kind: str) -> str:
    """The document with a made-up holder, as a standalone HTML page for the live preview."""
    data = _sample_data(certifier=certifier, kind=kind if kind in KINDS else CERTIFICATE)
    context = document_context(data=data, style=style, certifier=certifier, inline_css=True)
    context["preview"] = True
    return _html(context, data.kind)


def render_preview_pdf(*, style, certifier, kind: str) -> bytes:
    data = _sample_data(certifier=certifier, kind=kind if kind in KINDS else CERTIFICATE)
    context = document_context(data=data, style=style, certifier=certifier)
    context["preview"] = True
    return _pdf(_html(context, data.kind))


# --- Saving the style -----------------------------------------------------------------------------------

STYLE_FIELDS = (
    "logo",
    "primary_colour",
    "accent_colour",
    "certificate_heading",
    "certificate_wording",
    "attestation_heading",
    "attestation_wording",
    "footer",
    "delivery_place",
    "president_name",
    "president_signature",
    "vice_president_name",
    "vice_president_signature",
    "extra_css",
)
IMAGE_STYLE_FIELDS = ("logo", "president_signature", "vice_president_signature")


def document_style_for(certifier) -> DocumentStyle:
    """The certifier's saved style, or an unsaved one with the default wording."""
    return _style_of(certifier)


def _snapshot(style: DocumentStyle) -> dict:
    return {name: str(getattr(style, name) or "") for name in STYLE_FIELDS}


def document_style_save(*, certifier, by, changes: dict) -> DocumentStyle:
    """Apply a form's cleaned data (uploads, cleared images included) to the certifier's style, for its staff
    only; documents issued later use it. Writes an AuditEvent with the fields that changed."""
    if certifier.pk not in staff_certifier_ids(by):
        raise PermissionDenied(_("Seul le personnel du certificateur modifie la présentation de ses documents."))
    with transaction.atomic():
        style = DocumentStyle.objects.select_for_update().filter(certifier=certifier).first()
        created = style is None
        style = style or DocumentStyle(certifier=certifier)
        before = _snapshot(style)
        for name, value in changes.items():
            if name in STYLE_FIELDS:
                DocumentStyle._meta.get_field(name).save_form_data(style, value)
        style.full_clean(exclude=["certifier", *IMAGE_STYLE_FIELDS])
        style.updated_by = by
        style.save()
        after = _snapshot(style)
        changed = [name for name in STYLE_FIELDS if before[name] != after[name]]
        AuditEvent.objects.create(
            actor=by,
            action="document_style_create" if created else "document_style_update",
            object_type="credentials.documentstyle",
            object_id=str(style.pk),
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return style
