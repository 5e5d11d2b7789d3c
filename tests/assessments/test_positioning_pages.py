"""The positioning page: the grid for the training organisation, the result for everyone who may see."""

import html

import pytest
from django.urls import reverse

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.assessments.models import Positioning
from cqp.candidacies.enums import State
from tests.candidacies.factories import OrganisationFactory, UserFactory, member

from .training_helpers import admissible, codes, people, position

pytestmark = pytest.mark.django_db


def text_of(response):
    return html.unescape(response.content.decode())


def login(client, user):
    client.force_login(User.objects.get(pk=user.pk))


def url(candidacy):
    return reverse("www:training_positioning", kwargs={"pk": candidacy.pk})


def grid_post(candidacy, *results, **extra):
    data = {"comment": ""}
    for item, result in zip(candidacy.blocks.select_related("block").order_by("block__position"), results, strict=True):
        data[f"result_{item.block_id}"] = result
        data[f"comment_{item.block_id}"] = f"Avis sur {item.block.code}"
    return {**data, **extra}


def test_the_training_org_fills_the_grid_and_the_candidacy_is_positioned(client):
    candidacy = admissible(blocks=2)
    login(client, people(candidacy)["training_org"])
    page = client.get(url(candidacy))
    assert page.status_code == 200
    assert "Enregistrer le positionnement" in text_of(page)
    assert 'type="radio"' in text_of(page)

    response = client.post(url(candidacy), grid_post(candidacy, "ACQUIRED", "TO_ACQUIRE"))

    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.state == State.POSITIONED
    page = text_of(client.get(url(candidacy)))
    assert "Reconnu acquis" in page and "Reste à former" in page
    assert "Réviser le positionnement" in page and "Motif de la révision" in page


def test_an_incomplete_grid_is_refused_and_saves_nothing(client):
    candidacy = admissible(blocks=2)
    login(client, people(candidacy)["training_org"])
    data = grid_post(candidacy, "ACQUIRED", "TO_ACQUIRE")
    del data[f"result_{candidacy.blocks.order_by('block__position').last().block_id}"]
    response = client.post(url(candidacy), data)
    assert response.status_code == 400
    assert "Choisissez acquis, partiellement acquis ou à acquérir." in text_of(response)
    assert not Positioning.objects.exists()


def test_a_revision_without_reason_is_refused_and_previous_versions_are_shown(client):
    candidacy = admissible(blocks=2)
    org = people(candidacy)["training_org"]
    position(candidacy, org, "ACQUIRED", "TO_ACQUIRE")
    login(client, org)
    refused = client.post(url(candidacy), grid_post(candidacy, "PARTLY", "TO_ACQUIRE"))
    assert refused.status_code == 400
    assert "Donnez le motif de la révision." in text_of(refused)
    client.post(url(candidacy), grid_post(candidacy, "PARTLY", "TO_ACQUIRE", revision_reason="Erreur"))
    page = text_of(client.get(url(candidacy)))
    assert "Versions précédentes" in page and "Version 1," in page and "Erreur" in page


@pytest.mark.parametrize("role", ["candidate", "employer", "assessor"])
def test_other_roles_see_the_result_without_the_grid_and_may_not_post(client, role):
    candidacy = admissible(blocks=2)
    who = people(candidacy)
    position(candidacy, who["training_org"], "ACQUIRED", "TO_ACQUIRE")
    login(client, who[role])
    page = text_of(client.get(url(candidacy)))
    assert codes(candidacy)[1] in page and "Reste à former" in page
    assert 'type="radio"' not in page
    assert client.post(url(candidacy), grid_post(candidacy, "TO_ACQUIRE", "TO_ACQUIRE")).status_code == 403


def test_outsiders_get_404_and_visitors_are_sent_to_sign_in(client):
    candidacy = admissible(blocks=1)
    outsider = member(UserFactory(), Role.TRAINING_ORG, organisation=OrganisationFactory(training_org=True))
    assert client.get(url(candidacy)).status_code == 302
    login(client, outsider)
    assert client.get(url(candidacy)).status_code == 404
    assert client.post(url(candidacy), grid_post(candidacy, "TO_ACQUIRE")).status_code == 404


def test_the_candidacy_page_leads_to_the_positioning_and_the_plan(client):
    candidacy = admissible(blocks=1)
    login(client, candidacy.candidate.user)
    page = text_of(client.get(reverse("www:candidacy_detail", kwargs={"pk": candidacy.pk})))
    assert url(candidacy) in page
    assert reverse("www:training_plan", kwargs={"pk": candidacy.pk}) in page


def test_the_grid_offers_the_candidacy_documents_as_evidence(client):
    from .test_positioning import document_of

    candidacy = admissible(blocks=1)
    org = people(candidacy)["training_org"]
    proof = document_of(candidacy, candidacy.candidate.user)
    login(client, org)
    assert "attestation.pdf" in text_of(client.get(url(candidacy)))
    (item,) = candidacy.blocks.all()
    data = grid_post(candidacy, "ACQUIRED", **{f"evidence_{item.block_id}": str(proof.pk)})
    assert client.post(url(candidacy), data).status_code == 302
    page = text_of(client.get(url(candidacy)))
    assert "Preuve : attestation.pdf" in page
