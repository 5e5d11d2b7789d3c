"""In a real Chromium, the jury session from attendance to delivery, each person in their own browser:
the staff records attendance and opens; a member reads a dossier and deliberates with the keyboard only;
the president closes; the president and the vice-president sign; the staff delivers the session and
sees the numbers, then the awards register. Axe checks each page on the way."""

import pytest
from django.utils import timezone

from cqp.awards.models import Award
from cqp.candidacies.enums import State
from cqp.juries import services
from cqp.juries.enums import College, MemberRole, SessionState
from cqp.juries.models import Deliberation
from tests.browser.people import signed_in, with_password
from tests.candidacies.factories import certification_with_blocks
from tests.catalogue.factories import EvaluationCriterionFactory
from tests.juries.factories import jury_with_members, ready_candidacy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_jury_session_from_attendance_to_delivery(chromium, live_server, axe):
    certification = certification_with_blocks(blocks=2)
    for block in certification.blocks.all():
        EvaluationCriterionFactory(block=block, position=1)
    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(certification)
    session = services.session_plan(jury=jury, by=staff, starts_at=timezone.now(), place="Maison de la branche")
    services.agenda_add(session=session, candidacies=[candidacy], by=staff)
    staff = with_password(staff)
    president = with_password(jury.members.get(role=MemberRole.PRESIDENT).user)
    vice = with_password(jury.members.get(role=MemberRole.VICE_PRESIDENT).user)
    member = with_password(jury.members.get(role=MemberRole.MEMBER, college=College.EMPLOYEES).user)
    session_url = f"/espace/jurys/sessions/{session.pk}/"
    contexts = []
    try:
        # The staff records who is present and opens the deliberation.
        context, page = signed_in(chromium, live_server, staff)
        contexts.append(context)
        page.goto(session_url)
        problems = page.get_by_role("region", name="Ce qui empêche encore de délibérer")
        assert "Relevez la présence" in problems.inner_text()
        axe(page, "jury-session-planned")
        for radio in page.get_by_role("radio", name="Présent", exact=True).all():
            radio.check()
        page.get_by_role("button", name="Enregistrer les présences").click()
        page.wait_for_selector("text=Les présences sont enregistrées.")
        assert "La session est régulière" in page.content()
        page.get_by_role("button", name="Ouvrir la délibération").click()
        page.wait_for_selector("text=La délibération est ouverte.")
        axe(page, "jury-session-open")
        session.refresh_from_db()
        assert session.state == SessionState.OPEN

        # A member opens the dossier and deliberates with the keyboard only.
        context, page = signed_in(chromium, live_server, member)
        contexts.append(context)
        page.goto(session_url)
        page.get_by_role("link", name=str(candidacy.candidate)).click()
        page.wait_for_selector("form.deliberation-form")
        axe(page, "jury-dossier")
        codes = list(candidacy.blocks.order_by("block__position").values_list("block__code", flat=True))
        page.get_by_role("checkbox").first.focus()
        for _code in codes:
            page.keyboard.press("Space")
            page.keyboard.press("Tab")
        # The opinion that follows is shown as the blocks are ticked.
        page.wait_for_load_state("networkidle")
        live = page.locator("#opinion-preview")
        live.filter(has_text="Obtention de la certification").wait_for()
        # Votes: each college has its two present members for, none against or abstaining.
        for _college in College:
            page.keyboard.press("Control+A")
            page.keyboard.type("2")
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
        page.keyboard.type("Les deux blocs sont démontrés.")
        page.keyboard.press("Tab")  # see the opinion
        page.keyboard.press("Enter")
        preview = page.get_by_role("status").filter(has_text="L'avis qui en découle")
        assert "Obtention de la certification" in preview.inner_text()
        assert not Deliberation.objects.exists()
        page.get_by_role("button", name="Voir l'avis qui en découle").focus()
        page.keyboard.press("Tab")  # record
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Délibération enregistrée")
        axe(page, "jury-dossier-deliberated")
        deliberation = Deliberation.objects.get()
        assert deliberation.opinion == "AWARD" and deliberation.employers_for == 2 and deliberation.employees_for == 2

        # The president closes the deliberations, then signs.
        context, page = signed_in(chromium, live_server, president)
        contexts.append(context)
        page.goto(session_url)
        page.get_by_role("button", name="Clore les délibérations").click()
        page.wait_for_selector("text=le projet de procès-verbal est prêt à être signé")
        axe(page, "jury-session-closed")
        page.get_by_role("link", name="Signer le procès-verbal").click()
        axe(page, "jury-minutes-sign")
        page.get_by_role("button", name="Je signe le procès-verbal").click()
        page.wait_for_selector("text=l'autre signature est attendue")

        context, page = signed_in(chromium, live_server, vice)
        contexts.append(context)
        page.goto(session_url)
        page.get_by_role("link", name="Signer le procès-verbal").click()
        page.get_by_role("button", name="Je signe le procès-verbal").click()
        page.wait_for_selector("text=signé par les deux signataires")
        session.refresh_from_db()
        assert session.state == SessionState.SIGNED

        # The staff delivers the whole session and sees the numbers.
        page = contexts[0].pages[0]
        page.goto(session_url)
        axe(page, "jury-session-signed")
        page.get_by_role("link", name="Délivrer pour toute la session").click()
        assert "1 certificat" in page.get_by_role("region", name="Ce qui sera délivré").inner_text()
        axe(page, "jury-deliver")
        page.get_by_role("button", name="Confirmer la délivrance").click()
        counts = page.get_by_role("status").filter(has_text="certificat délivré")
        assert "1 certificat délivré" in counts.inner_text()
        award = Award.objects.get()
        assert award.number in page.content()
        axe(page, "jury-delivered")
        page.get_by_role("link", name="Registre des délivrances").click()
        page.get_by_role("link", name=award.number).click()
        assert "Retirer cette délivrance" in page.content()
        axe(page, "award-detail")
        page.get_by_role("link", name="Registre des délivrances").click()
        axe(page, "award-list")
        candidacy.refresh_from_db()
        assert candidacy.state == State.DELIVERED
    finally:
        for context in contexts:
            context.close()
