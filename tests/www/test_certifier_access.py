"""Who reaches the certifier pages: every editing URL × every role × a foreign certification."""

import pytest
from django.urls import reverse

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.catalogue import services
from cqp.catalogue.models import Block, BlockEquivalence, EvaluationCriterion
from tests.catalogue.factories import CertifierFactory

pytestmark = pytest.mark.django_db

PASSWORD = "demo-cqp-2026"


def member(email, role, certifier=None):
    user = User.objects.create_user(email, PASSWORD)
    Membership.objects.create(user=user, role=role, certifier=certifier)
    return user


@pytest.fixture
def world():
    """Two certifiers, each with its staff and one CQP with a block, a criterion and a common block."""
    uimm = CertifierFactory(siret="78471719100018", name="UIMM")
    ocapiat = CertifierFactory(siret="84475200600024", name="OCAPIAT")
    alice = member("alice@uimm.example", Role.CERTIFIER_STAFF, uimm)
    bob = member("bob@ocapiat.example", Role.CERTIFIER_STAFF, ocapiat)
    mine = services.certification_create(by=alice, certifier=uimm, title="CQPM Opérateur régleur", kind="CQPM")
    theirs = services.certification_create(by=bob, certifier=ocapiat, title="CQP Conducteur de ligne", kind="CQP")
    my_block = services.block_create(certification=mine, by=alice, title="Régler")
    their_block = services.block_create(certification=theirs, by=bob, title="Conduire")
    services.criterion_create(block=my_block, by=alice, text="Réglage conforme")
    services.criterion_create(block=their_block, by=bob, text="Ligne conduite")
    services.equivalence_create(block=their_block, target_block=my_block, by=bob)
    return {"alice": alice, "bob": bob, "mine": mine, "theirs": theirs, "uimm": uimm, "ocapiat": ocapiat}


def editing_urls(certification):
    """Every URL that reads or writes one certification, with the objects of that certification."""
    block = Block.objects.filter(certification=certification).first()
    criterion = EvaluationCriterion.objects.filter(block__certification=certification).first()
    equivalence = BlockEquivalence.objects.filter(certification=certification).first()
    code = certification.code
    urls = [
        reverse("www:certifier_certification_edit", args=[code]),
        reverse("www:certifier_certification_update", args=[code]),
        reverse("www:certifier_certification_branches", args=[code]),
        reverse("www:certifier_block_create", args=[code]),
        reverse("www:certifier_block_update", args=[code, block.pk]),
        reverse("www:certifier_block_delete", args=[code, block.pk]),
        reverse("www:certifier_criterion_create", args=[code, block.pk]),
        reverse("www:certifier_criterion_update", args=[code, criterion.pk]),
        reverse("www:certifier_criterion_delete", args=[code, criterion.pk]),
        reverse("www:certifier_equivalence_create", args=[code, block.pk]),
    ]
    if equivalence:
        urls.append(reverse("www:certifier_equivalence_delete", args=[code, equivalence.pk]))
    post_only = [reverse("www:certifier_block_move", args=[code, block.pk])]
    return urls, post_only


def test_anonymous_is_sent_to_the_login_page_everywhere(client, world):
    urls, post_only = editing_urls(world["mine"])
    urls += [reverse("www:certifier_certification_list"), reverse("www:certifier_certification_create")]
    urls.append(reverse("www:dashboard"))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    for url in urls + post_only:
        response = client.post(url, {"title": "x", "text": "x", "direction": "up"})
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"], url


def test_staff_of_another_certifier_get_404_on_every_editing_url_and_change_nothing(client, world):
    client.force_login(world["alice"])
    urls, post_only = editing_urls(world["theirs"])
    before = (Block.objects.count(), EvaluationCriterion.objects.count(), BlockEquivalence.objects.count())
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in urls + post_only:
        response = client.post(url, {"title": "Piraté", "text": "Piraté", "direction": "up", "branches": []})
        assert response.status_code == 404, url
    assert (Block.objects.count(), EvaluationCriterion.objects.count(), BlockEquivalence.objects.count()) == before
    world["theirs"].refresh_from_db()
    assert world["theirs"].title == "CQP Conducteur de ligne"


def test_staff_reach_every_editing_url_of_their_own_certification(client, world):
    client.force_login(world["alice"])
    urls, _ = editing_urls(world["mine"])
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_objects_of_another_certification_are_404_even_under_my_own_code(client, world):
    """A block id of certifier B under certification A's code is not found either."""
    client.force_login(world["alice"])
    code = world["mine"].code
    their_block = Block.objects.get(certification=world["theirs"])
    their_criterion = EvaluationCriterion.objects.get(block=their_block)
    their_equivalence = BlockEquivalence.objects.get(certification=world["theirs"])
    for url in [
        reverse("www:certifier_block_update", args=[code, their_block.pk]),
        reverse("www:certifier_block_delete", args=[code, their_block.pk]),
        reverse("www:certifier_criterion_create", args=[code, their_block.pk]),
        reverse("www:certifier_criterion_update", args=[code, their_criterion.pk]),
        reverse("www:certifier_criterion_delete", args=[code, their_criterion.pk]),
        reverse("www:certifier_equivalence_create", args=[code, their_block.pk]),
        reverse("www:certifier_equivalence_delete", args=[code, their_equivalence.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x", "title": "x"}).status_code == 404, url
    assert client.post(reverse("www:certifier_block_move", args=[code, their_block.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EMPLOYER, Role.TRAINING_ORG, Role.ASSESSOR, Role.JURY_MEMBER])
def test_other_roles_cannot_reach_the_certifier_pages(client, world, role):
    # Even attached to the certifier, a role other than certifier_staff edits nothing.
    client.force_login(member(f"{role}@example.org", role, world["uimm"]))
    for url in (reverse("www:certifier_certification_list"), reverse("www:certifier_certification_create")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Espace réservé aux certificateurs" in response.content.decode()
    urls, post_only = editing_urls(world["mine"])
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in urls + post_only:
        assert client.post(url, {"title": "x", "text": "x"}).status_code == 404, url


def test_platform_admin_reaches_every_certification(client, world):
    client.force_login(User.objects.create_superuser("admin@example.org", PASSWORD))
    for certification in (world["mine"], world["theirs"]):
        urls, _ = editing_urls(certification)
        for url in urls:
            assert client.get(url).status_code == 200, url


def test_list_shows_only_my_certifications(client, world):
    client.force_login(world["alice"])
    page = client.get(reverse("www:certifier_certification_list")).content.decode()
    assert "CQPM Opérateur régleur" in page
    assert "CQP Conducteur de ligne" not in page
    other = reverse("www:certifier_certification_list") + f"?certificateur={world['ocapiat'].pk}"
    assert client.get(other).status_code == 404
