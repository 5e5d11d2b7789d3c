"""The version pages of certifier staff: new version, correspondences, retirement, moving candidacies."""

import html
from datetime import date

import pytest
from django.urls import reverse

from cqp.accounts.enums import Role
from cqp.accounts.models import Membership, User
from cqp.candidacies.enums import BlockStatus, State
from cqp.candidacies.models import Candidacy
from cqp.catalogue import enums, services
from cqp.catalogue.models import BlockEquivalence, Certification, CertificationLineage
from tests.candidacies.factories import candidacy as make_candidacy
from tests.catalogue.factories import CertifierFactory

pytestmark = pytest.mark.django_db
PASSWORD = "demo-cqp-2026"


def staff_of(certifier, email):
    user = User.objects.create_user(email, PASSWORD)
    Membership.objects.create(user=user, role=Role.CERTIFIER_STAFF, certifier=certifier)
    return user


@pytest.fixture
def certifier():
    return CertifierFactory(name="CPNE de la plasturgie")


@pytest.fixture
def alice(certifier):
    return staff_of(certifier, "alice@cpne.example")


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def old(alice, certifier):
    certification = services.certification_create(by=alice, certifier=certifier, title="CQP Régleur", kind="CQP")
    for n in (1, 2):
        block = services.block_create(certification=certification, by=alice, title=f"Bloc {n}")
        services.criterion_create(block=block, by=alice, text=f"Critère {n}")
    return certification


@pytest.fixture
def new(old, alice):
    return services.certification_new_version(certification=old, by=alice)


def url(name, certification, query=""):
    return reverse(f"www:certifier_{name}", args=[certification.code]) + query


def text(response):
    return html.unescape(response.content.decode())


def test_edit_page_offers_the_version_actions(signed_in, old):
    page = text(signed_in.get(reverse("www:certifier_certification_edit", args=[old.code])))
    assert "Créer une nouvelle version" in page
    assert url("version_create", old) in page and url("certification_retire", old) in page


def test_create_a_new_version_from_its_confirmation_page(signed_in, old):
    page = text(signed_in.get(url("version_create", old)))
    assert "les 2 blocs de compétences" in page
    response = signed_in.post(url("version_create", old), {"code": "", "title": "CQP Régleur (2027)"})
    new = Certification.objects.get(title="CQP Régleur (2027)")
    assert response.status_code == 302 and response.url == reverse("www:certifier_certification_edit", args=[new.code])
    assert CertificationLineage.objects.filter(old_code=old.code, new_code=new.code).exists()
    page = text(signed_in.get(response.url))
    assert "en préparation" in page and "Correspondances avec la version précédente" in page


def test_a_bad_code_is_shown_on_the_field(signed_in, old):
    response = signed_in.post(url("version_create", old), {"code": "XYZ1"})
    assert response.status_code == 200
    assert "n'est pas un code RNCP ou RS" in text(response)
    assert Certification.objects.count() == 1


def test_correspondences_page_lists_pairs_and_refuses_ambiguity(signed_in, old, new):
    page = text(signed_in.get(url("version_equivalences", new)))
    for block in old.blocks.all():
        assert block.code in page
    assert f"{new.code}BC01" in page
    b1 = new.blocks.get(position=1)
    a2 = old.blocks.get(position=2)
    response = signed_in.post(url("version_equivalences", new), {"block": b1.pk, "target_block": a2.pk})
    assert response.status_code == 200
    assert "ne reprend qu'un seul ancien bloc" in text(response)
    # Remove one, then have it proposed again.
    equivalence = BlockEquivalence.objects.get(block=b1)
    signed_in.post(reverse("www:certifier_equivalence_delete", args=[new.code, equivalence.pk]), {"reason": ""})
    assert "Aucun bloc : à déclarer" in text(signed_in.get(url("version_equivalences", new)))
    signed_in.post(url("version_propose", new), {"ancienne": old.code})
    assert BlockEquivalence.objects.filter(block=b1, kind=enums.EquivalenceKind.VERSION).exists()


def test_retire_page_sets_the_date(signed_in, old, new):
    response = signed_in.post(url("certification_retire", old), {"on": "2030-01-01", "replaced_by": new.code})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.retired_on == date(2030, 1, 1)
    response = signed_in.post(url("certification_retire", old), {"on": ""})
    assert response.status_code == 200 and "obligatoire" in text(response)


def test_migrate_page_lists_movable_and_counts_those_that_cannot(signed_in, old, new):
    movable = make_candidacy(certification=old)
    past = make_candidacy(certification=old)
    Candidacy.objects.filter(pk=past.pk).update(state=State.DELIVERED)
    page = text(signed_in.get(url("candidacies_migrate", old)))
    assert f"n° {movable.pk}" in page
    assert "1 candidature ne peut pas changer de version" in page and "Le jury s'est déjà prononcé" in page
    response = signed_in.post(url("candidacies_migrate", old), {"nouvelle": new.code, "candidacies": [movable.pk]})
    assert response.status_code == 302
    movable.refresh_from_db()
    assert movable.certification == new
    assert set(movable.blocks.values_list("status", flat=True)) == {BlockStatus.TO_ACQUIRE}
    # A candidacy that cannot move is not even offered.
    response = signed_in.post(url("candidacies_migrate", old), {"nouvelle": new.code, "candidacies": [past.pk]})
    assert response.status_code == 200
    assert Candidacy.objects.get(pk=past.pk).certification == old


def test_another_certifiers_cqp_is_a_404_everywhere(client, old, new):
    bob = staff_of(CertifierFactory(name="Autre CPNE"), "bob@autre.example")
    client.force_login(bob)
    for name, certification in [
        ("version_create", old),
        ("version_equivalences", new),
        ("certification_retire", old),
        ("candidacies_migrate", old),
    ]:
        assert client.get(url(name, certification)).status_code == 404, name
        assert client.post(url(name, certification), {}).status_code == 404, name
    assert client.post(url("version_propose", new), {"ancienne": old.code}).status_code == 404
    assert Certification.objects.count() == 2


def test_anonymous_is_sent_to_sign_in(client, old):
    response = client.get(url("version_create", old))
    assert response.status_code == 302


def test_pages_without_a_version_to_work_with_are_404(signed_in, old):
    assert signed_in.get(url("version_equivalences", old)).status_code == 404
    assert signed_in.get(url("candidacies_migrate", old)).status_code == 404


# --------------------------------------------------------------------------- public fiche


def test_public_fiches_show_lineage_both_ways_with_date_and_block_mapping(client, alice, old, new):
    from tests.www.test_catalogue_pages import FICHE_QUERIES

    preparing = text(client.get(reverse("www:certification_detail", args=[new.code])))
    assert "Nouvelle version en préparation" in preparing
    services.certification_update(certification=new, by=alice, active=True)
    services.certification_retire(certification=old, by=alice, on=date(2030, 1, 1), replaced_by=new)
    old_page = text(client.get(reverse("www:certification_detail", args=[old.code])))
    assert "Remplacée par" in old_page and new.code in old_page
    assert "plus de nouvelle candidature à partir du 1 janvier 2030" in old_page
    assert "Correspondance des blocs entre versions" in old_page
    assert f"{new.code}BC01" in old_page
    # Until its retirement date, the old version still takes candidacies.
    assert "Candidater à cette certification" in old_page
    new_page = text(client.get(reverse("www:certification_detail", args=[new.code])))
    assert "Remplace" in new_page and "plus de nouvelle candidature depuis le 1 janvier 2030" in new_page
    assert f"{old.code}BC02" in new_page
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("www:certification_detail", args=[old.code]))
    assert len(queries) == FICHE_QUERIES
