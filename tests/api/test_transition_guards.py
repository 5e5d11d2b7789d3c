"""POST /transitions/ cannot skip a step that has its own page: 400 with the French reason saying
where to take it, and nothing changes."""

import pytest
from rest_framework.test import APIClient

from cqp.accounts.enums import Role
from cqp.candidacies import services
from cqp.candidacies.models import Candidacy, CandidacyEvent
from tests.candidacies.factories import (
    UserFactory,
    candidacy_in_state,
    certifier_staff,
    member,
    propose_and_accept_plan,
    staffed_candidacy,
)

pytestmark = pytest.mark.django_db


def post(user, candidacy, name):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(f"/api/v1/candidacies/{candidacy.pk}/transitions/", {"name": name}, format="json")


def assert_refused(response, candidacy, message):
    before_state = candidacy.state
    before_trail = CandidacyEvent.objects.filter(candidacy=candidacy).count()
    assert response.status_code == 400, response.content
    assert any(message in reason for reason in response.json()["non_field_errors"]), response.json()
    assert Candidacy.objects.get(pk=candidacy.pk).state == before_state
    assert CandidacyEvent.objects.filter(candidacy=candidacy).count() == before_trail


def test_record_positioning_is_refused_without_a_positioning():
    candidacy = candidacy_in_state("ADMISSIBLE")
    trainer = member(UserFactory(), Role.TRAINING_ORG, organisation=candidacy.training_org)
    response = post(trainer, candidacy, "record_positioning")
    assert_refused(
        response, candidacy, "Enregistrez le positionnement depuis la page Positionnement de la candidature."
    )
    # Still offered (guards are not evaluated in the list): the refusal says where to go.
    assert "record_positioning" in available(trainer, candidacy)


def available(user, candidacy):
    api = APIClient()
    api.force_authenticate(user)
    return api.get(f"/api/v1/candidacies/{candidacy.pk}/").json()["available_transitions"]


def test_start_training_is_refused_without_an_accepted_plan():
    candidacy = candidacy_in_state("POSITIONED")
    trainer = member(UserFactory(), Role.TRAINING_ORG, organisation=candidacy.training_org)
    response = post(trainer, candidacy, "start_training")
    assert_refused(response, candidacy, "Aucun parcours de formation n'est proposé")
    assert "page Parcours de formation" in response.json()["non_field_errors"][0]


def test_start_training_passes_once_the_plan_is_accepted():
    candidacy = candidacy_in_state("POSITIONED")
    trainer = member(UserFactory(), Role.TRAINING_ORG, organisation=candidacy.training_org)
    propose_and_accept_plan(candidacy, by=trainer)
    response = post(trainer, candidacy, "start_training")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "IN_TRAINING"


def test_declare_admissible_is_refused_on_a_vae_candidacy_without_a_file():
    draft = staffed_candidacy(path="VAE")
    submitted = services.candidacy_transition(candidacy=draft, name="submit", by=draft.candidate.user)
    response = post(certifier_staff(draft.certifier), submitted, "declare_admissible")
    assert_refused(response, submitted, "Aucun dossier de recevabilité n'a été déposé")


def test_declare_admissible_is_refused_while_the_file_awaits_its_decision():
    candidacy = candidacy_in_state("SUBMITTED", path="VAE")
    response = post(certifier_staff(candidacy.certifier), candidacy, "declare_admissible")
    assert_refused(response, candidacy, "Décidez de la recevabilité depuis le dossier de recevabilité VAE")


def test_submit_vae_dossier_is_refused_while_blocks_are_not_described():
    candidacy = candidacy_in_state("ADMISSIBLE", path="VAE")
    response = post(candidacy.candidate.user, candidacy, "submit_vae_dossier")
    assert_refused(response, candidacy, "Décrivez encore votre expérience pour ces blocs")
    assert "page Dossier de validation" in " ".join(response.json()["non_field_errors"])
