"""Ready for the jury: every targeted block has a submitted assessment or an exemption; the guard says
what is missing."""

import pytest
from django.core.exceptions import ValidationError

from cqp.assessments import services
from cqp.assessments.selectors import readiness_for_jury
from cqp.candidacies.enums import BlockStatus
from cqp.candidacies.services import candidacy_transition
from tests.candidacies.factories import admin_user, certifier_staff

from .assessment_helpers import assessor_of, candidacy_in_assessment, fill

pytestmark = pytest.mark.django_db


def blocks_of(candidacy):
    return [row.block for row in candidacy.blocks.select_related("block").order_by("block__position")]


def test_readiness_lists_each_missing_block_and_the_guard_refuses():
    candidacy = candidacy_in_assessment(blocks=3)
    assessor = assessor_of(candidacy)
    first, second, third = blocks_of(candidacy)
    services.assessment_submit(
        assessment=fill(services.assessment_start(candidacy=candidacy, block=first, by=assessor), assessor), by=assessor
    )
    services.assessment_start(candidacy=candidacy, block=second, by=assessor)
    ready, missing = readiness_for_jury(candidacy)
    assert not ready
    assert missing == [
        f"{second.code} — {second.title} : évaluation en cours de saisie, pas encore transmise.",
        f"{third.code} — {third.title} : pas encore d'évaluation.",
    ]
    staff = certifier_staff(candidacy.certifier)
    with pytest.raises(ValidationError) as refused:
        candidacy_transition(candidacy=candidacy, name="mark_ready_for_jury", by=staff)
    assert refused.value.messages == missing
    candidacy.refresh_from_db()
    assert candidacy.state == "IN_ASSESSMENT"


def test_exempted_blocks_count_as_done_and_a_pending_correction_does_not():
    candidacy = candidacy_in_assessment(blocks=2)
    assessor = assessor_of(candidacy)
    first, second = blocks_of(candidacy)
    candidacy.blocks.filter(block=second).update(status=BlockStatus.EXEMPTED)
    submitted = services.assessment_submit(
        assessment=fill(services.assessment_start(candidacy=candidacy, block=first, by=assessor), assessor), by=assessor
    )
    assert readiness_for_jury(candidacy) == (True, [])
    correction = services.assessment_correct(assessment=submitted, by=assessor, reason="Observation incomplète")
    ready, missing = readiness_for_jury(candidacy)
    assert not ready and "correction" in missing[0]
    services.assessment_submit(assessment=fill(correction, assessor), by=assessor)
    assert readiness_for_jury(candidacy) == (True, [])
    moved = candidacy_transition(candidacy=candidacy, name="mark_ready_for_jury", by=admin_user())
    assert moved.state == "READY_FOR_JURY"


def test_a_not_acquired_verdict_still_goes_to_the_jury():
    candidacy = candidacy_in_assessment(blocks=1)
    assessor = assessor_of(candidacy)
    (block,) = blocks_of(candidacy)
    assessment = services.assessment_start(candidacy=candidacy, block=block, by=assessor)
    results = {r.criterion_id: (False, "Non observé.") for r in assessment.results.all()}
    services.assessment_submit(
        assessment=fill(assessment, assessor, results=results, verdict="NOT_ACQUIRED"), by=assessor
    )
    assert readiness_for_jury(candidacy) == (True, [])
