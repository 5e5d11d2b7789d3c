"""Every candidacy endpoint and method, for every role, against the other side's candidacy: 404, never 403.

Two worlds, `a` and `b`, each with its certifier, employer, training organisation, assessment
centre and candidate; each role of `a` must see `a`'s candidacy and nothing of `b`'s.
"""

import pytest
from django.core.files.base import ContentFile

from cqp.candidacies.models import Candidacy, CandidacyEvent, Document

from .test_candidacies import LIST, build_world, detail, ids

pytestmark = pytest.mark.django_db

ROLES = ["candidate", "employer_member", "training_org", "assessor", "certifier_staff"]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    for side in ("a", "b"):
        made = world[side]["candidacy"]
        document = Document(
            candidacy=made, kind="IDENTITY", original_name="cni.pdf", content_type="application/pdf", size=9
        )
        document.file.save("cni", ContentFile(b"%PDF-1.4\n"), save=False)
        document.save()
        world[side]["document"] = document
    return world


def requests(candidacy_pk, document_pk):
    """Every endpoint and method on one candidacy, with a body that would be valid."""
    return [
        ("get", detail(candidacy_pk), None),
        ("patch", detail(candidacy_pk), {"situation": "JOB_SEEKER"}),
        ("post", detail(candidacy_pk, "transitions/"), {"name": "withdraw", "comment": "Je change de projet"}),
        ("get", detail(candidacy_pk, "history/"), None),
        ("get", detail(candidacy_pk, "documents/"), None),
        ("get", detail(candidacy_pk, f"documents/{document_pk}/file/"), None),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_exactly_its_own_side(api, world, role):
    api.force_authenticate(world["a"][role])

    assert ids(api.get(LIST)) == [world["a"]["candidacy"].pk]


def test_the_platform_admin_sees_every_candidacy(api, world):
    api.force_authenticate(world["admin"])

    assert ids(api.get(LIST)) == [world["b"]["candidacy"].pk, world["a"]["candidacy"].pk]


def test_a_person_without_any_role_sees_nothing(api, world):
    from tests.candidacies.factories import UserFactory

    api.force_authenticate(UserFactory())

    assert ids(api.get(LIST)) == []
    assert api.get(detail(world["a"]["candidacy"].pk)).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_other_sides_candidacy_is_404_on_every_endpoint(api, world, role):
    api.force_authenticate(world["a"][role])
    foreign = world["b"]["candidacy"]

    for method, url, body in requests(foreign.pk, world["b"]["document"].pk):
        response = getattr(api, method)(url, body, format="json") if body else getattr(api, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json() == {"detail": "Candidature introuvable. / Candidacy not found."}

    upload = api.post(detail(foreign.pk, "documents/"), {"kind": "OTHER"}, format="multipart")
    assert upload.status_code == 404
    foreign.refresh_from_db()
    assert foreign.state == "DRAFT" and foreign.situation == "EMPLOYEE"
    assert CandidacyEvent.objects.filter(candidacy=foreign).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_its_own_side_on_every_read_endpoint(api, world, role):
    api.force_authenticate(world["a"][role])
    mine = world["a"]["candidacy"]

    for method, url, _body in requests(mine.pk, world["a"]["document"].pk):
        if method != "get":
            continue
        response = api.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_a_document_of_another_candidacy_is_not_served_through_mine(api, world):
    api.force_authenticate(world["a"]["candidate"])

    response = api.get(detail(world["a"]["candidacy"].pk, f"documents/{world['b']['document'].pk}/file/"))

    assert response.status_code == 404


def test_documents_are_listed_and_served_to_those_who_see_the_candidacy(api, world):
    mine, document = world["a"]["candidacy"], world["a"]["document"]
    api.force_authenticate(world["a"]["employer_member"])

    listing = api.get(detail(mine.pk, "documents/")).json()
    served = api.get(listing["results"][0]["download_url"])

    assert listing["count"] == 1
    row = listing["results"][0]
    assert {k: row[k] for k in ("id", "kind", "original_name", "content_type", "size")} == {
        "id": document.pk,
        "kind": "IDENTITY",
        "original_name": "cni.pdf",
        "content_type": "application/pdf",
        "size": 9,
    }
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"%PDF-1.4\n"
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("side", ["a", "b"])
def test_a_candidate_of_one_side_cannot_act_on_the_other_by_transition(api, world, side):
    other = "b" if side == "a" else "a"
    api.force_authenticate(world[side]["candidate"])

    response = api.post(detail(world[other]["candidacy"].pk, "transitions/"), {"name": "submit"}, format="json")

    assert response.status_code == 404
    assert Candidacy.objects.get(pk=world[other]["candidacy"].pk).state == "DRAFT"
