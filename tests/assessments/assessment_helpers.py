"""A candidacy in assessment whose blocks have criteria, and an assessor of its accredited centre."""

from datetime import date

from cqp.accounts.enums import Role
from cqp.assessments import services
from tests.candidacies.factories import UserFactory, candidacy_in_state, certification_with_blocks, member
from tests.catalogue.factories import EvaluationCriterionFactory

ASSESSED_ON = date(2024, 6, 3)


def candidacy_in_assessment(*, blocks=2, threshold=50, path="TRAINING"):
    """Each block: two mandatory criteria and two optional ones; the branch asks half the optional ones."""
    certification = certification_with_blocks(blocks=blocks, optional_criteria_threshold=threshold)
    for block in certification.blocks.all():
        for position in range(1, 5):
            EvaluationCriterionFactory(block=block, position=position, mandatory=position <= 2)
    return candidacy_in_state("IN_ASSESSMENT", path=path, certification=certification)


def assessor_of(candidacy, **kwargs):
    return member(UserFactory(**kwargs), Role.ASSESSOR, organisation=candidacy.assessment_centre)


def first_block(candidacy):
    return candidacy.blocks.order_by("block__position").first().block


def fill(assessment, by, *, met=True, verdict="ACQUIRED", **overrides):
    """Save a complete grid: every criterion answered `met`, with observations."""
    values = {
        "situation": "WORKPLACE",
        "assessed_on": ASSESSED_ON,
        "results": {r.criterion_id: (met, "Observé sur le poste.") for r in assessment.results.all()},
        "verdict": verdict,
        "summary": "Le candidat maîtrise le bloc.",
        "no_conflict_declared": True,
    }
    values.update(overrides)
    return services.assessment_save(assessment=assessment, by=by, revision=assessment.revision, **values)
