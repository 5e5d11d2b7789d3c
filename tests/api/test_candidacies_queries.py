"""The candidacy list and detail run a fixed number of SQL queries, whatever the page size and the blocks."""

import pytest
from rest_framework.authtoken.models import Token

from tests.candidacies.factories import (
    OrganisationFactory,
    TutorFactory,
    candidacy,
    certification_with_blocks,
    certifier_staff,
)

pytestmark = pytest.mark.django_db

# ATOMIC_REQUESTS inside the test's transaction: a savepoint and its release around the reads.
TRANSACTION = 2
# The caller's memberships (scoping and available transitions), the page, its blocks, its experience periods,
# the organisations of the page (employers, training organisations and assessment centres together).
LIST_QUERIES = TRANSACTION + 5
# The same for one row.
DETAIL_QUERIES = TRANSACTION + 5


def candidacies(count, *, blocks=4):
    certification = certification_with_blocks(blocks=blocks)
    staff = certifier_staff(certification.certifiers.get())
    employer = OrganisationFactory()
    made = []
    for _ in range(count):
        made.append(
            candidacy(
                certification=certification,
                funding="CONTRAT_PRO",
                employer=employer,
                tutor=TutorFactory(employer=employer),
                training_org=OrganisationFactory(training_org=True),
                assessment_centre=OrganisationFactory(assessment_centre=True),
                experience_periods=[{"start": "2020-01-01", "end": "2021-06-30", "job_title": "Opérateur"}],
            )
        )
    return staff, made


@pytest.mark.parametrize("count", [1, 20])
def test_list_queries_do_not_grow_with_the_page(api, django_assert_num_queries, count):
    staff, _ = candidacies(count)
    api.force_authenticate(staff)

    with django_assert_num_queries(LIST_QUERIES):
        body = api.get("/api/v1/candidacies/").json()

    assert len(body["results"]) == count
    assert all(len(row["blocks"]) == 4 and len(row["experience_periods"]) == 1 for row in body["results"])
    assert all(row["tutor"] and row["training_org"] and row["assessment_centre"] for row in body["results"])
    assert all(row["available_transitions"] == ["submit", "withdraw"] for row in body["results"])


@pytest.mark.parametrize("count", [1, 20])
def test_filtered_list_queries_do_not_grow(api, django_assert_num_queries, count):
    staff, made = candidacies(count)
    api.force_authenticate(staff)
    params = {
        "state": "DRAFT",
        "path": "TRAINING",
        "certification": made[0].certification.code,
        "certifier": made[0].certifier.siret,
        "created_after": "2000-01-01",
        "created_before": "2999-01-01",
        "page_size": 100,
    }

    with django_assert_num_queries(LIST_QUERIES):
        body = api.get("/api/v1/candidacies/", params).json()

    assert len(body["results"]) == count


@pytest.mark.parametrize("blocks", [1, 8])
def test_detail_queries_do_not_grow_with_the_blocks(api, django_assert_num_queries, blocks):
    staff, made = candidacies(1, blocks=blocks)
    api.force_authenticate(staff)

    with django_assert_num_queries(DETAIL_QUERIES):
        body = api.get(f"/api/v1/candidacies/{made[0].pk}/").json()

    assert len(body["blocks"]) == blocks


def test_a_token_costs_one_more_query(api, django_assert_num_queries):
    staff, _ = candidacies(3)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff).key}")

    with django_assert_num_queries(LIST_QUERIES + 1):
        assert api.get("/api/v1/candidacies/").status_code == 200


def test_the_written_out_representation_is_the_declared_one(rf):
    """The list writes rows out by hand for speed; it must give what the declared fields (the schema's) give."""
    from rest_framework import serializers as drf
    from rest_framework.request import Request

    from cqp.api.candidacies import attach_organisations, with_representation
    from cqp.api.candidacy_serializers import CandidacySerializer
    from cqp.candidacies.models import Candidacy

    staff, made = candidacies(2)
    Candidacy.objects.filter(pk=made[1].pk).update(employer=None, tutor=None, funding="CPF")
    request = Request(rf.get("/api/v1/candidacies/"))
    request.user = staff
    rows = attach_organisations(list(with_representation(Candidacy.objects.all())))
    assert {row.employer is None for row in rows} == {True, False}
    for row in rows:
        serializer = CandidacySerializer(context={"request": request})
        declared = drf.ModelSerializer.to_representation(serializer, row)
        assert serializer.to_representation(row) == dict(declared)
