"""In a real Chromium, keyboard only on the grid: the assessor opens the worklist, fills the grid of the
block (Tab, Space, typing), submits it, and the candidacy can go to the jury. Axe checks on each page."""

import pytest

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.assessments.models import BlockAssessment
from cqp.assessments.selectors import readiness_for_jury
from cqp.candidacies.models import Candidacy
from tests.assessments.assessment_helpers import candidacy_in_assessment
from tests.candidacies.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-solide"


def sign_in(page, email):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/")


def test_the_assessor_fills_the_grid_with_the_keyboard_and_the_candidacy_is_ready_for_the_jury(page, axe):
    candidacy = candidacy_in_assessment(blocks=1)
    user = User.objects.create_user("ines@eval.example", PASSWORD, first_name="Inès", last_name="Roux")
    member(user, Role.ASSESSOR, organisation=candidacy.assessment_centre)
    block = candidacy.blocks.get().block

    sign_in(page, "ines@eval.example")
    page.goto("/espace/evaluation/")
    axe(page, "assessor-worklist")
    page.get_by_role("link", name=f"Évaluer le bloc {block.code}").click()
    start = page.get_by_role("button", name="Commencer l'évaluation de ce bloc")
    start.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("form.assessment-grid")
    axe(page, "assessment-grid")

    # From the first radio of the first criterion on, only the keyboard.
    page.get_by_role("radio", name="Satisfait", exact=True).first.focus()
    for number in range(4):
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.type(f"Observé sur le poste, critère {number + 1}.")
        page.keyboard.press("Tab")
    page.keyboard.press("Space")  # situation: the first, observation en situation de travail
    page.keyboard.press("Tab")
    # Day and month alike: the same keys whatever order the browser's locale gives the date's parts.
    page.keyboard.type("06062024")
    # Tab moves through the day, month and year of a date field before leaving it.
    for _segment in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") != "assessed_on":
            break
    page.keyboard.press("Space")  # verdict: the first, acquis
    page.keyboard.press("Tab")
    page.keyboard.type("Pratique maîtrisée en autonomie.")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # no link with the candidate
    page.keyboard.press("Tab")  # save the draft
    page.keyboard.press("Tab")  # submit
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Évaluation transmise")
    axe(page, "assessment-submitted")

    assessment = BlockAssessment.objects.get()
    assert assessment.state == "SUBMITTED" and assessment.verdict == "ACQUIRED"
    assert assessment.assessed_on.isoformat() == "2024-06-06"
    assert all(r.met and r.observation for r in assessment.results.all())
    assert readiness_for_jury(candidacy) == (True, [])
    page.goto(f"/espace/evaluation/{candidacy.pk}/preparation-jury/")
    assert "peut être transmise au jury" in page.get_by_role("status").first.inner_text()
    axe(page, "jury-readiness")

    page.goto(f"/espace/candidatures/{candidacy.pk}/")
    page.get_by_role("button", name="Transmettre au jury").click()
    page.wait_for_load_state()
    assert Candidacy.objects.get(pk=candidacy.pk).state == "READY_FOR_JURY"
