"""After a partial opinion the candidacy goes on for the missing blocks only; validated blocks are kept."""

import pytest
from django.core.exceptions import ValidationError

from cqp.accounts.enums import Role
from cqp.assessments import services as assessments
from cqp.assessments.enums import PlanStatus
from cqp.assessments.models import BlockAssessment
from cqp.assessments.selectors import readiness_for_jury
from cqp.awards import services as awards
from cqp.awards.enums import AwardKind
from cqp.candidacies import services as candidacies
from cqp.candidacies.enums import BlockStatus, State
from cqp.juries import services as juries
from cqp.juries.enums import Opinion
from tests.candidacies.factories import UserFactory, assess_every_block, member, propose_and_accept_plan

from .factories import deliberate, jury_with_members, open_session, sign

pytestmark = pytest.mark.django_db


def test_a_partial_opinion_leads_to_a_second_round_on_the_missing_blocks_only():
    from .factories import decided_candidacy

    candidacy, session, staff = decided_candidacy(opinion="PARTIAL")
    first, *others = list(candidacy.blocks.order_by("block__position").select_related("block"))
    [result] = awards.session_deliver(session=session, by=staff)
    assert result.award.kind == AwardKind.BLOCK_ATTESTATION
    assert list(result.award.blocks.values_list("code", flat=True)) == [first.block.code]
    candidacy.refresh_from_db()
    assert candidacy.state == State.ADMISSIBLE

    # The first plan was followed to its end before the assessments (written on the model: the
    # factory's route does not declare the progress of each module).
    first_plan = candidacy.training_plans.exclude(status=PlanStatus.SUPERSEDED).get()
    first_plan.status = PlanStatus.COMPLETED
    first_plan.save(update_fields=["status"])

    # The training organisation positions the missing blocks only.
    by = member(UserFactory(), Role.TRAINING_ORG, organisation=candidacy.training_org)
    assessments.positioning_record(
        candidacy=candidacy,
        by=by,
        results={row.block.code: ("TO_ACQUIRE", "À reprendre.") for row in others},
        revision_reason="Suite de parcours après l'avis partiel du jury.",
    )
    positioned = candidacy.positionings.get(is_current=True).results.values_list("block__code", flat=True)
    assert sorted(positioned) == sorted(row.block.code for row in others)
    plan = propose_and_accept_plan(candidacy, by=by)
    first_plan.refresh_from_db()
    assert first_plan.status == PlanStatus.COMPLETED and plan.version == first_plan.version + 1
    assessments.training_plan_start(plan=plan, by=by)
    candidacy = candidacies.candidacy_transition(candidacy=candidacy, name="start_assessment", by=by)

    # The validated block is never assessed again; the others need a new assessment.
    ready, missing = readiness_for_jury(candidacy)
    assert not ready and len(missing) == len(others)
    assert not any(first.block.code in reason for reason in missing)
    assessor = assess_every_block(candidacy)
    with pytest.raises(ValidationError, match="déjà validé"):
        assessments.assessment_start(candidacy=candidacy, block=first.block, by=assessor)
    assert readiness_for_jury(candidacy) == (True, [])
    versions = BlockAssessment.objects.filter(candidacy=candidacy, block=others[0].block).values_list(
        "version", "judged"
    )
    assert sorted(versions) == [(1, True), (2, False)]
    candidacy = candidacies.candidacy_transition(candidacy=candidacy, name="mark_ready_for_jury", by=staff)

    # The second session decides the missing blocks; the opinion counts the capitalised one.
    jury = session.jury
    second = open_session(jury, staff, [candidacy])
    assert [b.block.code for b in juries.deliberated_blocks(candidacy)] == [row.block.code for row in others]
    deliberation = deliberate(second, candidacy, by=staff, validated=[row.block.code for row in others])
    assert deliberation.opinion == Opinion.AWARD
    sign(second)
    [final] = awards.session_deliver(session=second, by=staff)
    assert final.award.kind == AwardKind.CERTIFICATE
    assert final.award.blocks.count() == 1 + len(others)
    candidacy.refresh_from_db()
    assert candidacy.state == State.DELIVERED
    assert set(candidacy.blocks.values_list("status", flat=True)) == {BlockStatus.ACQUIRED}


def test_the_same_jury_can_hold_a_second_session(django_capture_on_commit_callbacks):
    """A jury is reused across sessions (the factory builds one per candidacy; here two share it)."""
    from .factories import ready_candidacy

    first = ready_candidacy()
    second = ready_candidacy(certification=first.certification)
    jury, staff = jury_with_members(first.certification)
    session = open_session(jury, staff, [first, second])
    deliberate(session, first, by=staff)
    sign(session)
    second.refresh_from_db()
    assert second.state == State.READY_FOR_JURY  # postponed: no deliberation in that session
