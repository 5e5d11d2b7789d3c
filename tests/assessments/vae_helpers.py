"""Shared setup for the VAE tests: a draft VAE candidacy with no experience yet, and a proof."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from cqp.candidacies import services as candidacy_services
from tests.candidacies.factories import certifier_staff, staffed_candidacy

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = date(2026, 6, 30)


def vae_draft(**kwargs):
    kwargs.setdefault("experience_periods", [])
    draft = staffed_candidacy(path="VAE", **kwargs)
    staff = certifier_staff(draft.certifier)
    return draft, staff


def proof(candidacy, *, by=None, name="certificat-de-travail.pdf"):
    return candidacy_services.document_upload(
        candidacy=candidacy,
        by=by or candidacy.candidate.user,
        kind="EXPERIENCE",
        uploaded_file=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
    )
