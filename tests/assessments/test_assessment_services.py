"""Block assessments: who may assess, the grid's checks, locking, corrections, concurrent edits."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cqp.accounts.enums import Role
from cqp.assessments import services
from cqp.assessments.models import BlockAssessment
from cqp.candidacies.enums import BlockStatus
from cqp.candidacies.models import CandidacyEvent
from tests.candidacies.factories import OrganisationFactory, UserFactory, member

from .assessment_helpers import assessor_of, candidacy_in_assessment, fill, first_block

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidacy():
    return candidacy_in_assessment()


@pytest.fixture
def assessor(candidacy):
    return assessor_of(candidacy)


def test_start_makes_one_result_per_criterion_of_the_block(candidacy, assessor):
    block = first_block(candidacy)
    assessment = services.assessment_start(candidacy=candidacy, block=block, by=assessor)
    assert assessment.state == "DRAFT" and assessment.version == 1
    assert sorted(assessment.results.values_list("criterion_id", flat=True)) == sorted(
        block.criteria.values_list("pk", flat=True)
    )
    assert CandidacyEvent.objects.filter(candidacy=candidacy, name="assessment_started", by=assessor).exists()
    with pytest.raises(ValidationError, match="déjà une évaluation"):
        services.assessment_start(candidacy=candidacy, block=block, by=assessor)


def test_only_an_assessor_of_the_assigned_centre_may_assess(candidacy):
    block = first_block(candidacy)
    other_centre = OrganisationFactory(assessment_centre=True)
    for user in (
        UserFactory(),
        member(UserFactory(), Role.ASSESSOR, organisation=other_centre),
        member(UserFactory(), Role.TRAINING_ORG, organisation=candidacy.training_org),
    ):
        with pytest.raises(PermissionDenied, match="Seul un évaluateur"):
            services.assessment_start(candidacy=candidacy, block=block, by=user)
    assert not BlockAssessment.objects.exists()


def test_a_centre_not_accredited_for_the_certification_may_not_assess(candidacy, assessor):
    candidacy.assessment_centre.accredited_certifications.clear()
    with pytest.raises(PermissionDenied, match="n'est pas habilité"):
        services.assessment_start(candidacy=candidacy, block=first_block(candidacy), by=assessor)


@pytest.mark.parametrize("link", ["employer", "training_org", "tutor"])
def test_an_assessor_linked_to_the_candidate_is_refused_with_the_reason(candidacy, assessor, link):
    if link == "tutor":
        candidacy.tutor = candidacy.employer.tutors.create(first_name="A", last_name="B", email=assessor.email.upper())
        candidacy.save(update_fields=["tutor"])
        expected = "vous êtes son tuteur"
    else:
        member(
            assessor, Role.EMPLOYER if link == "employer" else Role.TRAINING_ORG, organisation=getattr(candidacy, link)
        )
        expected = "entreprise qui emploie" if link == "employer" else "organisme qui forme"
    with pytest.raises(PermissionDenied, match=expected):
        services.assessment_start(candidacy=candidacy, block=first_block(candidacy), by=assessor)


def test_submit_locks_the_grid_and_leaves_the_block_status_to_the_jury(candidacy, assessor):
    block = first_block(candidacy)
    assessment = services.assessment_start(candidacy=candidacy, block=block, by=assessor)
    assessment = fill(assessment, assessor)
    submitted = services.assessment_submit(assessment=assessment, by=assessor)
    assert submitted.state == "SUBMITTED" and submitted.submitted_at is not None
    assert candidacy.blocks.get(block=block).status == BlockStatus.TO_ACQUIRE
    with pytest.raises(ValidationError, match="ne se modifie plus"):
        services.assessment_save(assessment=submitted, by=assessor, revision=submitted.revision, summary="x")
    with pytest.raises(ValidationError, match="déjà transmise"):
        services.assessment_submit(assessment=submitted, by=assessor)


def test_observations_are_required_for_unmet_and_mandatory_criteria(candidacy, assessor):
    assessment = services.assessment_start(candidacy=candidacy, block=first_block(candidacy), by=assessor)
    results = {}
    for r in assessment.results.select_related("criterion"):
        # Optional criteria met need no observation; everything else is left without one.
        results[r.criterion_id] = (not r.criterion.mandatory, "")
    assessment = fill(assessment, assessor, results=results, verdict="NOT_ACQUIRED")
    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(assessment=assessment, by=assessor)
    messages = refused.value.message_dict["results"]
    assert len(messages) == 2
    assert all("n'est pas satisfait : écrivez une observation" in m for m in messages)
    results = {r.criterion_id: (True, "" if r.criterion.mandatory else "") for r in assessment.results.all()}
    assessment = fill(BlockAssessment.objects.get(pk=assessment.pk), assessor, results=results, verdict="ACQUIRED")
    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(assessment=assessment, by=assessor)
    assert all("le référentiel d'évaluation l'exige" in m for m in refused.value.message_dict["results"])
    assert BlockAssessment.objects.get(pk=assessment.pk).state == "DRAFT"


def test_situation_date_declaration_and_answers_are_required(candidacy, assessor):
    assessment = services.assessment_start(candidacy=candidacy, block=first_block(candidacy), by=assessor)
    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(assessment=assessment, by=assessor)
    errors = refused.value.message_dict
    assert {"results", "situation", "assessed_on", "no_conflict_declared", "verdict"} <= set(errors)
    assert "Indiquez si le critère" in errors["results"][0]
    assessment = fill(assessment, assessor, assessed_on=date.today() + timedelta(days=1))
    with pytest.raises(ValidationError, match="dans le futur"):
        services.assessment_submit(assessment=assessment, by=assessor)


def test_an_inconsistent_verdict_is_refused_with_the_reason(candidacy, assessor):
    assessment = services.assessment_start(candidacy=candidacy, block=first_block(candidacy), by=assessor)
    mandatory = assessment.results.filter(criterion__mandatory=True).first()
    results = {r.criterion_id: (r.pk != mandatory.pk, "Vu.") for r in assessment.results.all()}
    assessment = fill(assessment, assessor, results=results, verdict="ACQUIRED")
    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(assessment=assessment, by=assessor)
    message = refused.value.message_dict["verdict"][0]
    assert "ne correspond pas à la grille" in message and "obligatoire" in message and "Non acquis" in message
    assessment = fill(BlockAssessment.objects.get(pk=assessment.pk), assessor, results=results, verdict="NOT_ACQUIRED")
    assert services.assessment_submit(assessment=assessment, by=assessor).verdict == "NOT_ACQUIRED"


def test_two_saves_from_the_same_revision_the_second_is_refused_and_nothing_is_lost(candidacy, assessor):
    colleague = assessor_of(candidacy)
    opened = services.assessment_start(candidacy=candidacy, block=first_block(candidacy), by=assessor)
    revision = opened.revision
    services.assessment_save(assessment=opened, by=assessor, revision=revision, summary="Version de la première")
    with pytest.raises(services.AssessmentConflict, match="Quelqu'un d'autre a modifié cette grille") as refused:
        services.assessment_save(assessment=opened, by=colleague, revision=revision, summary="Version du second")
    assert refused.value.current.summary == "Version de la première"
    stored = BlockAssessment.objects.get(pk=opened.pk)
    assert stored.summary == "Version de la première" and stored.revision == revision + 1
    # The second retries on the stored version: accepted.
    services.assessment_save(assessment=stored, by=colleague, revision=stored.revision, summary="Version du second")
    assert BlockAssessment.objects.get(pk=opened.pk).summary == "Version du second"


def test_a_correction_is_a_new_version_and_supersedes_the_old_once_submitted(candidacy, assessor):
    block = first_block(candidacy)
    first = services.assessment_submit(
        assessment=fill(services.assessment_start(candidacy=candidacy, block=block, by=assessor), assessor),
        by=assessor,
    )
    with pytest.raises(ValidationError, match="motif de la correction"):
        services.assessment_correct(assessment=first, by=assessor, reason="  ")
    correction = services.assessment_correct(assessment=first, by=assessor, reason="Date de l'évaluation erronée")
    assert (correction.version, correction.state, correction.supersedes_id) == (2, "DRAFT", first.pk)
    assert correction.results.count() == first.results.count()
    assert BlockAssessment.objects.get(pk=first.pk).state == "SUBMITTED"
    with pytest.raises(ValidationError, match="déjà en cours"):
        services.assessment_correct(assessment=first, by=assessor, reason="Encore")
    correction = fill(correction, assessor, assessed_on=date(2024, 6, 4))
    services.assessment_submit(assessment=correction, by=assessor)
    assert BlockAssessment.objects.get(pk=first.pk).state == "SUPERSEDED"
    assert BlockAssessment.objects.get(pk=first.pk).assessed_on == date(2024, 6, 3)
    event = CandidacyEvent.objects.get(candidacy=candidacy, name="assessment_correction")
    assert event.comment == "Date de l'évaluation erronée"


def test_evidence_is_one_of_the_candidacy_documents(candidacy, assessor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cqp.candidacies.services import document_upload

    assessment = services.assessment_start(candidacy=candidacy, block=first_block(candidacy), by=assessor)
    pdf = SimpleUploadedFile("grille.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    document = document_upload(candidacy=candidacy, by=assessor, kind="OTHER", uploaded_file=pdf)
    services.assessment_attach_evidence(assessment=assessment, by=assessor, document=document)
    assert list(assessment.evidence.values_list("document_id", flat=True)) == [document.pk]
    foreign = candidacy_in_assessment()
    other = document_upload(
        candidacy=foreign,
        by=assessor_of(foreign),
        kind="OTHER",
        uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    with pytest.raises(ValidationError, match="n'appartient pas"):
        services.assessment_attach_evidence(assessment=assessment, by=assessor, document=other)
