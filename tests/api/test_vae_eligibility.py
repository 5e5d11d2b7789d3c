"""GET/POST /api/v1/candidacies/{id}/vae-eligibility/ and /vae-eligibility/decide/."""

from datetime import date

import pytest

from cqp.accounts.enums import Role
from cqp.assessments import services
from tests.assessments.vae_helpers import proof, vae_draft
from tests.candidacies.factories import OrganisationFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def url(candidacy, suffix=""):
    return f"/api/v1/candidacies/{candidacy.pk}/vae-eligibility/{suffix}"


def with_experience(months_ok=True):
    draft, staff = vae_draft()
    user = draft.candidate.user
    services.vae_period_add(
        candidacy=draft, by=user, start=date(2024, 1, 1), end=date(2024, 10, 31), job_title="Opérateur"
    )
    if months_ok:
        services.vae_period_add(
            candidacy=draft, by=user, start=date(2024, 6, 1), end=date(2025, 2, 28), job_title="Régleur"
        )
    return draft, staff


def test_candidate_files_then_staff_decides(api):
    draft, staff = with_experience()
    api.force_authenticate(draft.candidate.user)
    shown = api.get(url(draft)).json()
    assert shown["relevant_days"] == 425 and shown["relevant_months"] == 13 and shown["current"] is None
    assert [p["job_title"] for p in shown["periods"]] == ["Opérateur", "Régleur"]
    refused = api.post(url(draft))
    assert refused.status_code == 400
    assert "justificatif" in refused.json()["non_field_errors"][0]
    proof(draft)
    filed = api.post(url(draft))
    assert filed.status_code == 201
    assert filed.json()["current"]["state"] == "SUBMITTED" and filed.json()["current"]["version"] == 1
    assert api.post(url(draft, "decide/"), {"decision": "ADMISSIBLE"}, format="json").status_code == 403

    api.force_authenticate(staff)
    no_reason = api.post(url(draft, "decide/"), {"decision": "INCOMPLETE"}, format="json")
    assert no_reason.status_code == 400 and "motifs" in no_reason.json()["reasons"][0]
    bad = api.post(url(draft, "decide/"), {"decision": "PEUT-ETRE"}, format="json")
    assert bad.status_code == 400 and "Choisissez" in bad.json()["decision"][0]
    incomplete = api.post(url(draft, "decide/"), {"decision": "INCOMPLETE", "reasons": "Attestation"}, format="json")
    assert incomplete.json()["current"]["reasons"] == "Attestation"

    api.force_authenticate(draft.candidate.user)
    assert api.post(url(draft)).json()["current"]["version"] == 2
    api.force_authenticate(staff)
    decided = api.post(url(draft, "decide/"), {"decision": "ADMISSIBLE"}, format="json").json()
    assert [(e["version"], e["state"]) for e in decided["history"]] == [(2, "ADMISSIBLE"), (1, "INCOMPLETE")]
    assert api.get(f"/api/v1/candidacies/{draft.pk}/").json()["state"] == "ADMISSIBLE"


def test_under_one_year_is_a_french_400(api):
    draft, _staff = with_experience(months_ok=False)
    proof(draft)
    api.force_authenticate(draft.candidate.user)
    response = api.post(url(draft))
    assert response.status_code == 400
    message = response.json()["non_field_errors"][0]
    assert "au moins un an" in message and "il manque" in message


def test_those_who_may_not_see_get_404_and_anonymous_401(api):
    draft, _staff = with_experience()
    assert api.get(url(draft)).status_code == 401
    api.force_authenticate(member(UserFactory(), Role.EMPLOYER, organisation=OrganisationFactory()))
    assert api.get(url(draft)).status_code == 404
    assert api.post(url(draft)).status_code == 404
    assert api.post(url(draft, "decide/"), {"decision": "ADMISSIBLE"}, format="json").status_code == 404


def test_employer_sees_but_may_not_file(api):
    draft, _staff = with_experience()
    proof(draft)
    api.force_authenticate(member(UserFactory(), Role.EMPLOYER, organisation=draft.employer))
    assert api.get(url(draft)).status_code == 200
    assert api.post(url(draft)).status_code == 403


def test_paths_are_in_the_schema(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/candidacies/{id}/vae-eligibility/" in schema["paths"] or any(
        "vae-eligibility" in p for p in schema["paths"]
    )
