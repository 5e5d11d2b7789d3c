"""The certifier staff's page to restyle certificates and attestations: who reaches it, saving, the preview."""

import io
import os
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cqp.accounts.enums import Role
from cqp.core.models import AuditEvent
from cqp.credentials.models import DocumentStyle
from tests.candidacies.factories import CandidateFactory, OrganisationFactory, UserFactory, certifier_staff, member
from tests.catalogue.factories import CertifierFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("www:document_style")
PREVIEW = reverse("www:document_style_preview")
PREVIEW_PDF = reverse("www:document_style_preview_pdf")


def _png(size=(40, 20), *, noise=False, fmt="PNG", name="signature.png"):
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGBA" if fmt == "PNG" else "RGB", size, (20, 40, 120))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def certifier():
    return CertifierFactory(name="CPNE de la plasturgie")


@pytest.fixture
def staff(client, certifier):
    user = certifier_staff(certifier)
    client.force_login(user)
    return user


def _data(**changes):
    data = {
        "primary_colour": "#1f3a93",
        "accent_colour": "#b8860b",
        "certificate_heading": "Certificat de qualification professionnelle",
        "certificate_wording": "Vu l'avis du jury paritaire, la CPNE délivre à",
        "attestation_heading": "Attestation de validation de blocs de compétences",
        "attestation_wording": "Vu l'avis du jury paritaire, la CPNE atteste que",
        "footer": "",
        "delivery_place": "Paris",
        "president_name": "",
        "vice_president_name": "",
        "extra_css": "",
    }
    data.update(changes)
    return data


def _url(base, certifier, **params):
    query = "&".join(f"{k}={v}" for k, v in {"certificateur": certifier.pk, **params}.items())
    return f"{base}?{query}"


# --- Who reaches it ---------------------------------------------------------------------------------------


def test_staff_of_the_certifier_see_the_form_and_the_preview(client, staff, certifier):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Présentation des documents" in html and certifier.name in html
    assert 'type="color"' in html
    assert "<iframe" in html and 'title="Aperçu du document' in html
    assert "Télécharger un aperçu PDF" in html and "Prévisualiser" in html
    assert DocumentStyle.objects.count() == 0  # reading creates nothing


def test_the_dashboard_links_to_the_page(client, staff):
    from cqp.www.juries import selectors as jury_pages

    if not jury_pages.is_jury_staff(staff):
        pytest.skip("the dashboard shows the jury card to jury staff only")
    assert PAGE in client.get(reverse("www:dashboard")).content.decode()


@pytest.mark.parametrize("url", [PAGE, PREVIEW, PREVIEW_PDF])
def test_anonymous_users_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["candidate", "assessor", "plain", "foreign_staff"])
def test_other_users_get_404(client, certifier, who):
    users = {
        "candidate": lambda: CandidateFactory().user,
        "assessor": lambda: member(UserFactory(), Role.ASSESSOR, organisation=OrganisationFactory()),
        "plain": UserFactory,
        "foreign_staff": lambda: certifier_staff(CertifierFactory()),
    }
    client.force_login(users[who]())
    for url in (PAGE, PREVIEW, PREVIEW_PDF):
        assert client.get(_url(url, certifier)).status_code == 404
    assert client.post(_url(PAGE, certifier), _data(certificate_heading="Piraté")).status_code == 404
    assert client.post(_url(PREVIEW, certifier), _data()).status_code == 404
    assert not DocumentStyle.objects.exists()


def test_a_foreign_certifier_in_the_query_is_404_even_for_staff(client, staff):
    other = CertifierFactory()
    assert client.get(_url(PAGE, other)).status_code == 404
    assert client.post(_url(PAGE, other), _data()).status_code == 404


def test_staff_of_several_certifiers_choose_which(client, certifier):
    second = CertifierFactory(name="OPCO de test")
    user = certifier_staff(certifier)
    member(user, Role.CERTIFIER_STAFF, certifier=second)
    client.force_login(user)
    html = client.get(PAGE).content.decode()
    assert certifier.name in html and second.name in html and f"certificateur={second.pk}" in html
    assert client.get(PREVIEW).status_code == 404  # no certifier chosen
    response = client.post(_url(PAGE, second), _data(delivery_place="Lyon"))
    assert response.status_code == 302
    assert DocumentStyle.objects.get().certifier == second


# --- Saving ----------------------------------------------------------------------------------------------


def test_saving_writes_the_style_and_an_audit_event(client, staff, certifier):
    response = client.post(
        PAGE,
        _data(
            certificate_heading="Parchemin de la plasturgie",
            primary_colour="#123456",
            president_name="Jeanne Martin",
            president_signature=_png(),
            logo=_png((120, 60), fmt="JPEG", name="logo.jpg"),
        ),
    )
    assert response.status_code == 302
    style = DocumentStyle.objects.get(certifier=certifier)
    assert style.certificate_heading == "Parchemin de la plasturgie" and style.primary_colour == "#123456"
    assert style.president_signature.name.endswith(".png") and style.logo.name.endswith(".jpg")
    assert style.updated_by == staff
    event = AuditEvent.objects.get(action="document_style_create")
    assert event.actor == staff and event.object_id == str(style.pk)
    assert event.after["certificate_heading"] == "Parchemin de la plasturgie"
    assert "delivery_place" not in event.after  # only what changed
    client.post(PAGE, _data(certificate_heading="Parchemin", primary_colour="#123456", president_name="Jeanne Martin"))
    update = AuditEvent.objects.get(action="document_style_update")
    assert update.before == {"certificate_heading": "Parchemin de la plasturgie"}
    assert update.after == {"certificate_heading": "Parchemin"}
    style.refresh_from_db()
    assert style.president_signature  # an image not sent again is kept


def test_a_bad_colour_is_refused(client, staff):
    response = client.post(PAGE, _data(primary_colour="blue"))
    assert response.status_code == 200
    assert "Une couleur s'écrit #RRVVBB" in unescape(response.content.decode())
    assert not DocumentStyle.objects.exists() and not AuditEvent.objects.filter(action__startswith="document_style")


@pytest.mark.parametrize(
    "upload,message",
    [
        (
            SimpleUploadedFile("sig.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', content_type="image/svg+xml"),
            "pas une image PNG ou JPEG",
        ),
        (SimpleUploadedFile("sig.png", b"not an image at all", content_type="image/png"), "pas une image PNG ou JPEG"),
        (_png((64, 64), fmt="GIF", name="sig.gif"), "pas une image PNG ou JPEG"),
        (_png((700, 700), noise=True), "dépasse 1 Mo"),
    ],
    ids=["svg", "not-an-image", "gif", "too-big"],
)
def test_a_bad_signature_image_is_refused_with_a_clear_message(client, staff, upload, message):
    response = client.post(PAGE, _data(vice_president_signature=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DocumentStyle.objects.exists()


def test_extra_css_is_limited(client, staff):
    response = client.post(PAGE, _data(extra_css="a{}" * 7000))
    assert response.status_code == 200 and not DocumentStyle.objects.exists()


# --- Preview ---------------------------------------------------------------------------------------------


def test_the_preview_shows_the_edited_heading_without_saving(client, staff):
    response = client.post(PREVIEW, _data(certificate_heading="Titre en cours de saisie"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Titre en cours de saisie" in html and "Camille EXEMPLE" in html
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response.get("X-Frame-Options", "SAMEORIGIN") == "SAMEORIGIN"
    assert not DocumentStyle.objects.exists() and not AuditEvent.objects.filter(action__startswith="document_style")


def test_the_htmx_preview_is_an_iframe_with_a_title(client, staff):
    response = client.post(
        PREVIEW, _data(attestation_heading="Attestation en cours", document="attestation"), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.strip().startswith("<iframe") and 'title="' in html and "srcdoc=" in html
    assert "Attestation en cours" in html and "Blocs de compétences validés" in html


def test_the_preview_keeps_the_saved_value_of_a_bad_field(client, staff, certifier):
    DocumentStyle.objects.create(certifier=certifier, primary_colour="#654321")
    html = client.post(PREVIEW, _data(primary_colour="nope")).content.decode()
    assert "#654321" in html and "nope" not in html
    assert DocumentStyle.objects.get().primary_colour == "#654321"


def test_the_pdf_preview_is_a_pdf(client, staff):
    response = client.get(_url(PREVIEW_PDF, staff.memberships.get().certifier, document="attestation"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    posted = client.post(PREVIEW_PDF, _data(certificate_heading="Brouillon"))
    assert posted.content.startswith(b"%PDF") and not DocumentStyle.objects.exists()
