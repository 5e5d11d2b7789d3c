"""Random walks through the workflow by random people: the invariants hold whatever the sequence.

- the state only changes through a transition allowed from it, on its path, to someone in its roles;
- every change leaves exactly one event with its name, from, to and by;
- a final state is never left (no transition lists it as a source);
- a refused transition changes nothing: neither the state nor the trail.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from cqp.accounts.enums import Role
from cqp.candidacies import services, workflow
from cqp.candidacies.enums import BlockStatus, State
from cqp.candidacies.models import CandidacyEvent

from .factories import (
    OrganisationFactory,
    UserFactory,
    admin_user,
    certification_with_blocks,
    certifier_staff,
    member,
    staffed_candidacy,
)

ACTORS = ["candidate", "employer", "training_org", "assessor", "certifier", "other_certifier", "stranger", "admin"]
ACTOR_ROLE = {
    "candidate": workflow.CANDIDATE,
    "employer": workflow.EMPLOYER,
    "training_org": workflow.TRAINING_ORG,
    "assessor": workflow.ASSESSOR,
    "certifier": workflow.CERTIFIER,
    "admin": workflow.ADMIN,
}


class CandidacyWalk(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each walk runs in its own transaction, rolled back at teardown.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.candidacy = None

    @initialize(path=st.sampled_from(["TRAINING", "VAE"]), blocks=st.integers(min_value=1, max_value=4))
    def create(self, path, blocks):
        self.candidacy = staffed_candidacy(path=path, certification=certification_with_blocks(blocks=blocks))
        c = self.candidacy
        self.users = {
            "candidate": c.candidate.user,
            "employer": member(UserFactory(), Role.EMPLOYER, organisation=c.employer),
            "training_org": member(
                UserFactory(), Role.TRAINING_ORG, organisation=c.training_org or OrganisationFactory(training_org=True)
            ),
            "assessor": member(UserFactory(), Role.ASSESSOR, organisation=c.assessment_centre),
            "certifier": certifier_staff(c.certifier),
            "other_certifier": certifier_staff(certification_with_blocks().certifiers.get()),
            "stranger": UserFactory(),
            "admin": admin_user(),
        }
        # The role each actor holds on this candidacy: a VAE candidacy has no training organisation.
        self.roles = {a: ACTOR_ROLE.get(a) for a in ACTORS}
        if path == "VAE":
            self.roles["training_org"] = None
        self.expected_events = 1  # "create"
        self.state = c.state

    def snapshot(self):
        self.candidacy.refresh_from_db()
        return self.candidacy.state, list(
            CandidacyEvent.objects.filter(candidacy=self.candidacy).values_list("pk", flat=True)
        )

    @precondition(lambda self: self.candidacy is not None)
    @rule(name=st.sampled_from(list(workflow.TRANSITIONS)), actor=st.sampled_from(ACTORS), comment=st.booleans())
    def apply(self, name, actor, comment):
        transition = workflow.TRANSITIONS[name]
        before_state, before_trail = self.snapshot()
        user = self.users[actor]
        try:
            services.candidacy_transition(
                candidacy=self.candidacy, name=name, by=user, comment="Motif" if comment else ""
            )
        except PermissionDenied:
            assert self.roles[actor] not in transition.roles
            outcome = "refused"
        except ValidationError:
            outcome = "refused"
        else:
            outcome = "moved"
        state, trail = self.snapshot()
        if outcome == "refused":
            assert (state, trail) == (before_state, before_trail)
            return
        assert self.roles[actor] in transition.roles
        assert before_state in transition.sources and before_state not in workflow.FINAL_STATES
        assert self.candidacy.path in transition.paths
        assert comment or not transition.comment_required
        assert state == transition.target
        [new] = CandidacyEvent.objects.filter(candidacy=self.candidacy).exclude(pk__in=before_trail)
        assert (new.name, new.from_state, new.to_state, new.by_id) == (name, before_state, state, user.pk)
        self.expected_events += 1
        self.state = state
        event(f"reached {state}")

    @precondition(lambda self: self.candidacy is not None)
    @rule(pick=st.integers(min_value=0, max_value=1000), comment=st.booleans())
    def progress(self, pick, comment):
        """A transition that is possible from here, by someone allowed to: walks go deep, not only astray."""
        possible = workflow.transitions_from(self.candidacy.state, self.candidacy.path)
        if not possible:
            return
        # Mostly forward: an ending (withdrawal, inadmissibility, closure) one time in ten.
        forward = [t for t in possible if t.target not in workflow.FINAL_STATES]
        if forward and pick % 10:
            possible = forward
        transition = possible[pick % len(possible)]
        actors = [a for a, r in self.roles.items() if r in transition.roles]
        self.apply(transition.name, actors[pick % len(actors)], comment)

    @precondition(lambda self: self.candidacy is not None and self.candidacy.state == State.SCHEDULED_FOR_JURY)
    @rule(results=st.lists(st.sampled_from([BlockStatus.ACQUIRED, BlockStatus.NOT_ACQUIRED]), min_size=4, max_size=4))
    def jury_results(self, results):
        # Block results belong to the jury steps of a later issue: set them as the jury would.
        for block, status in zip(self.candidacy.blocks.exclude(status=BlockStatus.EXEMPTED), results, strict=False):
            block.status = status
            block.save(update_fields=["status"])

    @invariant()
    def the_trail_follows_the_state(self):
        if self.candidacy is None:
            return
        state, trail = self.snapshot()
        assert state == self.state and state in State.values
        assert len(trail) == self.expected_events
        last = CandidacyEvent.objects.filter(candidacy=self.candidacy).exclude(to_state="").last()
        assert last.to_state == state

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_random_walks_keep_the_invariants():
    run_state_machine_as_test(
        CandidacyWalk,
        settings=settings(
            max_examples=30,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_final_states_have_no_way_out():
    for transition in workflow.TRANSITIONS.values():
        assert not transition.sources & workflow.FINAL_STATES
    assert workflow.FINAL_STATES | workflow.OPEN_STATES | {State.DECIDED, State.DELIVERED} == set(State.values)
