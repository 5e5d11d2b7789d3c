"""Evidence uploads: the type read from the content, the size limit, storage outside the web root, and
opening a stored file only for those who may see the candidacy."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from cqp.accounts.enums import Role
from cqp.candidacies import services
from cqp.candidacies.models import CandidacyEvent, Document
from cqp.candidacies.selectors import document_open, documents_visible_to

from .factories import (
    OrganisationFactory,
    UserFactory,
    admin_user,
    candidacy,
    candidacy_in_state,
    certification_with_blocks,
    certifier_staff,
    member,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(draft, name, content, *, by=None, kind="IDENTITY", content_type="application/octet-stream"):
    return services.document_upload(
        candidacy=draft,
        by=by or draft.candidate.user,
        kind=kind,
        uploaded_file=SimpleUploadedFile(name, content, content_type=content_type),
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("carte.pdf", PDF, "application/pdf"), ("photo.PNG", PNG, "image/png"), ("scan.jpeg", JPEG, "image/jpeg")],
)
def test_pdf_png_and_jpeg_are_accepted_and_typed_by_their_content(name, content, content_type, media_root):
    draft = candidacy()
    document = upload(draft, name, content)
    assert (document.original_name, document.content_type, document.size) == (name, content_type, len(content))
    stored = Path(document.file.path)
    assert stored.read_bytes() == content
    # Stored under a name of our own, under MEDIA_ROOT, never under the static files.
    assert stored.is_relative_to(media_root)
    assert name not in stored.name
    for static in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        assert not stored.resolve().is_relative_to(static.resolve())
    event = CandidacyEvent.objects.get(candidacy=draft, name="document")
    assert (event.by, event.data["name"]) == (draft.candidate.user, name)


def test_the_media_root_is_not_inside_the_static_files():
    media = Path(settings.MEDIA_ROOT).resolve()
    for static in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        assert not media.is_relative_to(static.resolve())
        assert not static.resolve().is_relative_to(media)
    assert not settings.MEDIA_URL or not settings.MEDIA_URL.startswith(settings.STATIC_URL)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("facture.png", PDF, "en réalité un PDF"),
        ("photo.pdf", PNG, "en réalité un PNG"),
        ("page.pdf", HTML, "ni un PDF"),
        ("page.html", HTML, "ni un PDF"),
        ("programme.exe", b"MZ\x90\x00" + b"\x00" * 60, "ni un PDF"),
        ("sans-extension", PDF, "en réalité un PDF"),
        ("vide.pdf", b"", "vide"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(name, content, message, media_root):
    draft = candidacy()
    with pytest.raises(ValidationError, match=message):
        upload(draft, name, content, content_type="application/pdf")
    assert not Document.objects.exists()
    assert not CandidacyEvent.objects.filter(name="document").exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_the_size_limit(settings):
    settings.CQP_UPLOAD_MAX_BYTES = 1024
    draft = candidacy()
    upload(draft, "juste.pdf", PDF + b"0" * (1024 - len(PDF)))
    with pytest.raises(ValidationError, match="la limite est de"):
        upload(draft, "gros.pdf", PDF + b"0" * 1024)
    assert list(Document.objects.values_list("original_name", flat=True)) == ["juste.pdf"]


def test_the_default_limit_is_ten_megabytes():
    assert settings.CQP_UPLOAD_MAX_BYTES == 10 * 1024 * 1024


def test_an_unknown_kind_is_refused():
    draft = candidacy()
    with pytest.raises(ValidationError, match="nature de la pièce"):
        upload(draft, "carte.pdf", PDF, kind="SELFIE")


def test_a_closed_candidacy_takes_no_more_documents():
    withdrawn = candidacy_in_state("WITHDRAWN")
    with pytest.raises(ValidationError, match="ne reçoit plus"):
        upload(withdrawn, "carte.pdf", PDF)


def test_only_people_of_the_candidacy_upload():
    draft = candidacy()
    with pytest.raises(PermissionDenied):
        upload(draft, "carte.pdf", PDF, by=UserFactory())
    assert not Document.objects.exists()


ALLOWED = ["candidate", "employer", "training_org", "assessor", "certifier_staff", "platform_admin"]
REFUSED = ["other_certifier_staff", "stranger", "other_employer"]


def reader(role, candidacy):
    return {
        "candidate": lambda: candidacy.candidate.user,
        "employer": lambda: member(UserFactory(), Role.EMPLOYER, organisation=candidacy.employer),
        "training_org": lambda: member(UserFactory(), Role.TRAINING_ORG, organisation=candidacy.training_org),
        "assessor": lambda: member(UserFactory(), Role.ASSESSOR, organisation=candidacy.assessment_centre),
        "certifier_staff": lambda: certifier_staff(candidacy.certifier),
        "platform_admin": admin_user,
        "other_certifier_staff": lambda: certifier_staff(certification_with_blocks().certifiers.get()),
        "stranger": UserFactory,
        "other_employer": lambda: member(UserFactory(), Role.EMPLOYER, organisation=OrganisationFactory()),
    }[role]()


@pytest.mark.parametrize("role", ALLOWED + REFUSED)
def test_a_stored_document_opens_only_for_those_who_see_the_candidacy(role):
    submitted = candidacy_in_state("SUBMITTED")
    document = upload(submitted, "carte.pdf", PDF)
    user = reader(role, submitted)
    if role in ALLOWED:
        with document_open(document=document, user=user) as handle:
            assert handle.read() == PDF
        assert list(documents_visible_to(user)) == [document]
    else:
        with pytest.raises(Http404):
            document_open(document=document, user=user)
        assert list(documents_visible_to(user)) == []


def test_an_anonymous_visitor_is_refused():
    draft = candidacy()
    document = upload(draft, "carte.pdf", PDF)
    with pytest.raises(PermissionDenied):
        document_open(document=document, user=AnonymousUser())


def test_stored_files_are_not_served_by_any_url(client, media_root):
    draft = candidacy()
    document = upload(draft, "carte.pdf", PDF)
    client.force_login(draft.candidate.user)
    for url in [f"/{document.file.name}", f"/media/{document.file.name}", f"/static/{document.file.name}"]:
        assert client.get(url).status_code == 404
