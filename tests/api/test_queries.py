"""The number of SQL queries does not grow with the page size or the data."""

import pytest
from rest_framework.authtoken.models import Token

from cqp.accounts.models import User
from cqp.catalogue import enums
from cqp.catalogue.models import BlockEquivalence, CertificationLineage, Nsf, Rome
from tests.catalogue.factories import (
    BlockFactory,
    BranchFactory,
    CertificationFactory,
    CertifierFactory,
    CompetencyFactory,
    EvaluationCriterionFactory,
)

pytestmark = pytest.mark.django_db

# Every request runs in a transaction (ATOMIC_REQUESTS): the test's own transaction makes it a savepoint
# and its release, two statements around the reads.
TRANSACTION = 2
# Count, page, certifiers of the page.
LIST_QUERIES = TRANSACTION + 3
# Certification, then its prefetches: blocks, competencies, criteria, equivalences, certifiers, branches,
# agreements, ROME, NSF, Formacodes, yearly statistics; then the lineage.
DETAIL_QUERIES = TRANSACTION + 13


def certifications(count):
    branch = BranchFactory()
    made = []
    for _ in range(count):
        certification = CertificationFactory()
        certification.certifiers.add(CertifierFactory(), CertifierFactory())
        certification.branches.add(branch)
        made.append(certification)
    return made


@pytest.mark.parametrize("count", [1, 20])
def test_list_queries_do_not_grow_with_the_page(api, django_assert_num_queries, count):
    certifications(count)

    with django_assert_num_queries(LIST_QUERIES):
        body = api.get("/api/v1/certifications/").json()

    assert len(body["results"]) == count
    assert all(len(row["certifiers"]) == 2 for row in body["results"])


@pytest.mark.parametrize("count", [1, 20])
def test_filtered_list_queries_do_not_grow(api, django_assert_num_queries, count):
    made = certifications(count)
    certifier = made[0].certifiers.first()
    branch = made[0].branches.first()
    for certification in made:
        certification.certifiers.add(certifier)
        certification.rome.add(Rome.objects.get_or_create(code="H2913", label="Soudage manuel")[0])
    params = {
        "q": "operateur",
        "registry": "RNCP",
        "level": "3",
        "active": "true",
        "kind": "CQP",
        "branch": branch.slug,
        "certifier": certifier.siret,
        "rome": "soudage",
        "vae": "true",
        "cpf": "true",
        "page_size": 100,
    }

    with django_assert_num_queries(LIST_QUERIES):
        body = api.get("/api/v1/certifications/", params).json()

    assert body["count"] == count


def test_token_authentication_costs_one_query(api, django_assert_num_queries):
    certifications(5)
    token = Token.objects.create(user=User.objects.create_user(email="si@opco.example", password="x" * 12))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")

    with django_assert_num_queries(LIST_QUERIES + 1):
        assert api.get("/api/v1/certifications/").status_code == 200


def certification_with_blocks(count):
    certification = CertificationFactory(code="RNCP41679")
    certification.certifiers.add(CertifierFactory())
    certification.branches.add(BranchFactory())
    certification.rome.add(Rome.objects.create(code="H2913", label="Soudage manuel"))
    certification.nsf.add(Nsf.objects.create(code="254s", label="Structures métalliques"))
    for position in range(1, count + 1):
        block = BlockFactory(certification=certification, position=position)
        for index in range(3):
            CompetencyFactory(block=block, position=index)
            EvaluationCriterionFactory(block=block, position=index, mandatory=index != 2)
        BlockEquivalence.objects.create(
            certification=certification,
            block=block,
            target_certification_code="RNCP99999",
            target_block_code=f"RNCP99999BC{position:02d}",
            kind=enums.EquivalenceKind.VERSION,
        )
    CertificationLineage.objects.create(old_code="RNCP30000", new_code="RNCP41679")
    return certification


@pytest.mark.parametrize("blocks", [1, 8])
def test_detail_queries_do_not_grow_with_the_blocks(api, django_assert_num_queries, blocks):
    certification_with_blocks(blocks)

    with django_assert_num_queries(DETAIL_QUERIES):
        fiche = api.get("/api/v1/certifications/RNCP41679/").json()

    assert len(fiche["blocks"]) == blocks
    assert all(len(block["competencies"]) == 3 and len(block["criteria"]) == 3 for block in fiche["blocks"])
    assert len(fiche["equivalences"]) == blocks
    assert fiche["replaces"] == ["RNCP30000"]


@pytest.mark.parametrize("count", [1, 20])
def test_branch_and_certifier_lists_do_not_grow(api, django_assert_num_queries, count):
    for certification in certifications(count):
        for certifier in certification.certifiers.all():
            certifier.branches.add(BranchFactory())

    # Count, page, then the agreements (branches) or branches (certifiers) of the page.
    with django_assert_num_queries(TRANSACTION + 3):
        branches = api.get("/api/v1/branches/", {"page_size": 100}).json()
    with django_assert_num_queries(TRANSACTION + 3):
        certifiers = api.get("/api/v1/certifiers/", {"page_size": 100}).json()

    assert branches["count"] == 1 + 2 * count
    assert certifiers["count"] == 2 * count
