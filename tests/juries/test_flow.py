"""The jury from agenda to delivery, by the real services."""

import pytest
from django.core import mail

from cqp.awards import services as awards
from cqp.awards.models import Award
from cqp.candidacies.enums import BlockStatus, State
from cqp.juries.enums import Opinion, SessionState
from cqp.juries.models import JuryMinutes

from .factories import decided_candidacy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("opinion", "state_after"),
    [("AWARD", State.DELIVERED), ("PARTIAL", State.ADMISSIBLE), ("REFUSAL", State.DECIDED)],
)
def test_signed_opinion_is_delivered(opinion, state_after, django_capture_on_commit_callbacks):
    candidacy, session, staff = decided_candidacy(opinion=opinion)
    assert session.state == SessionState.SIGNED
    assert candidacy.state == State.DECIDED
    minutes = JuryMinutes.objects.get(session=session)
    assert minutes.pdf.read().startswith(b"%PDF")
    statuses = list(candidacy.blocks.order_by("block__position").values_list("status", flat=True))
    if opinion == Opinion.AWARD:
        assert set(statuses) == {BlockStatus.ACQUIRED}
    elif opinion == Opinion.PARTIAL:
        assert statuses[0] == BlockStatus.ACQUIRED and set(statuses[1:]) == {BlockStatus.NOT_ACQUIRED}
    else:
        assert set(statuses) == {BlockStatus.NOT_ACQUIRED}

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        results = awards.session_deliver(session=session, by=staff)
    again = awards.session_deliver(session=session, by=staff)
    candidacy.refresh_from_db()
    assert candidacy.state == state_after
    assert [r.already for r in again] == [True]
    if opinion == Opinion.REFUSAL:
        assert results[0].award is None
        assert Award.objects.count() == 0
        told = [m for m in mail.outbox if candidacy.candidate.user.email in m.to]
        assert told and "Et ensuite" in told[0].body and "maîtrise des autres blocs" in told[0].body
    else:
        award = results[0].award
        assert Award.objects.count() == 1
        assert award.sequence == 1 and award.number.endswith("-000001")
        assert again[0].award == award
        expected_blocks = 3 if opinion == Opinion.AWARD else 1
        assert award.blocks.count() == expected_blocks
