"""Certifier staff record the blocks of an earlier certification on the holder's page."""

import html
from datetime import date, timedelta

import pytest
from django.urls import reverse

from cqp.accounts.enums import Role
from cqp.accounts.models import User
from cqp.capitalisation.models import HeldBlock
from cqp.core.models import AuditEvent
from tests.candidacies.factories import CandidateFactory, UserFactory, admin_user, candidacy, certifier_staff, member
from tests.capitalisation.factories import cqp, hold

pytestmark = pytest.mark.django_db


def text_of(response):
    return html.unescape(response.content.decode())


def login(client, user):
    client.force_login(User.objects.get(pk=user.pk))
    return user


@pytest.fixture
def world(client):
    """A CQP of 3 blocks of the staff's certifier, a person with a candidacy on it, another
    certifier's CQP."""
    own, own_blocks = cqp(blocks=3, title="CQP Opérateur régleur")
    other, other_blocks = cqp(blocks=2, title="CQP Soudeur")
    staff = login(client, certifier_staff(own.certifiers.get()))
    person = CandidateFactory(user=UserFactory(first_name="Inès", last_name="Martin"))
    draft = candidacy(candidate=person, certification=own)
    return {
        "own": own,
        "blocks": own_blocks,
        "other": other,
        "other_blocks": other_blocks,
        "staff": staff,
        "person": person,
        "candidacy": draft,
        "url": reverse("www:holder_blocks", args=[person.pk]),
    }


def post(client, world, **changes):
    data = {
        "certification": world["own"].code,
        "blocks": [world["blocks"][0].pk, world["blocks"][1].pk],
        "obtained_on": "2019-06-14",
        "reference": "Certificat n° 2019-118, CPNE de la métallurgie, 14 juin 2019",
        **changes,
    }
    return client.post(world["url"], data)


def test_the_page_shows_the_holdings_and_the_blocks_of_the_chosen_certification(client, world):
    hold(world["person"], world["other_blocks"][0])
    page = text_of(client.get(world["url"]))
    assert "Blocs de compétences de Inès Martin" in page
    assert world["other_blocks"][0].code in page and "Certificat n° 42" in page
    assert "Certification antérieure enregistrée par le certificateur" in page and "sans limite" in page
    assert world["other"].code not in page.split("Enregistrer une certification antérieure")[1]
    # One certification of their own: its blocks are offered at once.
    for block in world["blocks"]:
        assert f'value="{block.pk}"' in page


def test_with_several_certifications_the_staff_choose_one_first(client, world):
    second, second_blocks = cqp(blocks=1, certifier=world["own"].certifiers.get())
    page = text_of(client.get(world["url"]))
    assert second.code in page and f'value="{second_blocks[0].pk}"' not in page
    page = text_of(client.get(world["url"], {"certification": second.code}))
    assert f'value="{second_blocks[0].pk}"' in page and f'value="{world["blocks"][0].pk}"' not in page


def test_recording_makes_earlier_rows_with_an_audit_row_each(client, world):
    response = post(client, world)
    assert response.status_code == 302 and response["Location"].startswith(world["url"])
    rows = HeldBlock.objects.filter(candidate=world["person"]).order_by("block__position")
    assert [r.block for r in rows] == world["blocks"][:2]
    assert {(r.source, r.obtained_on, r.recorded_by_id, r.expires_on) for r in rows} == {
        ("EARLIER", date(2019, 6, 14), world["staff"].pk, None)
    }
    assert rows[0].reference.startswith("Certificat n° 2019-118")
    events = AuditEvent.objects.filter(action="held_block_record_earlier", actor=world["staff"])
    assert sorted(e.after["block"] for e in events) == [b.code for b in world["blocks"][:2]]
    page = text_of(client.get(response["Location"]))
    assert "Blocs enregistrés pour Inès Martin" in page
    assert "14 juin 2019" in page and "Certificat n° 2019-118" in page


def test_a_future_date_is_refused_in_french(client, world):
    response = post(client, world, obtained_on=(date.today() + timedelta(days=3)).isoformat())
    assert response.status_code == 400
    assert "La date d'obtention ne peut pas être dans le futur." in text_of(response)
    assert not HeldBlock.objects.exists()


def test_a_block_already_held_is_refused_and_nothing_is_recorded(client, world):
    hold(world["person"], world["blocks"][1])
    response = post(client, world)
    assert response.status_code == 400
    assert f"{world['blocks'][1].code} : Cette personne détient déjà ce bloc." in text_of(response)
    assert list(HeldBlock.objects.values_list("block", flat=True)) == [world["blocks"][1].pk]


def test_a_block_of_another_certifiers_cqp_is_refused(client, world):
    response = post(client, world, blocks=[world["other_blocks"][0].pk])
    assert response.status_code == 400
    assert "Ce bloc ne relève pas de la certification choisie" in text_of(response)
    response = post(client, world, certification=world["other"].code, blocks=[world["other_blocks"][0].pk])
    assert response.status_code == 400
    assert "Cette certification ne relève pas de votre certificateur." in text_of(response)
    assert not HeldBlock.objects.exists()


def test_missing_fields_are_named(client, world):
    response = post(client, world, blocks=[], reference="", obtained_on="")
    page = text_of(response)
    assert response.status_code == 400
    assert "Cochez au moins un bloc." in page and "Rien n'a été enregistré" in page
    assert not HeldBlock.objects.exists()


def test_a_person_without_a_candidacy_with_the_certifier_is_a_404(client, world):
    stranger = CandidateFactory()
    candidacy(candidate=stranger, certification=world["other"])
    url = reverse("www:holder_blocks", args=[stranger.pk])
    assert client.get(url).status_code == 404
    assert post(client, {**world, "url": url}).status_code == 404
    assert client.get(reverse("www:holder_blocks", args=[999999])).status_code == 404
    assert not HeldBlock.objects.exists()


@pytest.mark.parametrize("who", ["candidate", "employer", "other_staff", "admin", "nobody"])
def test_any_other_role_gets_a_404(client, world, who):
    user = {
        "candidate": lambda: world["person"].user,
        "employer": lambda: member(UserFactory(), Role.EMPLOYER, organisation=world["candidacy"].employer),
        "other_staff": lambda: certifier_staff(world["other"].certifiers.get()),
        "admin": admin_user,
        "nobody": UserFactory,
    }[who]()
    login(client, user)
    assert client.get(world["url"]).status_code == 404
    assert post(client, world).status_code == 404
    assert not HeldBlock.objects.exists()


def test_signed_out_is_sent_to_sign_in(client, world):
    client.logout()
    assert client.get(world["url"]).status_code == 302


def test_the_candidacy_page_leads_the_staff_there(client, world):
    detail = reverse("www:candidacy_detail", args=[world["candidacy"].pk])
    assert world["url"] in text_of(client.get(detail))
    login(client, world["person"].user)
    assert world["url"] not in text_of(client.get(detail))


def test_the_certifications_rule_gives_the_expiry_date(client, world):
    world["own"].block_validity_years = 5
    world["own"].save(update_fields=["block_validity_years"])
    post(client, world, obtained_on=(date.today() - timedelta(days=6 * 366)).isoformat())
    assert {row.in_force(date.today()) for row in HeldBlock.objects.all()} == {False}
    assert "expiré le" in text_of(client.get(world["url"]))
