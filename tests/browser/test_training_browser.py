"""Positioning and training plan in a real Chromium, with an axe check on every page."""

import pytest
from django.utils import timezone

from cqp.accounts.models import User
from cqp.assessments.enums import PlanStatus
from cqp.assessments.models import TrainingPlan
from cqp.candidacies.enums import State
from tests.assessments.training_helpers import PLAN_END, PLAN_START, admissible, people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-cqp-2026"


def sign_in(page, user, next_url):
    page.context.clear_cookies()
    page.goto(f"/compte/connexion/?next={next_url}")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{next_url}")


def test_positioning_then_plan_accepted_started_and_followed(page, axe):
    # Self-funded: the candidate alone accepts the plan.
    candidacy = admissible(blocks=2, funding="PERSONAL")
    who = people(candidacy)
    for user in (who["training_org"], who["candidate"]):
        user = User.objects.get(pk=user.pk)
        user.set_password(PASSWORD)
        user.save()
    first, second = [item.block for item in candidacy.blocks.select_related("block").order_by("block__position")]
    positioning_url = f"/espace/formation/{candidacy.pk}/positionnement/"
    plan_url = f"/espace/formation/{candidacy.pk}/parcours/"

    # The training organisation fills the grid: the first block with the mouse, the second with the keyboard.
    sign_in(page, who["training_org"], positioning_url)
    axe(page, "training-positioning-empty")
    page.locator(f"#id_pos_result_{first.pk}_0").check()
    page.get_by_label(f"Commentaire sur le bloc {first.code}").fill("Trois ans au poste, gestes maîtrisés")
    page.locator(f"#id_pos_result_{second.pk}_0").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator(f"#id_pos_result_{second.pk}_2").is_checked()
    page.get_by_role("button", name="Enregistrer le positionnement").click()
    page.wait_for_url(f"**{positioning_url}")
    assert "Le positionnement est enregistré." in page.get_by_role("status").inner_text()
    remaining = page.get_by_role("heading", name="Reste à former").locator("xpath=following-sibling::ul[1]")
    assert second.code in remaining.inner_text() and first.code not in remaining.inner_text()
    axe(page, "training-positioning-recorded")
    candidacy.refresh_from_db()
    assert candidacy.state == State.POSITIONED

    # The plan: the form is prefilled with one module for the remaining block.
    page.get_by_role("link", name="Voir le parcours de formation").click()
    page.wait_for_url(f"**{plan_url}")
    axe(page, "training-plan-propose")
    assert page.locator("#id_modules-0-block_code").input_value() == second.code
    assert page.locator("#id_modules-1-block_code").count() == 0
    page.get_by_label("Début du parcours").fill(PLAN_START.isoformat())
    page.get_by_label("Fin du parcours").fill(PLAN_END.isoformat())
    page.locator("#id_modules-0-hours").fill("35")
    page.locator("#id_modules-0-start").fill(PLAN_START.isoformat())
    page.get_by_role("button", name="Proposer le parcours").click()
    page.wait_for_url(f"**{plan_url}")
    assert "Acceptation attendue de : le candidat." in page.locator("main").inner_text()
    axe(page, "training-plan-proposed")

    # The candidate accepts it.
    sign_in(page, who["candidate"], plan_url)
    page.get_by_role("button", name="Accepter le parcours").click()
    page.wait_for_url(f"**{plan_url}")
    assert "Vous avez accepté le parcours." in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="Accepter le parcours").count() == 0
    axe(page, "training-plan-accepted")

    # The training organisation starts the training and records the module as done.
    sign_in(page, who["training_org"], plan_url)
    page.get_by_role("button", name="Commencer la formation").click()
    page.wait_for_url(f"**{plan_url}")
    candidacy.refresh_from_db()
    assert candidacy.state == State.IN_TRAINING
    axe(page, "training-plan-in-progress")
    page.get_by_label("Heures suivies").fill("35")
    page.get_by_label("Terminé le").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Enregistrer la progression").click()
    page.wait_for_url(f"**{plan_url}*")
    assert "Terminé" in page.locator("main").inner_text()
    axe(page, "training-plan-completed")
    assert TrainingPlan.objects.get().status == PlanStatus.COMPLETED
