"""In a real Chromium: the holder of a block attestation finds their blocks and passerelles, exports them,
and starts a candidacy for the missing blocks in one click; the certifier's staff record an earlier
certification on the holder's page. Axe checks each page on the way."""

import json

import pytest

from cqp.accounts.models import User
from cqp.awards import services as awards
from cqp.candidacies.models import Candidacy
from cqp.capitalisation.models import HeldBlock
from tests.browser.people import PASSWORD, signed_in, with_password
from tests.candidacies.factories import certification_with_blocks
from tests.juries.factories import decided_candidacy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_blocks_passerelles_one_click_candidacy_and_the_staff_page(chromium, live_server, axe, tmp_path):
    # A block attestation: the jury validated the first of three blocks and the certifier delivered it.
    delivered, session, staff = decided_candidacy(opinion="PARTIAL")
    [result] = awards.session_deliver(session=session, by=staff)
    certification = delivered.certification
    first, *missing = list(certification.blocks.order_by("position"))
    other = certification_with_blocks(blocks=2, certifier=certification.certifiers.get(), title="CQP Soudeur")
    holder = delivered.candidate
    if holder.user is None:
        holder.user = User.objects.create_user(holder.email or "titulaire@example.org", PASSWORD)
        holder.save(update_fields=["user"])
    contexts = []
    try:
        context, page = signed_in(chromium, live_server, with_password(holder.user))
        contexts.append(context)
        page.goto("/espace/candidat/")
        page.get_by_role("heading", name="Mes blocs de compétences").wait_for()
        page.get_by_role("heading", name="Passerelles").wait_for()
        blocks = page.locator("#blocs")
        assert first.code in blocks.inner_text() and result.award.number in blocks.inner_text()
        axe(page, "capitalisation-candidate-space")

        with page.expect_download() as download:
            page.get_by_role("link", name="Exporter (JSON)").click()
        saved = tmp_path / "blocs.json"
        download.value.save_as(saved)
        exported = json.loads(saved.read_text())
        assert [row["block"] for row in exported["blocks"]] == [first.code]
        assert exported["blocks"][0]["source"] == "JURY"

        passerelle = page.locator("#passerelles li.result").filter(has_text=certification.code)
        assert ", ".join(b.code for b in missing) in passerelle.inner_text()
        passerelle.get_by_role("button", name="Candidater pour les blocs manquants").click()
        page.wait_for_url("**/espace/candidatures/*/")
        made = Candidacy.objects.exclude(pk=delivered.pk).get(candidate=holder)
        assert page.url.endswith(f"/espace/candidatures/{made.pk}/")
        assert made.state == "DRAFT"
        assert sorted(made.blocks.values_list("block__code", flat=True)) == [b.code for b in missing]
        targeted = page.locator("section[aria-labelledby=blocks-title]").inner_text()
        assert all(b.code in targeted for b in missing) and first.code not in targeted
        axe(page, "capitalisation-new-draft")

        # The certifier's staff, from the candidacy page, record an earlier certificate of the other CQP.
        context, page = signed_in(chromium, live_server, with_password(staff))
        contexts.append(context)
        page.goto(f"/espace/candidatures/{delivered.pk}/")
        page.get_by_role("link", name="Blocs de compétences détenus et certifications antérieures").click()
        page.get_by_role("heading", name=f"Blocs de compétences de {holder}").wait_for()
        assert "Validé par un jury et délivré" in page.locator("section[aria-labelledby=held-title]").inner_text()
        axe(page, "capitalisation-staff-holder")

        page.get_by_label("Certification", exact=True).select_option(other.code)
        page.get_by_role("button", name="Afficher ses blocs").click()
        other_first = other.blocks.order_by("position").first()
        page.get_by_label(other_first.code, exact=False).check()
        page.get_by_label("Date d'obtention").fill("2099-01-01")
        page.get_by_label("Référence du certificat antérieur").fill("Certificat n° 2019-118, CPNE, 14 juin 2019")
        page.get_by_role("button", name="Enregistrer ces blocs").click()
        page.get_by_text("La date d'obtention ne peut pas être dans le futur.").first.wait_for()
        assert not HeldBlock.objects.filter(source="EARLIER").exists()
        axe(page, "capitalisation-staff-refused")

        page.get_by_label(other_first.code, exact=False).check()
        page.get_by_label("Date d'obtention").fill("2019-06-14")
        page.get_by_role("button", name="Enregistrer ces blocs").click()
        page.get_by_text(f"Bloc enregistré pour {holder} : {other_first.code}.").wait_for()
        held = page.locator("section[aria-labelledby=held-title]").inner_text()
        assert other_first.code in held and "Certification antérieure enregistrée par le certificateur" in held
        assert HeldBlock.objects.get(candidate=holder, block=other_first).source == "EARLIER"
        axe(page, "capitalisation-staff-recorded")
    finally:
        for context in contexts:
            context.close()
