"""`load_demo`: positioning, training plans, block assessments and VAE files, made by the person whose role it is."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from cqp.accounts.models import User
from cqp.assessments.enums import AssessmentState, EligibilityState, PlanStatus, PositioningResult
from cqp.assessments.models import (
    BlockAssessment,
    Positioning,
    PositioningBlock,
    TrainingModule,
    TrainingPlan,
    VaeDossierEntry,
    VaeEligibility,
)
from cqp.candidacies.enums import BlockStatus, Path, State
from cqp.candidacies.models import Candidacy, CandidacyEvent, Document, ExperiencePeriod
from cqp.catalogue.models import Block

pytestmark = pytest.mark.django_db

AFTER_JURY = [State.READY_FOR_JURY, State.SCHEDULED_FOR_JURY, State.DECIDED, State.DELIVERED, State.CLOSED]
IN_TRAINING_AND_BEYOND = [State.IN_TRAINING, State.IN_ASSESSMENT, *AFTER_JURY]
VAE_ADMISSIBLE_AND_BEYOND = [State.ADMISSIBLE, State.DOSSIER_SUBMITTED, State.IN_ASSESSMENT, *AFTER_JURY]


@pytest.fixture(scope="module")
def output(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, inside a transaction rolled back at its end; each test runs in
    a savepoint of it, so the tests see the demo and leave it as they found it."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def targeted(candidacy):
    return set(candidacy.blocks.exclude(status=BlockStatus.EXEMPTED).values_list("block_id", flat=True))


def test_every_block_of_a_demo_candidacy_certification_has_mandatory_criteria(output):
    blocks = Block.objects.filter(certification__in=Candidacy.objects.values("certification"))
    assert blocks
    for block in blocks:
        assert block.criteria.filter(mandatory=True).exists(), block


def test_training_candidacies_are_positioned_by_the_training_organisation(output):
    trainer = User.objects.get(email="formation@cqp.example")
    positioned = Candidacy.objects.filter(path=Path.TRAINING, state__in=[State.POSITIONED, *IN_TRAINING_AND_BEYOND])
    assert positioned.count() >= 8
    for candidacy in positioned:
        current = candidacy.positionings.get(is_current=True)
        assert current.by == trainer
        assert set(current.results.values_list("block_id", flat=True)) == targeted(candidacy)
    assert PositioningBlock.objects.filter(result=PositioningResult.ACQUIRED).exists()
    revised = Positioning.objects.get(version=2)
    assert revised.revision_reason and revised.candidacy.positionings.filter(version=1, is_current=False).exists()


def test_training_plans_are_accepted_started_and_followed(output):
    trainer = User.objects.get(email="formation@cqp.example")
    training = Candidacy.objects.filter(path=Path.TRAINING, state__in=IN_TRAINING_AND_BEYOND)
    assert training.count() >= 7
    for candidacy in training:
        plan = candidacy.training_plans.exclude(status=PlanStatus.SUPERSEDED).get()
        assert plan.created_by == trainer
        assert plan.accepted_by_candidate_at is not None
        assert plan.status in (PlanStatus.IN_PROGRESS, PlanStatus.COMPLETED)
        assert plan.modules.exists() and plan.modules.filter(hours_attended__gt=0).exists()
    # The demo candidate's own plan, still running, was accepted by her employer too.
    own = Candidacy.objects.get(candidate__user__email="candidat@cqp.example", state=State.IN_TRAINING)
    plan = own.training_plans.get()
    assert plan.status == PlanStatus.IN_PROGRESS and plan.accepted_by_employer_at is not None
    assert CandidacyEvent.objects.filter(candidacy=own, name="training_progress").exists()


def test_assessments_follow_the_state(output):
    assessor = User.objects.get(email="evaluateur@cqp.example")
    assert set(BlockAssessment.objects.values_list("assessor", flat=True)) == {assessor.pk}
    in_assessment = Candidacy.objects.filter(state=State.IN_ASSESSMENT)
    assert in_assessment
    for candidacy in in_assessment:
        states = set(candidacy.assessments.values_list("state", flat=True))
        assert AssessmentState.SUBMITTED in states, candidacy
        if len(targeted(candidacy)) > 1:
            assert AssessmentState.DRAFT in states, candidacy
    for candidacy in Candidacy.objects.filter(state__in=AFTER_JURY):
        submitted = set(
            candidacy.assessments.filter(state=AssessmentState.SUBMITTED).values_list("block_id", flat=True)
        )
        assert submitted == targeted(candidacy), candidacy
    correction = BlockAssessment.objects.get(version=2)
    assert correction.state == AssessmentState.SUBMITTED and correction.correction_reason
    assert correction.supersedes.state == AssessmentState.SUPERSEDED


def test_vae_files_follow_the_state(output):
    vae = Candidacy.objects.filter(path=Path.VAE)
    for candidacy in vae.filter(state=State.SUBMITTED):
        assert ExperiencePeriod.objects.filter(candidacy=candidacy).exists()
        assert candidacy.documents.exists()
        assert candidacy.vae_eligibilities.order_by("-version").first().state == EligibilityState.SUBMITTED
    incomplete = VaeEligibility.objects.get(state=EligibilityState.INCOMPLETE)
    assert incomplete.reasons
    assert incomplete.candidacy.vae_eligibilities.filter(version=2, state=EligibilityState.SUBMITTED).exists()
    assert incomplete.candidacy.experience_periods.count() == 2
    for candidacy in vae.filter(state__in=VAE_ADMISSIBLE_AND_BEYOND):
        assert candidacy.vae_eligibilities.order_by("-version").first().state == EligibilityState.ADMISSIBLE
    after_dossier = vae.filter(state__in=VAE_ADMISSIBLE_AND_BEYOND).exclude(state=State.ADMISSIBLE)
    assert after_dossier.count() >= 7
    for candidacy in after_dossier:
        assert set(candidacy.vae_dossier.values_list("block_id", flat=True)) == targeted(candidacy)
    for candidacy in vae.filter(state=State.INADMISSIBLE):
        assert candidacy.vae_eligibilities.get().state == EligibilityState.INADMISSIBLE


def test_a_second_run_adds_no_positioning_plan_assessment_or_vae_file(output):
    models = (
        Positioning,
        PositioningBlock,
        TrainingPlan,
        TrainingModule,
        BlockAssessment,
        VaeEligibility,
        VaeDossierEntry,
        Document,
        User,
    )
    first = {model.__name__: model.objects.count() for model in models}
    assert "positionnements" in output and "plans de formation" in output and "dossiers de recevabilité" in output
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert {model.__name__: model.objects.count() for model in models} == first
    assert f"{first['Positioning']} positionnements" in out.getvalue()
