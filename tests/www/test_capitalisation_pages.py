"""The candidate's blocks and passerelles: the sections, the exports, the one-click candidacy, the fiche."""

import html
import json
from datetime import date, timedelta

import pytest
from django.urls import reverse

from cqp.accounts.models import User
from cqp.candidacies.models import Candidacy
from tests.candidacies.factories import CandidateFactory, UserFactory, candidacy
from tests.capitalisation.factories import cqp, hold, link

pytestmark = pytest.mark.django_db

HOME = reverse("www:candidate_home")


def text_of(response):
    return html.unescape(response.content.decode())


def login(client, user):
    client.force_login(User.objects.get(pk=user.pk))
    return user


@pytest.fixture
def world(client):
    """A person holding A1 (expired), A2 and B1 ≡ C1, with C of 4 blocks to go for."""
    a, (a1, a2) = cqp(blocks=2, title="CQP Agent de maintenance")
    b, (b1,) = cqp(blocks=1, title="CQP Bobinier")
    c, (c1, c2, c3, c4) = cqp(blocks=4, title="CQP Chaudronnier")
    link(b1, c1, "COMMON")
    person = CandidateFactory(user=UserFactory(first_name="Inès", last_name="Martin"))
    hold(person, a1, obtained_on=date(2015, 3, 1), expires_on=date.today() - timedelta(days=30))
    hold(person, a2, b1)
    login(client, person.user)
    return {"person": person, "a": a, "b": b, "c": c, "c_blocks": [c1, c2, c3, c4], "a1": a1}


def test_the_space_lists_every_block_held_and_the_passerelles(client, world):
    page = text_of(client.get(HOME))
    assert "Mes blocs de compétences" in page
    for block in [world["a1"], *world["b"].blocks.all(), world["c_blocks"][0]]:
        assert block.code in page
    assert "expiré le" in page
    assert "Par équivalence" in page and f"par {world['b'].blocks.get().code}" in page
    assert "Passerelles" in page
    assert f"Vous détenez 1 des 4 blocs de {world['c'].title}" in page
    assert "il manque : " + ", ".join(b.code for b in world["c_blocks"][1:]) in page
    assert "Candidater pour les blocs manquants" in page


def test_the_json_export_has_every_block_with_its_source(client, world):
    response = client.get(reverse("www:candidate_held_blocks_json"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    by_code = {row["block"]: row for row in data["blocks"]}
    assert by_code[world["a1"].code]["in_force"] is False
    assert by_code[world["c_blocks"][0].code]["source"] == "EQUIVALENCE"
    assert by_code[world["c_blocks"][0].code]["equivalence_kind"] == "COMMON"
    assert data["candidate"]["last_name"] == world["person"].last_name


def test_the_pdf_export_is_a_pdf(client, world):
    response = client.get(reverse("www:candidate_held_blocks_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_one_click_starts_a_draft_for_the_missing_blocks_only(client, world):
    c = world["c"]
    response = client.post(
        reverse("www:candidate_passerelle_apply", args=[c.code]), {"path": "TRAINING", "situation": "EMPLOYEE"}
    )
    made = Candidacy.objects.get(candidate=world["person"], certification=c)
    assert response.status_code == 302 and response["Location"] == reverse("www:candidacy_detail", args=[made.pk])
    assert made.state == "DRAFT"
    assert sorted(made.blocks.values_list("block__code", flat=True)) == [b.code for b in world["c_blocks"][1:]]
    assert set(made.blocks.values_list("status", flat=True)) == {"to_acquire"}


def test_one_click_on_a_certification_held_whole_makes_nothing(client, world):
    response = client.post(reverse("www:candidate_passerelle_apply", args=[world["b"].code]), {"situation": "EMPLOYEE"})
    assert response.status_code == 302
    assert not Candidacy.objects.exists()


def test_one_click_refused_says_why_and_makes_nothing(client, world):
    response = client.post(
        reverse("www:candidate_passerelle_apply", args=[world["c"].code]), {"situation": "ASTRONAUT"}, follow=True
    )
    assert "Choisissez une situation" in text_of(response)
    assert not Candidacy.objects.exists()


def test_one_click_needs_a_passerelle_of_ones_own(client, world):
    other, _blocks = cqp(blocks=2)
    assert client.post(reverse("www:candidate_passerelle_apply", args=[other.code]), {}).status_code == 404
    assert client.get(reverse("www:candidate_passerelle_apply", args=[world["c"].code])).status_code == 405


def test_someone_else_sees_only_their_own_blocks(client, world):
    stranger = CandidateFactory(user=UserFactory())
    login(client, stranger.user)
    page = text_of(client.get(HOME))
    assert world["a1"].code not in page and "Vous ne détenez encore aucun bloc" in page
    assert json.loads(client.get(reverse("www:candidate_held_blocks_json")).content)["blocks"] == []
    assert client.post(reverse("www:candidate_passerelle_apply", args=[world["c"].code]), {}).status_code == 404


def test_signed_out_is_sent_to_sign_in(client, world):
    client.logout()
    for url in (reverse("www:candidate_held_blocks_json"), reverse("www:candidate_held_blocks_pdf")):
        assert client.get(url).status_code == 302


def test_the_fiche_says_what_the_person_holds_and_where_its_blocks_count(client, world):
    c, b = world["c"], world["b"]
    page = text_of(client.get(reverse("www:certification_detail", args=[c.code])))
    assert "Avec les blocs que vous détenez, vous avez déjà 1 des 4 blocs de cette certification." in page
    assert "Les blocs de ce CQP comptent aussi pour" in page and b.code in page and "1 bloc sur 1" in page
    client.logout()
    anonymous = text_of(client.get(reverse("www:certification_detail", args=[c.code])))
    assert "vous avez déjà" not in anonymous
    assert "Les blocs de ce CQP comptent aussi pour" in anonymous


def test_the_fiche_query_count_does_not_depend_on_what_is_held(client, world, django_assert_num_queries):
    url = reverse("www:certification_detail", args=[world["c"].code])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    more, blocks = cqp(blocks=4)
    for block in blocks:
        link(block, world["c_blocks"][3])
    hold(world["person"], *blocks)
    with django_assert_num_queries(len(before.captured_queries)):
        page = text_of(client.get(url))
    assert "vous avez déjà 2 des 4 blocs" in page


def test_the_existing_candidacy_drafts_are_kept_in_the_space(client, world):
    draft = candidacy(candidate=world["person"], certification=world["a"], funding="PERSONAL")
    assert draft.certification.code in text_of(client.get(HOME))
