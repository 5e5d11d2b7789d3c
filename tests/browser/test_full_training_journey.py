"""The training path from the positioning to the jury, in a real Chromium, each person signed in with
their own account: the training organisation positions the blocks and proposes the plan for what
remains, the candidate accepts it, the training organisation starts it and declares the progress, the
assessor fills every grid with the keyboard and submits it, and the certifier staff sees the candidacy
ready and transmits it to the jury. Axe checks on the main pages."""

import pytest
from django.utils import timezone

from cqp.assessments.enums import PlanStatus
from cqp.assessments.models import BlockAssessment, TrainingPlan
from cqp.candidacies.enums import State
from cqp.candidacies.models import Candidacy, CandidacyEvent
from tests.assessments.training_helpers import PLAN_END, PLAN_START, people
from tests.candidacies.factories import candidacy_in_state, certification_with_blocks
from tests.catalogue.factories import EvaluationCriterionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-solide"  # the factories' password


def sign_in(page, user, next_url):
    page.context.clear_cookies()
    page.goto(f"/compte/connexion/?next={next_url}")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{next_url}")


def fill_grid_with_the_keyboard(page, criteria):
    """From the first radio of the first criterion, only keys: each criterion met with an observation,
    the situation, the date, the verdict, the summary, the declaration of no link, then submit."""
    page.get_by_role("radio", name="Satisfait", exact=True).first.focus()
    for number in range(criteria):
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.type(f"Observé sur le poste, critère {number + 1}.")
        page.keyboard.press("Tab")
    page.keyboard.press("Space")  # situation: the first, observation en situation de travail
    page.keyboard.press("Tab")
    # Day and month alike: the same keys whatever order the browser's locale gives the date's parts.
    page.keyboard.type("06062024")
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


def test_from_the_positioning_to_the_jury(page, axe):
    certification = certification_with_blocks(blocks=3, optional_criteria_threshold=50)
    for block in certification.blocks.all():
        EvaluationCriterionFactory(block=block, position=1, mandatory=True)
        EvaluationCriterionFactory(block=block, position=2, mandatory=False)
    # Self-funded: the candidate alone accepts the plan.
    candidacy = candidacy_in_state("ADMISSIBLE", certification=certification, funding="PERSONAL")
    who = people(candidacy)
    first, second, third = [row.block for row in candidacy.blocks.select_related("block").order_by("block__position")]
    detail_url = f"/espace/candidatures/{candidacy.pk}/"
    positioning_url = f"/espace/formation/{candidacy.pk}/positionnement/"
    plan_url = f"/espace/formation/{candidacy.pk}/parcours/"
    readiness_url = f"/espace/evaluation/{candidacy.pk}/preparation-jury/"

    # The training organisation: one block acquired, the two others to acquire.
    sign_in(page, who["training_org"], positioning_url)
    axe(page, "journey-positioning")
    page.locator(f"#id_pos_result_{first.pk}_0").check()
    page.get_by_label(f"Commentaire sur le bloc {first.code}").fill("Cinq ans au poste, gestes observés.")
    for block in (second, third):
        page.locator(f"#id_pos_result_{block.pk}_2").check()
    page.get_by_role("button", name="Enregistrer le positionnement").click()
    page.wait_for_url(f"**{positioning_url}")
    assert "Le positionnement est enregistré." in page.get_by_role("status").inner_text()
    assert Candidacy.objects.get(pk=candidacy.pk).state == State.POSITIONED

    # The plan, prefilled with one module per remaining block.
    page.get_by_role("link", name="Voir le parcours de formation").click()
    page.wait_for_url(f"**{plan_url}")
    assert [page.locator(f"#id_modules-{n}-block_code").input_value() for n in range(2)] == [second.code, third.code]
    assert page.locator("#id_modules-2-block_code").count() == 0
    page.get_by_label("Début du parcours").fill(PLAN_START.isoformat())
    page.get_by_label("Fin du parcours").fill(PLAN_END.isoformat())
    for number in range(2):
        page.locator(f"#id_modules-{number}-hours").fill("35")
        page.locator(f"#id_modules-{number}-start").fill(PLAN_START.isoformat())
    page.get_by_role("button", name="Proposer le parcours").click()
    page.wait_for_url(f"**{plan_url}")
    assert "Acceptation attendue de : le candidat." in page.locator("main").inner_text()
    axe(page, "journey-plan-proposed")

    # The candidate accepts it.
    sign_in(page, who["candidate"], plan_url)
    page.get_by_role("button", name="Accepter le parcours").click()
    page.wait_for_url(f"**{plan_url}")
    assert "Vous avez accepté le parcours." in page.get_by_role("status").inner_text()

    # The training organisation starts it and declares both modules done.
    sign_in(page, who["training_org"], plan_url)
    page.get_by_role("button", name="Commencer la formation").click()
    page.wait_for_url(f"**{plan_url}")
    assert Candidacy.objects.get(pk=candidacy.pk).state == State.IN_TRAINING
    axe(page, "journey-plan-in-progress")
    plan = TrainingPlan.objects.get(candidacy=candidacy)
    for module in plan.modules.order_by("block__position"):
        form = page.locator(f"#module-{module.pk}")
        form.get_by_label("Heures suivies").fill("35")
        form.get_by_label("Terminé le").fill(timezone.localdate().isoformat())
        form.get_by_role("button").click()
        page.wait_for_url(f"**{plan_url}*")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED
    # Then the candidacy goes to the assessment, from its page.
    page.goto(detail_url)
    page.get_by_role("button", name="Passer en évaluation").click()
    page.wait_for_url(f"**{detail_url}")
    assert Candidacy.objects.get(pk=candidacy.pk).state == State.IN_ASSESSMENT

    # The assessor: every block of the worklist, keyboard only on the grid.
    sign_in(page, who["assessor"], "/espace/evaluation/")
    axe(page, "journey-worklist")
    for number, block in enumerate((first, second, third)):
        page.goto("/espace/evaluation/")
        page.get_by_role("link", name=f"Évaluer le bloc {block.code}").click()
        start = page.get_by_role("button", name="Commencer l'évaluation de ce bloc")
        start.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector("form.assessment-grid")
        if number == 0:
            axe(page, "journey-grid")
        fill_grid_with_the_keyboard(page, criteria=2)
    page.goto("/espace/evaluation/")
    assert "Tous les blocs sont évalués" in page.locator("main").inner_text()
    submitted = BlockAssessment.objects.filter(candidacy=candidacy, state="SUBMITTED")
    assert sorted(submitted.values_list("block__code", flat=True)) == [first.code, second.code, third.code]
    assert set(submitted.values_list("verdict", flat=True)) == {"ACQUIRED"}

    # The certifier staff: the readiness panel, then the transmission to the jury.
    sign_in(page, who["certifier"], detail_url)
    page.get_by_role("link", name="Évaluations des blocs et préparation du jury").click()
    page.wait_for_url(f"**{readiness_url}")
    assert "peut être transmise au jury" in page.get_by_role("status").first.inner_text()
    axe(page, "journey-readiness")
    page.goto(detail_url)
    page.get_by_role("button", name="Transmettre au jury").click()
    page.wait_for_url(f"**{detail_url}")
    assert "« Transmettre au jury » : c'est fait." in page.get_by_role("status").inner_text()
    axe(page, "journey-ready-for-jury")

    candidacy.refresh_from_db()
    assert candidacy.state == State.READY_FOR_JURY
    moves = list(
        CandidacyEvent.objects.filter(candidacy=candidacy)
        .exclude(to_state="")
        .order_by("pk")
        .values_list("name", "by_id")
    )
    assert moves[-4:] == [
        ("record_positioning", who["training_org"].pk),
        ("start_training", who["training_org"].pk),
        ("start_assessment", who["training_org"].pk),
        ("mark_ready_for_jury", who["certifier"].pk),
    ]
