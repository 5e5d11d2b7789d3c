"""In a real Chromium: the certifier staff create a jury, add its members (one with an account, one
without), plan a session, put the candidacies ready for the jury on its agenda in bulk by filter, and
send the convocations. Axe checks each page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.candidacies.enums import State
from cqp.juries.enums import College, MemberRole, SessionState
from cqp.juries.models import AgendaItem, Jury, JurySession
from tests.candidacies.factories import certification_with_blocks, member
from tests.juries.factories import ready_candidacy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-solide"


def sign_in(page, email):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/")


def add_member(page, *, email, college, role, represents, first_name="", last_name=""):
    page.get_by_role("link", name="Ajouter un membre").first.click()
    page.get_by_label("Adresse e-mail du membre").fill(email)
    if first_name:
        page.get_by_label("Prénom").fill(first_name)
        page.get_by_label("Nom", exact=True).fill(last_name)
    page.get_by_label(college, exact=True).check()
    page.get_by_label("Organisation représentée").fill(represents)
    page.get_by_label(role, exact=True).check()
    page.get_by_label("Début du mandat").fill("2025-01-01")
    page.get_by_label("Fin du mandat").fill("2029-12-31")
    page.get_by_role("button", name="Ajouter le membre").click()
    page.wait_for_selector("text=est membre du jury")


def test_staff_create_a_jury_plan_a_session_fill_its_agenda_and_convene(page, axe):
    certification = certification_with_blocks(blocks=1, title="CQP Conducteur de ligne automatisée")
    certification_with_blocks(blocks=1, certifier=certification.certifiers.get(), title="CQP Régleur")
    staff = User.objects.create_user("agnes@cpne.example", PASSWORD, first_name="Agnès", last_name="Perrin")
    member(staff, Role.CERTIFIER_STAFF, certifier=certification.certifiers.get())
    User.objects.create_user("paul@uimm.example", PASSWORD, first_name="Paul", last_name="Lefort")
    training = [ready_candidacy(certification) for _ in range(2)]
    vae = ready_candidacy(certification, path="VAE")

    sign_in(page, "agnes@cpne.example")
    page.get_by_role("link", name="Jurys et sessions").first.click()
    page.wait_for_url("**/espace/jurys/")
    axe(page, "jury-list-empty")

    # The jury: its name, its CQP found through the filter box, the weighted vote.
    page.get_by_role("link", name="Créer un jury").click()
    page.get_by_label("Nom du jury").fill("Jury paritaire national de la plasturgie")
    page.get_by_label("Filtrer la liste par code ou par intitulé").fill("conducteur")
    assert page.get_by_label("CQP Régleur", exact=False).is_hidden()
    box = page.get_by_label(f"{certification.code} — CQP Conducteur de ligne automatisée")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.get_by_label("Vote pondéré", exact=False).check()
    axe(page, "jury-create")
    page.get_by_role("button", name="Créer le jury").click()
    page.wait_for_selector("text=Jury créé")
    jury = Jury.objects.get(name="Jury paritaire national de la plasturgie")
    assert list(jury.certifications.all()) == [certification] and jury.parity_rule == "WEIGHTED"
    axe(page, "jury-detail")

    # The members: a president with an account, a vice-president without one.
    add_member(
        page,
        email="paul@uimm.example",
        college="Collège employeurs",
        role="Président",
        represents="UIMM",
    )
    axe(page, "jury-member-added")
    add_member(
        page,
        email="nadia@cfdt.example",
        first_name="Nadia",
        last_name="Benali",
        college="Collège salariés",
        role="Vice-président",
        represents="CFDT",
    )
    nadia = User.objects.get(email="nadia@cfdt.example")
    assert not nadia.has_usable_password()
    assert any(m.to == ["nadia@cfdt.example"] for m in mail.outbox)
    assert set(jury.members.values_list("college", "role")) == {
        (College.EMPLOYERS, MemberRole.PRESIDENT),
        (College.EMPLOYEES, MemberRole.VICE_PRESIDENT),
    }

    # The session: the members whose mandate covers the date are listed, then convened.
    page.get_by_role("link", name="Planifier une session").first.click()
    day = (timezone.localdate() + timedelta(days=21)).isoformat()
    # Past every mandate no one would be convened: the list follows the date as it is typed.
    page.get_by_label("Date et heure").fill("2031-03-03T09:30")
    page.get_by_label("Lieu", exact=True).focus()
    page.wait_for_selector("text=Aucun membre n'a de mandat à cette date")
    page.get_by_label("Date et heure").fill(f"{day}T09:30")
    page.get_by_label("Lieu", exact=True).fill("Maison de la plasturgie, 125 rue Aristide Briand, Levallois")
    page.wait_for_selector("#convened-preview >> text=Paul Lefort")
    preview = page.locator("#convened-preview")
    assert "Paul Lefort" in preview.inner_text() and "Nadia Benali" in preview.inner_text()
    axe(page, "jury-session-plan")
    page.get_by_role("button", name="Planifier la session").click()
    page.wait_for_selector("text=2 membres convoqués")
    session = JurySession.objects.get(jury=jury)
    assert session.state == SessionState.PLANNED and session.attendances.count() == 2
    axe(page, "jury-session-agenda-empty")

    # The agenda: the candidacies on the training path, in bulk, after their count.
    page.get_by_label("Voie").select_option("TRAINING")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_selector("text=2 candidatures prêtes correspondent à ces filtres.")
    page.get_by_role("button", name="Ajouter ces 2 candidatures à l'ordre du jour").click()
    page.wait_for_selector("text=2 candidatures ajoutées à l'ordre du jour.")
    assert set(AgendaItem.objects.filter(session=session).values_list("candidacy_id", flat=True)) == {
        c.pk for c in training
    }
    vae.refresh_from_db()
    assert vae.state == State.READY_FOR_JURY
    axe(page, "jury-session-agenda")

    # The convocations: how many first, then sent.
    page.get_by_role("link", name="Envoyer les convocations").click()
    assert "2 membres du jury" in page.locator("main").inner_text()
    assert "2 candidats" in page.locator("main").inner_text()
    axe(page, "jury-session-convene")
    mail.outbox.clear()
    page.get_by_role("button", name="Envoyer les convocations").click()
    page.wait_for_selector("text=Convocations envoyées par e-mail")
    assert "2 membres du jury et 2 candidats" in page.get_by_role("status").first.inner_text()
    assert len(mail.outbox) == 4
    assert session.attendances.filter(convened_at__isnull=True).count() == 0

    page.get_by_role("link", name="Modifier la date ou le lieu").click()
    assert page.get_by_label("Date et heure").input_value() == f"{day}T09:30"
    axe(page, "jury-session-edit")
    page.get_by_role("link", name="Annuler la session").click()
    page.wait_for_selector("text=2 candidatures sont à l'ordre du jour")
    axe(page, "jury-session-cancel")

    page.goto("/espace/jurys/")
    assert "Jury paritaire national de la plasturgie" in page.locator("main").inner_text()
    axe(page, "jury-list")

    # The president, who is not staff, finds there the session he is convened to.
    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(page, "paul@uimm.example")
    page.get_by_role("link", name="Mes sessions de jury").first.click()
    page.wait_for_url("**/espace/jurys/")
    main = page.locator("main").inner_text()
    assert "Jury paritaire national de la plasturgie" in main and "Créer un jury" not in main
    # The session page is the one the convocation e-mail links to.
    assert page.locator(f'main a[href="/espace/jurys/sessions/{session.pk}/"]').count() == 1
    axe(page, "jury-member-sessions")
