"""The candidacy page names the page where a step is taken when that step has its own page."""

import html

import pytest
from django.urls import reverse

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from tests.candidacies.factories import UserFactory, candidacy_in_state, certifier_staff, member

pytestmark = pytest.mark.django_db


def next_step_of(client, candidacy, user):
    client.force_login(User.objects.get(pk=user.pk))
    response = client.get(reverse("www:candidacy_detail", kwargs={"pk": candidacy.pk}))
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    return text[text.index('id="next-title"') :].split("</p>")[0]


def test_after_the_positioning_the_plan_page_is_named(client):
    candidacy = candidacy_in_state("POSITIONED")
    trainer = member(UserFactory(), Role.TRAINING_ORG, organisation=candidacy.training_org)
    assert "Proposez le parcours depuis la page Parcours de formation" in next_step_of(client, candidacy, trainer)
    candidate = candidacy.candidate.user
    assert "que vous acceptez depuis la page Parcours de formation" in next_step_of(client, candidacy, candidate)


def test_on_the_vae_path_the_admissibility_and_dossier_pages_are_named(client):
    submitted = candidacy_in_state("SUBMITTED", path="VAE")
    assert "page Recevabilité VAE" in next_step_of(client, submitted, certifier_staff(submitted.certifier))
    admissible = candidacy_in_state("ADMISSIBLE", path="VAE")
    assert "page Dossier de validation" in next_step_of(client, admissible, admissible.candidate.user)


def test_the_training_path_keeps_its_admissibility_text(client):
    submitted = candidacy_in_state("SUBMITTED")
    assert "Examinez la recevabilité" in next_step_of(client, submitted, certifier_staff(submitted.certifier))
