"""Concurrent deliveries and concurrent edits of a deliberation, on PostgreSQL (SQLite locks the whole
database, so these races cannot happen there)."""

import threading

import pytest
from django.db import connection

from cqp.awards import services as awards
from cqp.candidacies.enums import State
from cqp.juries import services
from cqp.juries.enums import MemberRole, Opinion
from cqp.juries.models import Deliberation
from tests.candidacies.factories import certification_with_blocks

from .factories import decided_session, jury_with_members, member_user, open_session, ready_candidacy, unanimous

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def at_once(calls):
    """Run each call in its own thread, all released together; each thread closes its connection.
    Returns the result or the exception of each call, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=60)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread met
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_twenty_deliveries_at_once_get_twenty_consecutive_numbers():
    session, candidacies, staff = decided_session(opinions=("AWARD",) * 20)
    outcomes = at_once([lambda c=c: awards.candidacy_deliver(candidacy=c, by=staff) for c in candidacies])
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert not errors, errors
    numbers = [o.award.number for o in outcomes]
    assert len(set(numbers)) == 20
    assert sorted(o.award.sequence for o in outcomes) == list(range(1, 21))
    certifier = session.jury.certifier
    assert sorted(numbers) == [awards.award_number_format(certifier, outcomes[0].award.year, n) for n in range(1, 21)]
    for candidacy in candidacies:
        candidacy.refresh_from_db()
        assert candidacy.state == State.DELIVERED


def test_two_members_saving_the_same_deliberation_at_once_one_wins_the_other_is_told():
    certification = certification_with_blocks()
    candidacy = ready_candidacy(certification)
    jury, staff = jury_with_members(certification)
    session = open_session(jury, staff, [candidacy])
    codes = list(candidacy.blocks.order_by("block__position").values_list("block__code", flat=True))
    first = services.deliberation_record(
        session=session, candidacy=candidacy, by=staff, validated_blocks=codes, votes=unanimous(session)
    )
    president = member_user(jury, MemberRole.PRESIDENT)
    vice = member_user(jury, MemberRole.VICE_PRESIDENT)
    inputs = {president.pk: codes[:1], vice.pk: codes[:2]}

    def amend(user):
        return services.deliberation_record(
            session=session,
            candidacy=candidacy,
            by=user,
            validated_blocks=inputs[user.pk],
            votes=unanimous(session),
            motivation=f"Motivation de {user.get_full_name()}",
            revision=first.revision,
        )

    outcomes = at_once([lambda: amend(president), lambda: amend(vice)])
    saved = [o for o in outcomes if isinstance(o, Deliberation)]
    conflicts = [o for o in outcomes if isinstance(o, services.DeliberationConflict)]
    assert len(saved) == 1 and len(conflicts) == 1, outcomes
    winner = saved[0]
    assert conflicts[0].current.revision == 2 and conflicts[0].current.recorded_by == winner.recorded_by
    stored = Deliberation.objects.get(session=session, candidacy=candidacy)
    assert stored.revision == 2 and stored.recorded_by == winner.recorded_by
    assert stored.opinion == Opinion.PARTIAL
    assert sorted(stored.blocks.filter(validated=True).values_list("block__code", flat=True)) == sorted(
        inputs[winner.recorded_by.pk]
    )
