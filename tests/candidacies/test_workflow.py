"""Every transition, from every state, by every role relative to the candidacy: allowed or refused, and a
refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqp.accounts.enums import Role
from cqp.candidacies import services, workflow
from cqp.candidacies.enums import BlockStatus, State
from cqp.candidacies.models import Candidacy, CandidacyEvent
from cqp.candidacies.selectors import actor_roles, available_transitions, candidacies_visible_to
from tests.juries import factories as jury_factories

from .factories import (
    UserFactory,
    admin_user,
    assess_every_block,
    candidacy_in_state,
    certification_with_blocks,
    certifier_staff,
    describe_vae_dossier,
    member,
    positioning_in_force,
    propose_and_accept_plan,
    route_to,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "candidate",
    "employer",
    "training_org",
    "assessor",
    "certifier_staff",
    "other_certifier_staff",
    "stranger",
    "platform_admin",
]
# The workflow's actor for each role of the test; None: no role on this candidacy.
WORKFLOW_ROLE = {
    "candidate": workflow.CANDIDATE,
    "employer": workflow.EMPLOYER,
    "training_org": workflow.TRAINING_ORG,
    "assessor": workflow.ASSESSOR,
    "certifier_staff": workflow.CERTIFIER,
    "other_certifier_staff": None,
    "stranger": None,
    "platform_admin": workflow.ADMIN,
}


def user_in_role(role, candidacy):
    if role == "candidate":
        return candidacy.candidate.user
    if role == "employer":
        return member(UserFactory(), Role.EMPLOYER, organisation=candidacy.employer)
    if role == "training_org":
        return member(UserFactory(), Role.TRAINING_ORG, organisation=candidacy.training_org)
    if role == "assessor":
        return member(UserFactory(), Role.ASSESSOR, organisation=candidacy.assessment_centre)
    if role == "certifier_staff":
        return certifier_staff(candidacy.certifier)
    if role == "other_certifier_staff":
        return certifier_staff(certification_with_blocks().certifiers.get())
    if role == "stranger":
        return UserFactory()
    return admin_user()


def trail(candidacy):
    return list(CandidacyEvent.objects.filter(candidacy=candidacy).values_list("pk", flat=True))


def ready_for(transition):
    """A candidacy in the first source state of the transition, on a path it applies to, guards met."""
    path = sorted(transition.paths)[0]
    source = next(s for s in State.values if s in transition.sources and _reachable(s, path))
    candidacy = candidacy_in_state(source, path=path)
    if "ready_for_jury" in transition.guards:
        assess_every_block(candidacy)
    if "has_positioning" in transition.guards:
        positioning_in_force(candidacy)
    if "has_accepted_plan" in transition.guards:
        propose_and_accept_plan(candidacy, by=admin_user())
    if "vae_dossier_complete" in transition.guards:
        describe_vae_dossier(candidacy, by=admin_user())
    if "on_jury_agenda" in transition.guards:
        jury_factories.agenda_in_force(candidacy)
    if "off_jury_agenda" in transition.guards:
        candidacy.agenda_items.all().delete()
    if "jury_decision_signed" in transition.guards and candidacy.state == State.SCHEDULED_FOR_JURY:
        jury_factories.signed_deliberation_in_force(candidacy)
    if "award_numbered" in transition.guards:
        jury_factories.award_in_force(candidacy)
    return candidacy


def _reachable(state, path):
    try:
        route_to(state, path)
    except KeyError:
        return False
    return True


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(workflow.TRANSITIONS))
def test_each_transition_by_each_role(name, role):
    transition = workflow.TRANSITIONS[name]
    candidacy = ready_for(transition)
    user = user_in_role(role, candidacy)
    before_state, before_trail = candidacy.state, trail(candidacy)
    comment = "Motif donné" if transition.comment_required else ""
    allowed = WORKFLOW_ROLE[role] in transition.roles

    assert (name in [t.name for t in available_transitions(user, candidacy)]) is allowed
    if allowed:
        moved = services.candidacy_transition(candidacy=candidacy, name=name, by=user, comment=comment)
        assert moved.state == transition.target
        event = CandidacyEvent.objects.filter(candidacy=candidacy).exclude(pk__in=before_trail).get()
        assert (event.name, event.from_state, event.to_state, event.by) == (name, before_state, moved.state, user)
        assert event.comment == comment
    else:
        with pytest.raises(PermissionDenied):
            services.candidacy_transition(candidacy=candidacy, name=name, by=user, comment=comment)
        candidacy.refresh_from_db()
        assert candidacy.state == before_state
        assert trail(candidacy) == before_trail


@pytest.mark.parametrize(
    ("state", "path"), [(s, p) for p in ("TRAINING", "VAE") for s in State.values if _reachable(s, p)]
)
def test_no_transition_leaves_a_state_it_does_not_list(state, path):
    candidacy = candidacy_in_state(state, path=path)
    admin = admin_user()
    before_trail = trail(candidacy)
    for name, transition in workflow.TRANSITIONS.items():
        if state in transition.sources and path in transition.paths:
            continue
        with pytest.raises(ValidationError) as refused:
            services.candidacy_transition(candidacy=candidacy, name=name, by=admin, comment="Motif")
        assert "n'est pas possible" in str(refused.value) or "ne s'applique pas" in str(refused.value)
    candidacy.refresh_from_db()
    assert candidacy.state == state
    assert trail(candidacy) == before_trail
    if state in workflow.FINAL_STATES:
        assert available_transitions(admin, candidacy) == []


def test_every_state_is_reached_and_every_transition_is_walked():
    walked = {
        name
        for path in ("TRAINING", "VAE")
        for state in State.values
        if _reachable(state, path)
        for name in route_to(state, path)
    }
    walked |= {"reopen"}  # walked by test_reopen_after_a_partial_decision
    # Walked by the jury's own tests (tests/juries): a candidacy taken off the agenda, a corrected decision.
    walked |= {"unschedule_from_jury", "record_corrected_decision"}
    assert walked == set(workflow.TRANSITIONS)
    reached = {s for path in ("TRAINING", "VAE") for s in State.values if _reachable(s, path)}
    assert reached == set(State.values)


def test_an_unknown_action_is_refused_in_french():
    candidacy = candidacy_in_state("DRAFT")
    with pytest.raises(ValidationError, match="Action inconnue"):
        services.candidacy_transition(candidacy=candidacy, name="teleport", by=admin_user())


@pytest.mark.parametrize("name", [n for n, t in workflow.TRANSITIONS.items() if t.comment_required])
def test_a_decision_that_needs_a_reason_is_refused_without_one(name):
    candidacy = ready_for(workflow.TRANSITIONS[name])
    before = candidacy.state
    with pytest.raises(ValidationError, match="motif"):
        services.candidacy_transition(candidacy=candidacy, name=name, by=admin_user(), comment="   ")
    candidacy.refresh_from_db()
    assert candidacy.state == before


def test_the_training_path_transitions_do_not_apply_to_vae():
    candidacy = candidacy_in_state("ADMISSIBLE", path="VAE")
    with pytest.raises(ValidationError, match="ne s'applique pas à la voie"):
        services.candidacy_transition(candidacy=candidacy, name="record_positioning", by=admin_user())


# Guards, each on its own.


def test_positioning_needs_a_training_organisation():
    candidacy = candidacy_in_state("ADMISSIBLE", training_org=None)
    with pytest.raises(ValidationError, match="organisme de formation"):
        services.candidacy_transition(candidacy=candidacy, name="record_positioning", by=admin_user())


@pytest.mark.parametrize(
    ("path", "state", "name"),
    [("TRAINING", "IN_TRAINING", "start_assessment"), ("VAE", "DOSSIER_SUBMITTED", "start_vae_assessment")],
)
def test_assessment_needs_an_assessment_centre(path, state, name):
    candidacy = candidacy_in_state(state, path=path)
    Candidacy.objects.filter(pk=candidacy.pk).update(assessment_centre=None)
    with pytest.raises(ValidationError, match="organisme évaluateur"):
        services.candidacy_transition(candidacy=candidacy, name=name, by=admin_user())


def test_delivery_needs_an_acquired_block():
    candidacy = candidacy_in_state("DECIDED")
    candidacy.blocks.update(status=BlockStatus.NOT_ACQUIRED)
    with pytest.raises(ValidationError, match="rien à délivrer"):
        services.candidacy_transition(candidacy=candidacy, name="deliver", by=admin_user())


def test_reopen_needs_a_missing_block():
    candidacy = candidacy_in_state("DELIVERED")
    candidacy.blocks.update(status=BlockStatus.ACQUIRED)
    with pytest.raises(ValidationError, match="rien à reprendre"):
        services.candidacy_transition(candidacy=candidacy, name="reopen", by=admin_user())


# After a partial delivery the candidacy is reopened by the delivery itself (tests/juries).
@pytest.mark.parametrize("state", ["DECIDED"])
def test_reopen_after_a_partial_decision(state):
    candidacy = candidacy_in_state(state)
    staff = certifier_staff(candidacy.certifier)
    reopened = services.candidacy_transition(candidacy=candidacy, name="reopen", by=staff)
    assert reopened.state == "ADMISSIBLE"
    statuses = list(reopened.blocks.order_by("block__position").values_list("status", flat=True))
    # The block acquired stays acquired; the ones the jury did not award are to acquire again.
    assert statuses == ["acquired", "to_acquire", "to_acquire"]


def test_submission_is_refused_when_the_rules_are_not_met():
    candidacy = candidacy_in_state("DRAFT", funding="CONTRAT_PRO", situation="EMPLOYEE")
    with pytest.raises(ValidationError) as refused:
        services.candidacy_transition(candidacy=candidacy, name="submit", by=candidacy.candidate.user)
    assert "Pro-A" in str(refused.value)


def test_admission_checks_the_rules_again():
    candidacy = candidacy_in_state("SUBMITTED")
    candidacy.certification.active = False
    candidacy.certification.save()
    with pytest.raises(ValidationError, match="plus active"):
        services.candidacy_transition(candidacy=candidacy, name="declare_admissible", by=admin_user())


# Queries.


@pytest.mark.parametrize("blocks", [2, 40])
def test_a_transition_takes_as_many_queries_whatever_the_number_of_blocks(blocks, django_assert_max_num_queries):
    certification = certification_with_blocks(blocks=blocks)
    candidacy = candidacy_in_state("DRAFT", certification=certification)
    user = candidacy.candidate.user
    with django_assert_max_num_queries(10):
        services.candidacy_transition(candidacy=candidacy, name="submit", by=user)


def test_the_query_count_of_a_transition_does_not_grow_with_the_blocks():
    counts = []
    for blocks in (2, 40):
        candidacy = candidacy_in_state("ADMISSIBLE", certification=certification_with_blocks(blocks=blocks))
        positioning_in_force(candidacy)
        staff = certifier_staff(candidacy.certifier)
        with CaptureQueriesContext(connection) as queries:
            services.candidacy_transition(candidacy=candidacy, name="record_positioning", by=staff)
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", ROLES)
def test_whoever_has_a_role_on_a_candidacy_sees_it_and_nobody_else(role):
    candidacy = candidacy_in_state("SUBMITTED")
    user = user_in_role(role, candidacy)
    sees = candidacies_visible_to(user).filter(pk=candidacy.pk).exists()
    assert sees is (WORKFLOW_ROLE[role] is not None)
    assert bool(actor_roles(user, candidacy)) is sees


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("path", "APPRENTICESHIP", "Choisissez la voie"),
        ("situation", "RETIRED", "situation"),
        ("funding", "LOTTERY", "financement"),
    ],
)
def test_a_candidacy_with_values_outside_the_lists_is_refused(field, value, message):
    with pytest.raises(ValidationError, match=message):
        candidacy_in_state("DRAFT", **{field: value})
    assert not Candidacy.objects.exists()
