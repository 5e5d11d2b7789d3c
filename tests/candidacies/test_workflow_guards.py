"""The steps that have their own page cannot be skipped by the bare transition: each guard refuses with
a French message that says where to take the step, and a refusal changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from cqp.accounts.enums import Role
from cqp.assessments import services as assessments
from cqp.candidacies import services
from cqp.candidacies.models import Candidacy, CandidacyEvent

from .factories import (
    UserFactory,
    admin_user,
    candidacy_in_state,
    certifier_staff,
    describe_vae_dossier,
    member,
    positioning_in_force,
    propose_and_accept_plan,
    staffed_candidacy,
)

pytestmark = pytest.mark.django_db


def trail(candidacy):
    return list(CandidacyEvent.objects.filter(candidacy=candidacy).values_list("pk", flat=True))


def refused(candidacy, name, by, match):
    """Apply the bare transition, expect the refusal, and check nothing moved."""
    before_state, before_trail = candidacy.state, trail(candidacy)
    with pytest.raises(ValidationError) as error:
        services.candidacy_transition(candidacy=candidacy, name=name, by=by)
    assert any(match in message for message in error.value.messages), error.value.messages
    candidacy.refresh_from_db()
    assert candidacy.state == before_state
    assert trail(candidacy) == before_trail
    return error.value.messages


def trainer(candidacy):
    return member(UserFactory(), Role.TRAINING_ORG, organisation=candidacy.training_org)


# Positioning.


def test_positioning_cannot_be_skipped_from_the_candidacy_page():
    candidacy = candidacy_in_state("ADMISSIBLE")
    messages = refused(candidacy, "record_positioning", trainer(candidacy), "page Positionnement")
    assert messages == ["Enregistrez le positionnement depuis la page Positionnement de la candidature."]
    assert not candidacy.positionings.exists()


def test_the_positioning_service_still_moves_the_candidacy():
    candidacy = candidacy_in_state("ADMISSIBLE")
    codes = candidacy.blocks.values_list("block__code", flat=True)
    assessments.positioning_record(
        candidacy=candidacy, by=trainer(candidacy), results=dict.fromkeys(codes, ("TO_ACQUIRE", ""))
    )
    candidacy.refresh_from_db()
    assert candidacy.state == "POSITIONED"


# Start of the training.


def test_training_cannot_start_without_a_plan():
    candidacy = candidacy_in_state("POSITIONED")
    refused(candidacy, "start_training", trainer(candidacy), "Aucun parcours de formation n'est proposé")


def test_training_cannot_start_on_a_plan_not_yet_accepted():
    candidacy = candidacy_in_state("POSITIONED")
    user = trainer(candidacy)
    assessments.training_plan_propose(
        candidacy=candidacy,
        by=user,
        modules=[
            {"block_code": code, "title": "Module", "hours": 35}
            for code in candidacy.blocks.values_list("block__code", flat=True)
        ],
        start="2026-01-05",
        end="2026-06-30",
        funding=candidacy.funding,
    )
    messages = refused(candidacy, "start_training", user, "« Proposé »")
    assert "page Parcours de formation" in messages[0]


def test_training_starts_on_an_accepted_plan_through_the_service():
    candidacy = candidacy_in_state("POSITIONED")
    user = trainer(candidacy)
    plan = propose_and_accept_plan(candidacy, by=user)
    started = assessments.training_plan_start(plan=plan, by=user)
    candidacy.refresh_from_db()
    assert (candidacy.state, started.status) == ("IN_TRAINING", "IN_PROGRESS")


def test_the_bare_transition_passes_once_the_plan_is_accepted():
    candidacy = candidacy_in_state("POSITIONED")
    propose_and_accept_plan(candidacy, by=admin_user())
    moved = services.candidacy_transition(
        candidacy=candidacy, name="start_training", by=certifier_staff(candidacy.certifier)
    )
    assert moved.state == "IN_TRAINING"


# VAE: admissibility.


def test_a_vae_candidacy_without_an_admissibility_file_is_not_declared_admissible():
    draft = staffed_candidacy(path="VAE")
    submitted = services.candidacy_transition(candidacy=draft, name="submit", by=draft.candidate.user)
    messages = refused(
        submitted, "declare_admissible", certifier_staff(draft.certifier), "Aucun dossier de recevabilité"
    )
    assert "page Recevabilité VAE" in messages[0]


def test_a_filed_admissibility_is_decided_from_its_page_not_by_the_bare_transition():
    candidacy = candidacy_in_state("SUBMITTED", path="VAE")
    assert candidacy.vae_eligibilities.get().state == "SUBMITTED"
    messages = refused(candidacy, "declare_admissible", certifier_staff(candidacy.certifier), "recevabilité VAE")
    assert messages == ["Décidez de la recevabilité depuis le dossier de recevabilité VAE du candidat."]


def test_the_training_path_needs_no_admissibility_file():
    candidacy = candidacy_in_state("SUBMITTED")
    moved = services.candidacy_transition(
        candidacy=candidacy, name="declare_admissible", by=certifier_staff(candidacy.certifier)
    )
    assert moved.state == "ADMISSIBLE"


# VAE: the dossier de validation.


def test_an_incomplete_dossier_is_refused_by_the_transition_itself():
    candidacy = candidacy_in_state("ADMISSIBLE", path="VAE")
    rows = list(candidacy.blocks.select_related("block").order_by("block__position"))
    assessments.vae_dossier_save(
        candidacy=candidacy, by=candidacy.candidate.user, block=rows[0].block, narrative="Mon expérience."
    )
    messages = refused(candidacy, "submit_vae_dossier", candidacy.candidate.user, "Décrivez encore")
    missing = " ; ".join(f"{row.block.code} — {row.block.title}" for row in rows[1:])
    assert messages == [
        f"Décrivez encore votre expérience pour ces blocs : {missing}.",
        "Complétez-le depuis la page Dossier de validation de la candidature.",
    ]


def test_the_dossier_service_refuses_with_the_same_message_and_writes_nothing():
    candidacy = candidacy_in_state("ADMISSIBLE", path="VAE")
    before = trail(candidacy)
    with pytest.raises(ValidationError, match="Décrivez encore votre expérience pour ces blocs"):
        assessments.vae_dossier_submit(candidacy=candidacy, by=candidacy.candidate.user)
    assert Candidacy.objects.get(pk=candidacy.pk).state == "ADMISSIBLE"
    assert trail(candidacy) == before


def test_exempted_blocks_need_no_description():
    candidacy = candidacy_in_state("ADMISSIBLE", path="VAE")
    first = candidacy.blocks.order_by("block__position").first()
    candidacy.blocks.exclude(pk=first.pk).update(status="exempted")
    describe_vae_dossier(candidacy, by=candidacy.candidate.user)
    moved = services.candidacy_transition(candidacy=candidacy, name="submit_vae_dossier", by=candidacy.candidate.user)
    assert moved.state == "DOSSIER_SUBMITTED"


def test_a_revision_after_a_reopening_positions_the_candidacy_again():
    # Reopened for its missing blocks, the candidacy is admissible with its positioning still in force:
    # the revision that follows moves it on, as the first positioning did.
    candidacy = candidacy_in_state("ADMISSIBLE")
    positioning_in_force(candidacy)
    codes = candidacy.blocks.values_list("block__code", flat=True)
    revised = assessments.positioning_record(
        candidacy=candidacy,
        by=trainer(candidacy),
        results=dict.fromkeys(codes, ("TO_ACQUIRE", "")),
        revision_reason="Reprise après la décision du jury.",
    )
    candidacy.refresh_from_db()
    assert (revised.version, candidacy.state) == (2, "POSITIONED")
    assert CandidacyEvent.objects.filter(candidacy=candidacy, name="record_positioning").count() == 1
