"""In a real Chromium: the staff delivers a signed session and watches its documents being issued by the
worker; reissues one; restyles the parchment with its live preview. Anyone checks the certificate by its
link and by uploading its credential (and a tampered copy); the holder downloads their documents.
Axe checks each page on the way."""

import json

import pytest
from django.core.management import call_command

from cqp.accounts.models import User
from cqp.awards.models import Award
from cqp.credentials.models import AwardDocument
from tests.browser.people import PASSWORD, signed_in, with_password
from tests.juries.factories import decided_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_delivery_issuance_reissue_style_verification_and_download(
    chromium, live_server, axe, issuer_key, settings, tmp_path
):
    session, candidacies, staff = decided_session(opinions=("AWARD", "PARTIAL"))
    staff = with_password(staff)
    # Pages queue their tasks in the database, as in production; a worker runs them when the test says.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    contexts = []
    try:
        context, page = signed_in(chromium, live_server, staff)
        contexts.append(context)
        page.goto(f"/espace/jurys/sessions/{session.pk}/delivrance/")
        axe(page, "certificates-deliver")
        page.get_by_role("button", name="Confirmer la délivrance").click()
        page.wait_for_load_state()
        page.get_by_text("Documents émis : 0 / 2").wait_for()
        axe(page, "certificates-issuance-pending")
        assert not AwardDocument.objects.exists()
        call_command("run_worker", "--batch", "--interval", "0.1")
        # The progress is polled every 2 s: it reaches 2 / 2 without reloading the page.
        page.get_by_text("Documents émis : 2 / 2").wait_for(timeout=10_000)
        assert AwardDocument.objects.count() == 2
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

        certificate = Award.objects.get(kind="CERTIFICATE")
        page.goto(f"/espace/delivrances/{certificate.pk}/")
        axe(page, "certificates-award-detail")
        credential_before = certificate.credential.signed_json
        page.get_by_role("button", name="Rééditer le document").click()
        page.wait_for_load_state()
        assert "Duplicata" in page.content()
        document = AwardDocument.objects.get(award=certificate)
        assert document.reissue_count == 1
        certificate.credential.refresh_from_db()
        assert certificate.credential.signed_json == credential_before

        page.goto("/espace/documents/")
        axe(page, "certificates-style")
        heading = page.get_by_label("Titre du parchemin")
        heading.fill("Certificat de qualification de la branche")
        # The preview follows the typing without saving (the sandboxed frame is read through its srcdoc).
        page.wait_for_function(
            "() => (document.getElementById('apercu').getAttribute('srcdoc') || '')"
            ".includes('Certificat de qualification de la branche')"
        )

        # Anyone, without an account, checks the certificate by its link.
        public = chromium.new_context(locale="fr-FR", base_url=live_server.url)
        contexts.append(public)
        visitor = public.new_page()
        visitor.goto(f"/verify/{certificate.uuid}/")
        assert visitor.get_by_text("Valide", exact=True).is_visible()
        assert certificate.number in visitor.content()
        axe(visitor, "certificates-verify-award")
        # ... and by uploading the credential file received by e-mail, then a tampered copy.
        signed = certificate.credential.signed_json
        genuine = tmp_path / "attestation.json"
        genuine.write_text(signed)
        visitor.goto("/verify/")
        visitor.get_by_label("Fichier de l'attestation (.json)").set_input_files(str(genuine))
        visitor.get_by_role("button", name="Vérifier").click()
        visitor.wait_for_load_state()
        assert visitor.get_by_text("Valide", exact=True).is_visible()
        axe(visitor, "certificates-verify-upload-valid")
        tampered = json.loads(signed)
        tampered["credentialSubject"]["identifier"][0]["identityHash"] = "Quelqu'un d'autre"
        visitor.get_by_label("Ou collez ici le texte de l'attestation").fill(json.dumps(tampered))
        visitor.get_by_role("button", name="Vérifier").click()
        visitor.wait_for_load_state()
        assert visitor.get_by_text("Non valide", exact=True).is_visible()
        assert "modifiée après sa signature" in visitor.content()
        axe(visitor, "certificates-verify-upload-tampered")

        # The holder finds and downloads their documents.
        holder = certificate.candidacy.candidate
        if holder.user is None:
            holder.user = User.objects.create_user(holder.email or "titulaire@example.org", PASSWORD)
            holder.save(update_fields=["user"])
        context, page = signed_in(chromium, live_server, with_password(holder.user))
        contexts.append(context)
        page.goto("/espace/candidat/")
        assert certificate.number in page.content()
        axe(page, "certificates-candidate-space")
        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger le PDF").first.click()
        assert download.value.suggested_filename == f"{certificate.number}.pdf"
    finally:
        for context in contexts:
            context.close()
