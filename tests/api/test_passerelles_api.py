"""GET /api/v1/candidates/{id}/passerelles/: the contract, who may read it, and its fixed query count."""

import pytest

from cqp.accounts.enums import Role
from tests.candidacies.factories import (
    CandidateFactory,
    OrganisationFactory,
    UserFactory,
    admin_user,
    candidacy,
    certifier_staff,
    member,
)
from tests.capitalisation.factories import cqp, hold, link

pytestmark = pytest.mark.django_db


def url(candidate):
    return f"/api/v1/candidates/{candidate.pk}/passerelles/"


@pytest.fixture
def world():
    """A person holding A1 and A2 of A (2 blocks), A1 ≡ B1 ≡ C1, with a candidacy on C."""
    a, (a1, a2) = cqp(blocks=2, title="CQP Agent")
    b, (b1, b2, b3, b4) = cqp(blocks=4, title="CQP Bobinier")
    c, (c1, c2) = cqp(blocks=2, title="CQP Chaudronnier")
    link(a1, b1)
    link(b1, c1, "VERSION")
    person = CandidateFactory(user=UserFactory())
    hold(person, a1, a2)
    draft = candidacy(candidate=person, certification=c)
    return {"person": person, "a": a, "b": b, "c": c, "draft": draft}


def test_the_contract_rows_ranked_by_coverage(api, world):
    api.force_authenticate(world["person"].user)
    response = api.get(url(world["person"]))
    assert response.status_code == 200
    body = response.json()
    rows = body["results"]
    assert body["count"] == 3
    a, b, c = world["a"], world["b"], world["c"]
    assert [(r["certification"], r["coverage"]) for r in rows] == [(a.code, 1.0), (c.code, 0.5), (b.code, 0.25)]
    assert rows[0]["complete"] is True and rows[1]["complete"] is False
    assert rows[1]["held_blocks"] == [f"{c.code}BC01"] and rows[1]["missing_blocks"] == [f"{c.code}BC02"]
    assert rows[2]["held_blocks"] == [f"{b.code}BC01"]
    assert rows[2]["missing_blocks"] == [f"{b.code}BC02", f"{b.code}BC03", f"{b.code}BC04"]
    assert set(rows[0]) >= {"certification", "coverage", "held_blocks", "missing_blocks"}


def test_the_certifier_with_a_candidacy_of_the_person_and_an_admin_see_it(api, world):
    staff = certifier_staff(world["draft"].certifier)
    for user in (staff, admin_user()):
        api.force_authenticate(user)
        assert api.get(url(world["person"])).status_code == 200


@pytest.mark.parametrize("who", ["other_candidate", "other_certifier", "employer", "nobody_in_particular"])
def test_anyone_else_gets_a_404(api, world, who):
    if who == "other_candidate":
        user = CandidateFactory(user=UserFactory()).user
    elif who == "other_certifier":
        other, _blocks = cqp()
        user = certifier_staff(other.certifiers.get())
    elif who == "employer":
        user = member(UserFactory(), Role.EMPLOYER, organisation=world["draft"].employer or OrganisationFactory())
    else:
        user = UserFactory()
    api.force_authenticate(user)
    response = api.get(url(world["person"]))
    assert response.status_code == 404
    assert "introuvable" in response.json()["detail"]
    assert api.get("/api/v1/candidates/999999/passerelles/").status_code == 404


def test_signed_out_is_a_401(api, world):
    assert api.get(url(world["person"])).status_code == 401


def test_the_query_count_does_not_depend_on_what_is_held(api, world, django_assert_num_queries):
    person = world["person"]
    api.force_authenticate(person.user)
    api.get(url(person))  # warm the session and content types
    # The request's savepoint and its release, the candidate, the passerelles (one query whatever is held).
    with django_assert_num_queries(4) as first:
        api.get(url(person))
    more, blocks = cqp(blocks=5)
    for block in blocks:
        _other, (target,) = cqp(blocks=1)
        link(block, target)
    hold(person, *blocks)
    with django_assert_num_queries(len(first.captured_queries)):
        response = api.get(url(person))
    assert response.json()["count"] == 3 + 1 + 5
