"""The individual training plan: only what remains, coherent dates, acceptances, start and progress."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cqp.assessments import selectors, services
from cqp.assessments.enums import PlanStatus
from cqp.assessments.models import TrainingPlan
from cqp.candidacies.enums import State
from cqp.candidacies.models import CandidacyEvent
from tests.candidacies.factories import TutorFactory

from .training_helpers import admissible, codes, module, people, position, propose

pytestmark = pytest.mark.django_db


def positioned(*, funding="PLAN", blocks=2, results=("ACQUIRED", "TO_ACQUIRE"), **kwargs):
    candidacy = admissible(blocks=blocks, funding=funding, **kwargs)
    who = people(candidacy)
    position(candidacy, who["training_org"], *results)
    candidacy.refresh_from_db()
    return candidacy, who


def messages_of(error):
    return " ".join(error.value.messages)


def test_the_plan_covers_only_the_remaining_block():
    candidacy, who = positioned()
    first, second = codes(candidacy)

    plan = propose(candidacy, who["training_org"], [second])

    assert (plan.version, plan.status, plan.funding) == (1, PlanStatus.PROPOSED, "PLAN")
    assert plan.training_org_id == candidacy.training_org_id
    assert [m.block.code for m in plan.modules.all()] == [second]
    event = CandidacyEvent.objects.filter(candidacy=candidacy, name="training_plan").get()
    assert event.data["blocks"] == [second] and event.data["hours"] == 35


def test_a_module_for_a_block_that_does_not_remain_is_refused_with_the_reason():
    candidacy, who = positioned()
    first, second = codes(candidacy)
    with pytest.raises(ValidationError) as refused:
        propose(candidacy, who["training_org"], [first, second])
    assert f"le bloc {first} ne reste pas à former" in messages_of(refused)
    assert not TrainingPlan.objects.exists()


def test_a_remaining_block_without_a_module_is_refused():
    candidacy, who = positioned(blocks=3, results=("TO_ACQUIRE", "TO_ACQUIRE", "ACQUIRED"))
    first, second, _third = codes(candidacy)
    with pytest.raises(ValidationError) as refused:
        propose(candidacy, who["training_org"], [first])
    assert f"il manque : {second}" in messages_of(refused)


def test_dates_must_be_coherent():
    candidacy, who = positioned()
    second = codes(candidacy)[1]
    org = who["training_org"]
    with pytest.raises(ValidationError) as backwards:
        propose(candidacy, org, [second], start=date(2027, 6, 30), end=date(2027, 1, 4))
    assert "La fin du parcours doit venir après son début." in messages_of(backwards)
    outside = module(second, start=date(2026, 12, 1), end=date(2027, 1, 10))
    with pytest.raises(ValidationError) as out:
        services.training_plan_propose(
            candidacy=candidacy,
            by=org,
            modules=[outside],
            start=date(2027, 1, 4),
            end=date(2027, 6, 30),
            funding="PLAN",
        )
    assert "doivent tenir dans celles du parcours" in messages_of(out)
    reversed_module = module(second, start=date(2027, 3, 1), end=date(2027, 2, 1))
    with pytest.raises(ValidationError) as rev:
        services.training_plan_propose(
            candidacy=candidacy,
            by=org,
            modules=[reversed_module],
            start=date(2027, 1, 4),
            end=date(2027, 6, 30),
            funding="PLAN",
        )
    assert "la fin doit venir après le début" in messages_of(rev)
    with pytest.raises(ValidationError) as hours:
        services.training_plan_propose(
            candidacy=candidacy,
            by=org,
            modules=[module(second, hours=0)],
            start=date(2027, 1, 4),
            end=date(2027, 6, 30),
            funding="PLAN",
        )
    assert "en heures" in messages_of(hours)
    assert not TrainingPlan.objects.exists()


def test_work_study_needs_a_tutor_of_the_employer():
    candidacy, who = positioned(funding="CONTRAT_PRO", situation="JOB_SEEKER")
    second = codes(candidacy)[1]
    org = who["training_org"]
    with pytest.raises(ValidationError) as no_tutor:
        propose(candidacy, org, [second], funding="CONTRAT_PRO")
    assert "demandent un tuteur" in messages_of(no_tutor)
    with pytest.raises(ValidationError) as foreign:
        propose(candidacy, org, [second], funding="PRO_A", tutor=TutorFactory())
    assert "Le tuteur doit appartenir à l'entreprise du candidat." in messages_of(foreign)
    plan = propose(candidacy, org, [second], funding="CONTRAT_PRO", tutor=candidacy.tutor)
    assert plan.tutor == candidacy.tutor


def test_a_new_proposal_supersedes_the_previous_plan():
    candidacy, who = positioned()
    second = codes(candidacy)[1]
    first_plan = propose(candidacy, who["training_org"], [second])
    second_plan = propose(candidacy, who["training_org"], [second])

    first_plan.refresh_from_db()
    assert first_plan.status == PlanStatus.SUPERSEDED
    assert (second_plan.version, second_plan.status) == (2, PlanStatus.PROPOSED)
    assert selectors.training_plan_current(candidacy).pk == second_plan.pk
    assert [p.version for p in selectors.training_plan_history(candidacy)] == [2, 1]


@pytest.mark.parametrize("role", ["candidate", "employer", "assessor", "certifier"])
def test_only_the_training_org_proposes(role):
    candidacy, who = positioned()
    with pytest.raises(PermissionDenied):
        propose(candidacy, who[role], [codes(candidacy)[1]])


def test_no_plan_before_the_positioning():
    candidacy = admissible(blocks=1)
    with pytest.raises(ValidationError) as early:
        propose(candidacy, people(candidacy)["training_org"], [codes(candidacy)[0]])
    assert "après le positionnement" in messages_of(early)


def test_the_candidate_alone_accepts_when_the_employer_does_not_pay():
    candidacy, who = positioned(funding="CPF", employer=None)
    plan = propose(candidacy, who["training_org"], [codes(candidacy)[1]], funding="CPF")
    assert selectors.training_plan_required_acceptances(plan) == {"candidate"}
    with pytest.raises(PermissionDenied):
        services.training_plan_accept(plan=plan, by=who["training_org"])

    plan = services.training_plan_accept(plan=plan, by=who["candidate"])
    assert plan.status == PlanStatus.ACCEPTED and plan.accepted_by_candidate_at is not None
    with pytest.raises(ValidationError):
        services.training_plan_accept(plan=plan, by=who["candidate"])


def test_the_employer_accepts_too_when_it_pays():
    candidacy, who = positioned(funding="PLAN")
    plan = propose(candidacy, who["training_org"], [codes(candidacy)[1]])
    assert selectors.training_plan_required_acceptances(plan) == {"candidate", "employer"}

    plan = services.training_plan_accept(plan=plan, by=who["candidate"])
    assert plan.status == PlanStatus.PROPOSED
    assert selectors.training_plan_pending_acceptances(plan) == {"employer"}
    with pytest.raises(ValidationError) as twice:
        services.training_plan_accept(plan=plan, by=who["candidate"])
    assert "déjà accepté" in messages_of(twice)
    plan = services.training_plan_accept(plan=plan, by=who["employer"])
    assert plan.status == PlanStatus.ACCEPTED
    assert CandidacyEvent.objects.filter(candidacy=candidacy, name="training_plan_accept").count() == 2


def test_a_superseded_plan_cannot_be_accepted():
    candidacy, who = positioned()
    old = propose(candidacy, who["training_org"], [codes(candidacy)[1]])
    propose(candidacy, who["training_org"], [codes(candidacy)[1]])
    old.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.training_plan_accept(plan=old, by=who["candidate"])
    assert "n'attend plus d'acceptation" in messages_of(refused)


def accepted(**kwargs):
    candidacy, who = positioned(**kwargs)
    plan = propose(candidacy, who["training_org"], [codes(candidacy)[1]])
    services.training_plan_accept(plan=plan, by=who["candidate"])
    plan = services.training_plan_accept(plan=plan, by=who["employer"])
    return candidacy, who, plan


def test_the_training_org_starts_an_accepted_plan():
    candidacy, who = positioned()
    plan = propose(candidacy, who["training_org"], [codes(candidacy)[1]])
    with pytest.raises(ValidationError) as not_yet:
        services.training_plan_start(plan=plan, by=who["training_org"])
    assert "Seul un parcours accepté commence" in messages_of(not_yet)
    services.training_plan_accept(plan=plan, by=who["candidate"])
    plan = services.training_plan_accept(plan=plan, by=who["employer"])
    with pytest.raises(PermissionDenied):
        services.training_plan_start(plan=plan, by=who["candidate"])

    plan = services.training_plan_start(plan=plan, by=who["training_org"])

    candidacy.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS
    assert candidacy.state == State.IN_TRAINING


def test_progress_is_bounded_and_completes_the_plan():
    candidacy, who, plan = accepted()
    org = who["training_org"]
    the_module = plan.modules.get()
    with pytest.raises(ValidationError) as before_start:
        services.training_module_progress(module=the_module, by=org, hours_attended=10)
    assert "pendant la formation" in messages_of(before_start)
    services.training_plan_start(plan=plan, by=org)

    with pytest.raises(ValidationError) as too_many:
        services.training_module_progress(module=the_module, by=org, hours_attended=36)
    assert "de 0 à 35" in messages_of(too_many)
    with pytest.raises(ValidationError) as future:
        services.training_module_progress(
            module=the_module, by=org, hours_attended=35, completed_on=timezone.localdate() + timedelta(days=1)
        )
    assert "dans le futur" in messages_of(future)
    with pytest.raises(PermissionDenied):
        services.training_module_progress(module=the_module, by=who["candidate"], hours_attended=10)

    services.training_module_progress(module=the_module, by=org, hours_attended=20)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS
    the_module = services.training_module_progress(
        module=the_module, by=org, hours_attended=35, completed_on=timezone.localdate()
    )
    plan.refresh_from_db()
    assert (the_module.hours_attended, plan.status) == (35, PlanStatus.COMPLETED)
    assert plan.completed_at is not None
    names = list(CandidacyEvent.objects.filter(candidacy=candidacy).values_list("name", flat=True))
    assert names[-3:] == ["training_progress", "training_progress", "training_plan_complete"]
