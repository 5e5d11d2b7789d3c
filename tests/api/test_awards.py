"""/api/v1/awards/: the fixed fields, scoping across two certifiers and for candidates, filters, revocation,
and a fixed number of queries."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cqp.accounts.enums import Role
from cqp.awards import services as awards
from cqp.awards.models import Award
from tests.candidacies.factories import UserFactory, certifier_staff, member
from tests.juries.factories import decided_candidacy, deliberate, jury_with_members, open_session, ready_candidacy, sign

pytestmark = pytest.mark.django_db

FIXED_FIELDS = {
    "number",
    "candidacy",
    "certification",
    "certifier",
    "kind",
    "blocks",
    "delivered_on",
    "verification_url",
    "revoked",
}


def delivered(opinion="AWARD"):
    candidacy, session, staff = decided_candidacy(opinion=opinion)
    (result,) = awards.session_deliver(session=session, by=staff)
    return result.award, staff


def numbers(response):
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


def test_an_award_has_the_fixed_fields(api):
    award, staff = delivered()
    api.force_authenticate(staff)

    (row,) = api.get("/api/v1/awards/").json()["results"]

    assert set(row) >= FIXED_FIELDS
    candidacy = award.candidacy
    assert row["number"] == award.number and row["candidacy"] == candidacy.pk
    assert row["certification"] == candidacy.certification.code
    assert row["certifier"] == candidacy.certifier.siret and len(row["certifier"]) == 14
    assert row["kind"] == "CERTIFICATE" and row["revoked"] is False
    assert row["blocks"] == sorted(candidacy.blocks.values_list("block__code", flat=True))
    assert row["delivered_on"] == timezone.localdate().isoformat()
    assert row["verification_url"] == f"{settings.SITE_URL.rstrip('/')}/verify/{award.uuid}/"
    assert row["verification_url"].startswith("http")
    assert api.get(f"/api/v1/awards/{award.pk}/").json() == row


def test_a_partial_opinion_gives_an_attestation_of_the_validated_blocks(api):
    award, staff = delivered("PARTIAL")
    api.force_authenticate(staff)

    (row,) = api.get("/api/v1/awards/").json()["results"]

    first = award.candidacy.blocks.order_by("block__position").first().block.code
    assert row["kind"] == "BLOCK_ATTESTATION" and row["blocks"] == [first]


def test_awards_are_scoped_to_their_certifier_and_their_candidate(api):
    award, staff = delivered()
    other, other_staff = delivered()

    api.force_authenticate(staff)
    assert numbers(api.get("/api/v1/awards/")) == [award.number]
    assert api.get(f"/api/v1/awards/{other.pk}/").status_code == 404
    api.force_authenticate(other_staff)
    assert numbers(api.get("/api/v1/awards/")) == [other.number]
    api.force_authenticate(award.candidacy.candidate.user)
    assert numbers(api.get("/api/v1/awards/")) == [award.number]
    assert api.get(f"/api/v1/awards/{award.pk}/").status_code == 200
    missing = api.get(f"/api/v1/awards/{other.pk}/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Délivrance introuvable. / Award not found."}

    employer = member(UserFactory(), Role.EMPLOYER, organisation=award.candidacy.employer)
    jury_member = award.deliberation.session.jury.members.first().user
    for user in (employer, jury_member, UserFactory()):
        api.force_authenticate(user)
        assert numbers(api.get("/api/v1/awards/")) == []
        assert api.get(f"/api/v1/awards/{award.pk}/").status_code == 404
    api.force_authenticate(None)
    assert api.get("/api/v1/awards/").status_code == 401


def test_a_calling_system_reads_the_register_with_its_token(api):
    award, staff = delivered()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {Token.objects.create(user=staff).key}")

    assert numbers(api.get("/api/v1/awards/")) == [award.number]
    api.credentials(HTTP_AUTHORIZATION="Token inconnu")
    assert api.get("/api/v1/awards/").status_code == 401


def test_filters_by_year_kind_and_certification(api):
    award, staff = delivered()
    api.force_authenticate(staff)
    year = award.delivered_on.year
    code = award.certification.code

    assert numbers(api.get("/api/v1/awards/", {"year": year})) == [award.number]
    assert numbers(api.get("/api/v1/awards/", {"year": year - 1})) == []
    assert numbers(api.get("/api/v1/awards/", {"kind": "certificate"})) == [award.number]
    assert numbers(api.get("/api/v1/awards/", {"kind": "BLOCK_ATTESTATION"})) == []
    assert numbers(api.get("/api/v1/awards/", {"certification": code.lower()})) == [award.number]
    assert numbers(api.get("/api/v1/awards/", {"certification": "RNCP00000"})) == []

    bad = api.get("/api/v1/awards/", {"year": "vingt", "kind": "DIPLOMA"})
    assert bad.status_code == 400
    assert bad.json()["year"] == [
        "Année invalide : attendu quatre chiffres (2026). / Invalid year: expected four digits (2026)."
    ]
    assert "Nature invalide" in bad.json()["kind"][0]


def test_revocation_by_the_certifier_with_a_reason(api):
    award, staff = delivered()
    other, other_staff = delivered()
    url = f"/api/v1/awards/{award.pk}/revoke/"

    api.force_authenticate(award.candidacy.candidate.user)
    refused = api.post(url, {"reason": "Je renonce."}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Seul le certificateur qui l'a délivrée retire une certification."}
    api.force_authenticate(other_staff)
    assert api.post(url, {"reason": "Fraude"}, format="json").status_code == 404

    api.force_authenticate(staff)
    assert api.post(url, {}, format="json").json() == {"reason": ["Donnez le motif du retrait."]}
    assert api.post(url, {"reason": "   "}, format="json").status_code == 400
    revoked = api.post(url, {"reason": "Fraude à l'évaluation"}, format="json")
    assert revoked.status_code == 200, revoked.content
    body = revoked.json()
    assert body["revoked"] is True and body["revocation_reason"] == "Fraude à l'évaluation" and body["revoked_at"]
    again = api.post(url, {"reason": "Encore"}, format="json")
    assert again.json() == {"non_field_errors": ["Cette délivrance est déjà retirée."]}
    # Still in the register, marked revoked.
    assert [r["revoked"] for r in api.get("/api/v1/awards/").json()["results"]] == [True]
    assert Award.objects.get(pk=other.pk).revoked_at is None


# ATOMIC_REQUESTS inside the test's transaction: a savepoint and its release.
TRANSACTION = 2
# The caller's certifiers (scoping), the count, the page (certification, certifier, candidacy and candidate
# joined), the blocks of the page.
LIST_QUERIES = TRANSACTION + 4


@pytest.mark.parametrize("count", [1, 4])
def test_the_list_reads_a_fixed_number_of_queries(api, django_assert_num_queries, count):
    candidacies = [ready_candidacy()]
    candidacies += [ready_candidacy(certification=candidacies[0].certification) for _ in range(count - 1)]
    jury, staff = jury_with_members(candidacies[0].certification)
    session = open_session(jury, staff, candidacies)
    for candidacy in candidacies:
        deliberate(session, candidacy, by=staff)
    sign(session)
    awards.session_deliver(session=session, by=staff)
    reader = certifier_staff(candidacies[0].certifier)
    api.force_authenticate(reader)

    with django_assert_num_queries(LIST_QUERIES):
        rows = api.get("/api/v1/awards/").json()["results"]

    assert len(rows) == count and all(len(row["blocks"]) == 3 for row in rows)
    # Newest first: the highest number of the year leads.
    assert [row["number"] for row in rows] == sorted((row["number"] for row in rows), reverse=True)


def test_the_schema_declares_the_endpoints_and_the_fixed_fields(tmp_path):
    path = tmp_path / "openapi.json"
    call_command("spectacular", "--fail-on-warn", "--validate", "--format", "openapi-json", "--file", str(path))
    openapi = json.loads(path.read_text())

    award = openapi["components"]["schemas"]["Award"]
    assert set(award["properties"]) >= FIXED_FIELDS and set(award["required"]) >= FIXED_FIELDS
    assert award["properties"]["blocks"]["items"] == {"type": "string"}
    parameters = {p["name"] for p in openapi["paths"]["/api/v1/awards/"]["get"]["parameters"]}
    assert {"year", "kind", "certification", "page", "page_size"} <= parameters
    assert "post" in openapi["paths"]["/api/v1/awards/{id}/revoke/"]
    for path, methods in {
        "/api/v1/juries/": {"get", "post"},
        "/api/v1/jury-sessions/": {"get", "post"},
        "/api/v1/jury-sessions/{id}/candidacies/": {"get", "post"},
        "/api/v1/jury-sessions/{id}/candidacies/{candidacy_id}/": {"delete"},
        "/api/v1/jury-sessions/{id}/deliberations/": {"get", "post"},
        "/api/v1/jury-sessions/{id}/deliberations/{deliberation_id}/": {"get", "put", "patch"},
        "/api/v1/jury-sessions/{id}/minutes/sign/": {"post"},
        "/api/v1/jury-sessions/{id}/deliver/": {"post"},
    }.items():
        assert methods <= set(openapi["paths"][path]), path
    deliberation = openapi["components"]["schemas"]["Deliberation"]["properties"]
    assert {"candidacy", "opinion", "blocks", "votes", "recusals", "motivation", "revision"} <= set(deliberation)
    assert (
        "409" in openapi["paths"]["/api/v1/jury-sessions/{id}/deliberations/{deliberation_id}/"]["patch"]["responses"]
    )
