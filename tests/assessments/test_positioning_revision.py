"""A revision of the positioning and the training plan: a plan not yet started that no longer covers
what remains asks for a new version (neither accepted nor started until then, the page says why); a
plan under way goes on and its page shows the difference."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cqp.accounts.models import User
from cqp.assessments import selectors, services
from cqp.assessments.enums import PlanStatus
from cqp.candidacies import services as candidacy_services
from cqp.candidacies.enums import State
from cqp.candidacies.models import CandidacyEvent

from .training_helpers import admissible, codes, people, position, propose

pytestmark = pytest.mark.django_db


def positioned(blocks=3):
    """Three blocks: the first acquired, the two others to train; a plan proposed for those two."""
    candidacy = admissible(blocks=blocks)
    who = people(candidacy)
    position(candidacy, who["training_org"], "ACQUIRED", "TO_ACQUIRE", "TO_ACQUIRE")
    plan = propose(candidacy, who["training_org"], codes(candidacy)[1:])
    return candidacy, who, plan


def revise(candidacy, by, *results, reason="Attestation reçue : un bloc reconnu."):
    return services.positioning_record(
        candidacy=candidacy,
        by=by,
        results={code: (r, "") for code, r in zip(codes(candidacy), results, strict=True)},
        revision_reason=reason,
    )


def accept_all(plan, who):
    plan = services.training_plan_accept(plan=plan, by=who["candidate"])
    return services.training_plan_accept(plan=plan, by=who["employer"])


def page(client, candidacy, user):
    client.force_login(User.objects.get(pk=user.pk))
    response = client.get(reverse("www:training_plan", kwargs={"pk": candidacy.pk}))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_revision_that_changes_the_blocks_to_train_stops_an_accepted_plan_from_starting(client):
    candidacy, who, plan = positioned()
    plan = accept_all(plan, who)
    first, second, third = codes(candidacy)

    revise(candidacy, who["training_org"], "ACQUIRED", "ACQUIRED", "TO_ACQUIRE")

    assert selectors.training_plan_differences(plan, candidacy=candidacy)["extra"][0].code == second
    event = CandidacyEvent.objects.filter(candidacy=candidacy, name="positioning").order_by("-pk").first()
    assert event.data["plan_outdated"] == plan.version
    with pytest.raises(ValidationError) as refused:
        services.training_plan_start(plan=plan, by=who["training_org"])
    assert refused.value.messages == [
        "Le positionnement a été révisé depuis que ce parcours a été proposé (module pour un bloc qui n'est plus "
        f"à former : {second}) : proposez une nouvelle version du parcours depuis la page Parcours de formation "
        "de la candidature."
    ]
    plan.refresh_from_db()
    candidacy.refresh_from_db()
    assert (plan.status, candidacy.state) == (PlanStatus.ACCEPTED, State.POSITIONED)
    # The bare transition refuses it too.
    with pytest.raises(ValidationError, match="Le positionnement a été révisé"):
        candidacy_services.candidacy_transition(candidacy=candidacy, name="start_training", by=who["training_org"])

    text = page(client, candidacy, who["training_org"])
    assert "il demande une nouvelle version" in text
    assert f"{second} — " in text and "un module le couvre, mais il n'est plus à former" in text
    assert "Commencer la formation</button>" not in text


def test_a_proposed_plan_that_no_longer_matches_is_not_accepted(client):
    candidacy, who, plan = positioned()
    first, second, third = codes(candidacy)
    revise(candidacy, who["training_org"], "TO_ACQUIRE", "TO_ACQUIRE", "TO_ACQUIRE", reason="Erreur sur le bloc 1.")

    with pytest.raises(ValidationError) as refused:
        services.training_plan_accept(plan=plan, by=who["candidate"])
    assert f"à former sans module : {first}" in refused.value.messages[0]
    plan.refresh_from_db()
    assert plan.accepted_by_candidate_at is None

    text = page(client, candidacy, who["candidate"])
    assert "reste à former, aucun module ne le couvre" in text
    assert "Accepter le parcours</button>" not in text


def test_a_new_version_of_the_plan_is_accepted_and_started():
    candidacy, who, plan = positioned()
    first, second, third = codes(candidacy)
    revise(candidacy, who["training_org"], "ACQUIRED", "ACQUIRED", "TO_ACQUIRE")

    new = propose(candidacy, who["training_org"], [third])
    new = accept_all(new, who)
    started = services.training_plan_start(plan=new, by=who["training_org"])

    plan.refresh_from_db()
    candidacy.refresh_from_db()
    assert (plan.status, started.version, started.status) == (PlanStatus.SUPERSEDED, 2, PlanStatus.IN_PROGRESS)
    assert candidacy.state == State.IN_TRAINING


def test_a_revision_that_keeps_the_blocks_to_train_keeps_the_plan_valid(client):
    candidacy, who, plan = positioned()
    plan = accept_all(plan, who)
    revise(candidacy, who["training_org"], "ACQUIRED", "TO_ACQUIRE", "TO_ACQUIRE", reason="Commentaire précisé.")

    event = CandidacyEvent.objects.filter(candidacy=candidacy, name="positioning").order_by("-pk").first()
    assert "plan_outdated" not in event.data
    assert "positioning-changed" not in page(client, candidacy, who["training_org"])
    assert services.training_plan_start(plan=plan, by=who["training_org"]).status == PlanStatus.IN_PROGRESS


def test_a_plan_under_way_goes_on_and_its_page_shows_the_difference(client):
    candidacy, who, plan = positioned()
    plan = services.training_plan_start(plan=accept_all(plan, who), by=who["training_org"])
    first, second, third = codes(candidacy)

    revise(candidacy, who["training_org"], "ACQUIRED", "ACQUIRED", "TO_ACQUIRE")

    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS
    module = plan.modules.get(block__code=third)
    services.training_module_progress(module=module, by=who["training_org"], hours_attended=10)
    text = page(client, candidacy, who["candidate"])
    assert "depuis le début de la formation" in text
    assert f"{second} — " in text and "un module le couvre, mais il n'est plus à former" in text
    assert "il demande une nouvelle version" not in text
